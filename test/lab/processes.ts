// Starts lab processes with their output in a log file, and stops exactly those processes, by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

export function start(name: string, cmd: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): Started {
  const fd = openSync(logFile, 'a');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env: env ? { ...process.env, ...env } : process.env });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null)));
    child.once('error', () => resolve(-2));
  });
  return { name, child, exited };
}

/** Sends `signal` to the process we started and waits for it to exit (SIGKILL after `ms`). */
export async function stop(p: Started, signal: NodeJS.Signals = 'SIGTERM', ms = 5000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null || p.child.pid === undefined) return;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), ms);
  await p.exited;
  clearTimeout(timer);
}
