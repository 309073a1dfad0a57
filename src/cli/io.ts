// The console a command talks to, so commands can be run in tests without a process.
export interface CommandIo {
  out(text: string): void;
  warn(message: string): void;
  /** Prints a one-line error and returns exit code 2. */
  fail(message: string): number;
  readonly color: boolean;
}

export function processIo(): CommandIo {
  return {
    out: (t) => void process.stdout.write(t),
    warn: (m) => void process.stderr.write(`fivexx: warning: ${m}\n`),
    fail: (m) => {
      process.stderr.write(`fivexx: ${m}\n`);
      return 2;
    },
    color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  };
}
