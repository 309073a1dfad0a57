// Syslog carrying a web server's own lines: rsyslog/journald (RFC 3164, `Jan 21 10:56:10 web1 nginx: 2015/01/21 …`)
// and RFC 5424 (`<171>1 2025-11-05T20:47:03+00:00 host nginx - - - 2015/01/21 …`, pfSense). The header is peeled
// only when the program is nginx or Apache and the inner text starts with that server's own time, so the inner
// line is read by its own format and keeps its producer (an nginx `connect() failed (111)` stays nginx's).
import type { Wrapper } from './types.ts';

const PROGRAM = '(?:nginx|apache2?|httpd)';
const RFC3164 = new RegExp(`^(?:<\\d{1,3}>)?[A-Z][a-z]{2} {1,2}\\d{1,2} \\d{2}:\\d{2}:\\d{2} (?:\\S{1,100} )?${PROGRAM}(?:\\[\\d{1,10}\\])?: `);
const RFC5424 = new RegExp(`^<\\d{1,3}>1 \\S{1,40} \\S{1,100} ${PROGRAM} \\S{1,40} \\S{1,40} (?:-|(?:\\[[^\\]]{0,2000}\\]){1,10}) `);
/** nginx's `2015/01/21 10:56:10 [` or Apache's `[Wed Jan 21 …` / `[2025-07-22 …`. */
const INNER = /^(?:\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[|\[[A-Z][a-z]{2} [A-Z][a-z]{2} |\[\d{4}-\d{2}-\d{2} )/;

export const syslog: Wrapper = {
  name: 'syslog',
  peel(line) {
    const c = line.charCodeAt(0);
    // Cheap gates: a month's capital or "<PRI>", and the program's name somewhere in the head.
    if (!((c >= 65 && c <= 90) || c === 60) || !/nginx|apache|httpd/.test(line.slice(0, 160))) return undefined;
    const m = c === 60 && line.charCodeAt(line.indexOf('>') + 1) === 49 ? RFC5424.exec(line) : RFC3164.exec(line);
    if (!m) return undefined;
    const text = line.slice(m[0].length);
    return INNER.test(text) ? { text } : undefined;
  },
};
