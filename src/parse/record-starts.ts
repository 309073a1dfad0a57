// Lines that begin a record of some known log format (an access line, a dated line, syslog, JSON): a
// multi-line record of another format must not swallow them as its continuation (they count as unparsed).

const CLF_LINE = /^\S{1,300} \S{1,300} \S{1,300} \[\d{2}\/[^/\s]{3,6}\/\d{4}:\d{2}:\d{2}:\d{2}/;
const BRACKET_CLF = /^\[\d{2}\/[^/\s]{3,6}\/\d{4}:\d{2}:\d{2}:\d{2}/;
const DATED = /^\d{4}[/-]\d{2}[/-]\d{2}[ T]\d{2}:\d{2}/;
const SYSLOG = /^(?:<\d{1,3}>)?[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2} /;

/** True when `line` starts like a record of an access log, a dated log, syslog or JSON lines. */
export function startsOtherRecord(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 123) return line.charCodeAt(1) === 34; // {"
  if (c === 91) return BRACKET_CLF.test(line);
  if (c >= 48 && c <= 57) return DATED.test(line) || CLF_LINE.test(line);
  if (c >= 65 && c <= 90 && SYSLOG.test(line)) return true;
  return c > 32 && CLF_LINE.test(line);
}
