// Comment lines (`# …`, `#Fields: …`): annotations that test files and W3C headers put between records.
// They are no record, so they are skipped like blank lines. `#0 /path…` (a PHP stack frame) is not a comment.
import type { Wrapper } from './types.ts';

export const comment: Wrapper = {
  name: 'comment',
  peel: (line) => (line.charCodeAt(0) === 35 && !/^#\d/.test(line) ? { skip: true } : undefined),
};
