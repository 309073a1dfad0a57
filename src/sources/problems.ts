// One line per problem: how a source's coded warnings are shown on stderr, and which one becomes the
// fatal error when nothing at all could be read (that one is then not repeated as a warning).
import { codeOf, coded, type ErrorCode } from '../errors/codes.ts';

/** A coded warning (`CODE: text`) about one path. */
export interface PathProblem {
  readonly path: string;
  readonly warning: string;
}

/** `CODE: path: text`, the line shown for a problem (`path: text` for an uncoded one). */
export function located(p: PathProblem): string {
  const code = codeOf(p.warning);
  return code ? coded(code, `${p.path}: ${p.warning.slice(code.length + 2)}`) : `${p.path}: ${p.warning}`;
}

/**
 * The fatal error when no input held a readable line: the one problem itself when there is one (not
 * shown again as a warning); else each problem is a warning and the error sums them up.
 */
export function nothingReadable(problems: readonly PathProblem[], inputs: number, warn?: (m: string) => void): { code: ErrorCode; error: string } {
  const [only] = problems;
  if (only && problems.length === 1) {
    const code = codeOf(only.warning) ?? 'FIVEXX_NOTHING_READABLE';
    return { code, error: located(only).slice(codeOf(only.warning) ? code.length + 2 : 0) };
  }
  for (const p of problems) warn?.(located(p));
  const what = inputs === 1 ? 'the input holds no readable line' : `none of the ${inputs} inputs holds a readable line`;
  return { code: 'FIVEXX_NOTHING_READABLE', error: `${what}${problems.length > 0 ? ` (${problems.length} problem(s) above)` : ''}` };
}
