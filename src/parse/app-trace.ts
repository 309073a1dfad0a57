// Where a record of untimed application output ends: the grammar of the multi-line traces runtimes print
// (Node.js crash dumps, V8 out-of-memory reports, Python tracebacks, Java and PHP stack traces). Every
// other untimed line is a record of its own, so a start banner after a crash dump stays a banner.

/** Node.js's uncaught-exception head: the file and line that threw ("/srv/app.js:12", "node:events:497"). */
export const NODE_CRASH_HEAD = /^(?:\/|[A-Za-z]:\\|node:|file:\/\/)[^\s:]{0,400}(?::\d{1,7}){1,2}$/;
/** Lines that begin a runtime's report without any time. */
export const UNTIMED_HEADS = ['FATAL ERROR: ', '<--- Last few GCs --->', '[UnhandledPromiseRejection', 'Exception in thread '];
/** An exception line: "TypeError: …", "java.lang.IllegalStateException: …". */
export const ERROR_LINE = /^[A-Za-z_$][\w$.]{0,200}(?:Error|Exception)\b/;

/** The same, or a bare "Error: …" (what `throw new Error()` prints). */
const ANY_ERROR = /^(?:[A-Za-z_$][\w$.]{0,200})?(?:Error|Exception)\b/;
const NODE_FOOTER = /^Node\.js v\d{1,3}\./;
/** A continuation by indentation: two spaces or a tab (a single space starts Flask's " * Running on" lines). */
const INDENTED = /^(?: {2}|\t)/;
/** Python's exception line after the frames: "KeyError: 'total'", "django.core.exceptions.ImproperlyConfigured: …". */
const PY_EXCEPTION = /^[A-Za-z_][\w.]{0,200}(?::|$)/;
const CHAINED = /^(?:During handling of the above exception|The above exception was the direct cause|Caused by: |Stack trace:$|#\d{1,4} |Emitted '\w{1,40}' event )/;
/** V8's heap report: GC lines, section rules, native frames (" 1: 0x931db0 …"). */
const V8_GC = /^(?:\[\d{1,10}:0x[0-9a-f]{1,16}\]|<--- |----- | {0,3}\d{1,4}: 0x[0-9a-f]{1,16}\b)/;

/** True for a blank or indented line (stack frames, source excerpts, carets, object dumps). */
export function indented(line: string): boolean {
  return line === '' || INDENTED.test(line) || line.trim() === '';
}

/** The lines of a Node.js crash dump after its head: the source line and caret, the error, its frames, the footer. */
function nodeDump(line: string, lines: number, prev: string): boolean {
  if (lines <= 2) return true;
  if (NODE_FOOTER.test(line) || /^[}\]]$/.test(line)) return true;
  return ANY_ERROR.test(line) && (prev === '' || lines <= 4);
}

/**
 * True when `line` continues the untimed record whose first line is `head` (`lines` lines so far, `prev`
 * the last). Blank lines are kept (the assembler trims trailing ones); the record ends at Node's footer.
 */
export function continuesUntimed(line: string, head: string, lines: number, prev: string): boolean {
  if (indented(line)) return true;
  if (NODE_FOOTER.test(prev)) return false;
  if (line.startsWith('Traceback (most recent call last):')) {
    return head.startsWith('Traceback') && (prev === '' || /exception (?:occurred|was the direct cause)/.test(prev));
  }
  if (CHAINED.test(line) || NODE_FOOTER.test(line)) return true;
  if (NODE_CRASH_HEAD.test(head)) return nodeDump(line, lines, prev);
  if (head.startsWith('<--- Last few GCs --->') || head.startsWith('FATAL ERROR: ')) return V8_GC.test(line);
  if (prev === '' || !INDENTED.test(prev)) return false;
  // After frames: the exception line that closes a Python traceback, the "}" of a Node error's fields.
  return (head.startsWith('Traceback') && PY_EXCEPTION.test(line)) || ANY_ERROR.test(line) || /^[}\]]$/.test(line);
}
