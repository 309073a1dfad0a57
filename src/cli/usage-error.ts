// Turns node:util parseArgs errors into one clean line (its own text runs on, with an unbalanced quote).
import { escapeControls } from '../report/safe-text.ts';

/** `command: unknown option --x (see fivexx command --help)`, and the like, for a parseArgs error. */
export function usageError(command: string, err: unknown): string {
  const e = err as { code?: string; message?: string };
  const first = (e.message ?? String(err)).split('\n')[0] ?? '';
  const opt = escapeControls(/'(-[^' ]*)/.exec(first)?.[1] ?? '');
  const help = `(see fivexx ${command} --help)`;
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${command}: unknown option ${opt} ${help}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(first) ? `${command}: option ${opt} needs a value ${help}` : `${command}: option ${opt} takes no value ${help}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `${command}: unexpected argument ${help}`;
    default:
      return `${command}: ${escapeControls(first.replace(/\. To specify a positional.*$/, ''))} ${help}`;
  }
}
