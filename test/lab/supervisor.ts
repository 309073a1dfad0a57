// A process supervisor for the lab, as systemd's Restart=always or a container restart policy: starts a
// command with its output appended to a log file and starts it again after it exits, a bounded number of times.
import { sleep } from './http-driver.ts';
import { start, stop, type Started } from './processes.ts';

export class Supervisor {
  /** Times the command was started. */
  starts = 0;
  private current: Started | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly cmd: string;
  private readonly args: string[];
  private readonly logFile: string;
  private readonly delayMs: number;
  private readonly maxStarts: number;

  constructor(cmd: string, args: string[], logFile: string, delayMs: number, maxStarts: number) {
    this.cmd = cmd;
    this.args = args;
    this.logFile = logFile;
    this.delayMs = delayMs;
    this.maxStarts = maxStarts;
  }

  start(): void {
    this.loop ??= this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped && this.starts < this.maxStarts) {
      this.starts++;
      this.current = start('supervised', this.cmd, this.args, this.logFile);
      await this.current.exited;
      if (!this.stopped) await sleep(this.delayMs);
    }
  }

  /** Stops the loop, then the process it started last (by its PID), and waits for both. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.current) await stop(this.current);
    await this.loop;
  }
}
