// The console a command talks to, so commands can be run in tests without a process.
import type { ErrorCode } from '../errors/codes.ts';

export interface CommandIo {
  out(text: string): void;
  warn(message: string): void;
  /**
   * Reports a fatal error as one line `fivexx: CODE: message` on stderr (and, once `json` is set,
   * as `{ "error": { "code", "message" } }` on stdout) and returns exit code 2.
   */
  fail(code: ErrorCode, message: string): number;
  readonly color: boolean;
  /** Set by a command once it knows `--json` was asked for: fatal errors then also go to stdout as JSON. */
  json?: boolean;
}

/** The JSON document of a fatal error (docs/contract.md). */
export function errorDocument(code: ErrorCode, message: string): string {
  return JSON.stringify({ version: 1, error: { code, message } }, null, 2) + '\n';
}

export function processIo(): CommandIo {
  const io: CommandIo = {
    out: (t) => void process.stdout.write(t),
    warn: (m) => void process.stderr.write(`fivexx: warning: ${m}\n`),
    fail: (code, m) => {
      process.stderr.write(`fivexx: ${code}: ${m}\n`);
      if (io.json) process.stdout.write(errorDocument(code, m));
      return 2;
    },
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
  return io;
}
