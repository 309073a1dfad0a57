import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogRecord } from '../events/types.ts';
import { uwsgi } from './uwsgi.ts';

/** Records the way read-source assembles them: a start line opens one, continuing lines join it. */
function assembleAll(text: string): LogRecord[] {
  const out: LogRecord[] = [];
  let open: { line: number; lines: string[] } | undefined;
  const close = (): void => {
    const r = open && uwsgi.parse(open.lines.join('\n'), 0, open.line);
    if (r) out.push(r);
  };
  text.split('\n').forEach((l, i) => {
    const head = open?.lines[0];
    if (open && head !== undefined && uwsgi.continues(l, head, open.lines.length, open.lines[open.lines.length - 1] ?? '')) open.lines.push(l);
    else {
      close();
      open = { line: i + 1, lines: [l] };
    }
  });
  close();
  return out;
}

// Recorded from Debian's uwsgi 2.0.21 (python3 plugin), a WSGI app raising on /boom and answering 500/503 itself
// (test/false-alarms.test.ts records the same on every run).
const LOG = `[pid: 18507|app: 0|req: 1/1] 127.0.0.1 () {24 vars in 246 bytes} [Fri Nov 27 16:22:42 2026] GET / => generated 3 bytes in 0 msecs (HTTP/1.1 200) 1 headers in 45 bytes (1 switches on core 0)
[pid: 18507|app: 0|req: 3/3] 127.0.0.1 () {24 vars in 260 bytes} [Fri Nov 27 16:22:42 2026] GET /unavail => generated 5 bytes in 0 msecs (HTTP/1.1 503) 1 headers in 62 bytes (1 switches on core 0)
Traceback (most recent call last):
  File "app500.py", line 10, in application
    raise RuntimeError("boom")
RuntimeError: boom
[pid: 18507|app: 0|req: 4/4] 127.0.0.1 () {24 vars in 254 bytes} [Fri Nov 27 16:22:42 2026] GET /boom => generated 0 bytes in 0 msecs (HTTP/1.1 500) 0 headers in 0 bytes (0 switches on core 0)
SIGINT/SIGTERM received...killing workers...`;

test('uWSGI request lines carry the status the app answered; a traceback takes the request line that ends it', () => {
  const records = assembleAll(LOG);
  assert.deepEqual(records.map((r) => [r.line, r.level, r.request, r.status]), [
    [1, 'info', 'GET /', 200],
    [2, 'error', 'GET /unavail', 503],
    [3, 'error', 'GET /boom', 500],
    [8, 'info', '', undefined],
  ]);
  const boom = records[2];
  assert.equal(boom?.time, Date.UTC(2026, 10, 27, 16, 22, 42));
  assert.match(boom?.message ?? '', /^Traceback[\s\S]*RuntimeError: boom\n\[pid: /);
});
