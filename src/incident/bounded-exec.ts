// Runs a program by absolute path, without a shell, under a timeout and an output cap.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export interface ExecLimits {
  readonly timeoutMs: number;
  /** Bytes of stdout kept; the rest is dropped and `truncated` set. */
  readonly maxBytes: number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface ExecResult {
  /** ok: exit 0; exit: another exit code; timeout: killed after the limit; error: could not start. */
  readonly outcome: 'ok' | 'exit' | 'timeout' | 'error';
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: boolean;
  readonly error?: string;
}

export const DEFAULT_LIMITS: ExecLimits = { timeoutMs: 5000, maxBytes: 1 << 20 };
const STDERR_CAP = 16 << 10;

/** The first `name` found in `dirs` that this process may execute, as an absolute path. */
export function findProgram(name: string, dirs: readonly string[]): string | undefined {
  for (const d of dirs) {
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // Not here: try the next folder.
    }
  }
  return undefined;
}

/** Runs `program` (an absolute path) with `args`; never throws, never waits past the timeout. */
export function runBounded(program: string, args: readonly string[], limits: ExecLimits = DEFAULT_LIMITS): Promise<ExecResult> {
  if (!isAbsolute(program)) return Promise.resolve({ outcome: 'error', code: null, stdout: '', stderr: '', truncated: false, error: `${program}: not an absolute path` });
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    let timedOut = false;
    // Its own process group, so that a timeout kills what it started too (and their pipes close).
    const child = spawn(program, [...args], { shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: limits.env ?? { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      child.stdout.destroy();
      child.stderr.destroy();
    }, limits.timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      if (outBytes >= limits.maxBytes) {
        truncated = true;
        return;
      }
      const room = limits.maxBytes - outBytes;
      if (c.length > room) truncated = true;
      out.push(c.subarray(0, room));
      outBytes += Math.min(c.length, room);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (errBytes < STDERR_CAP) err.push(c.subarray(0, STDERR_CAP - errBytes));
      errBytes += c.length;
    });
    let done = false;
    const finish = (outcome: ExecResult['outcome'], code: number | null, error?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ outcome, code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), truncated, ...(error ? { error } : {}) });
    };
    child.once('error', (e: NodeJS.ErrnoException) => finish('error', null, e.code ?? e.message));
    child.once('exit', (code) => {
      if (timedOut) finish('timeout', code, `no answer within ${limits.timeoutMs} ms`);
    });
    child.once('close', (code) => {
      if (timedOut) finish('timeout', code, `no answer within ${limits.timeoutMs} ms`);
      else finish(code === 0 ? 'ok' : 'exit', code);
    });
  });
}

/** The one-line reason a run gives for an `unavailable` entry. */
export function execReason(r: ExecResult): string {
  if (r.outcome === 'timeout') return `timed out (${r.error ?? ''})`;
  if (r.outcome === 'error') return r.error === 'EACCES' ? 'permission denied' : `could not run (${r.error ?? 'unknown'})`;
  const first = r.stderr.split('\n').find((l) => l.trim() !== '') ?? '';
  return `exit ${r.code ?? '?'}${first ? `: ${first.trim().slice(0, 200)}` : ''}`;
}
