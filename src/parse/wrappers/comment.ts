// Comment lines (`# …`, `#Fields: …`): annotations that test files and W3C headers put between records.
// They are no record, so they are skipped like blank lines. `#0 /path…` (a PHP stack frame) is not a comment,
// and W3C's `#Fields: …` is kept: it names the columns of the lines after it (src/parse/w3c.ts).
import type { Wrapper } from './types.ts';

export const comment: Wrapper = {
  name: 'comment',
  peel: (line) => (line.charCodeAt(0) === 35 && !/^#\d/.test(line) && !line.startsWith('#Fields: ') ? { skip: true } : undefined),
};
