// A private systemd-journald for tests: a journal namespace instance (`systemd-journald NAMESPACE`) of a name
// made for the test, started and stopped by its PID, its sockets and files removed after; the host's own
// journal is not touched. Lines go in over its stdout stream socket, as a service's output does under systemd.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { until } from './until.ts';

const JOURNALD = ['/lib/systemd/systemd-journald', '/usr/lib/systemd/systemd-journald'].find((p) => existsSync(p));

/** Why a private journald cannot run here, or false when it can. */
export function noPrivateJournald(): string | false {
  if (process.platform !== 'linux') return 'systemd-journald runs on Linux only';
  if (JOURNALD === undefined) return 'systemd-journald is not installed (package systemd)';
  if (!existsSync('/usr/bin/journalctl')) return 'journalctl is not installed (package systemd)';
  if (process.getuid?.() !== 0) return 'a journald namespace instance needs root (it makes /run/systemd/journal.NAMESPACE)';
  if (!existsSync('/etc/machine-id')) return '/etc/machine-id is missing: journald has no machine ID to file its journal under';
  return false;
}

export class PrivateJournald {
  readonly namespace: string;
  readonly #child: ChildProcess;
  readonly #streams = new Map<string, Socket>();
  readonly #dirs: string[];

  private constructor(namespace: string, child: ChildProcess) {
    this.namespace = namespace;
    this.#child = child;
    const machine = readFileSync('/etc/machine-id', 'utf8').trim();
    this.#dirs = [`/run/systemd/journal.${namespace}`, `/var/log/journal/${machine}.${namespace}`, `/run/log/journal/${machine}.${namespace}`];
  }

  /** The directory of its journal files (`/var/log/journal/MACHINE.NAMESPACE`, or under /run when /var/log/journal is absent). */
  get directory(): string | undefined {
    return this.#dirs.slice(1).find((d) => existsSync(d));
  }

  /** Starts journald for a fresh namespace and waits for its stdout socket. */
  static async start(): Promise<PrivateJournald> {
    if (JOURNALD === undefined) throw new Error('systemd-journald is not installed');
    const namespace = `fivexx-test-${process.pid}-${Date.now().toString(36)}`;
    const child = spawn(JOURNALD, [namespace], { stdio: ['ignore', 'ignore', 'pipe'] });
    const j = new PrivateJournald(namespace, child);
    let err = '';
    child.stderr?.on('data', (b: Buffer) => (err = (err + b.toString('utf8')).slice(-2000)));
    try {
      await until(`journald's socket for namespace ${namespace}`, 10_000, () => {
        if (child.exitCode !== null) throw new Error(`systemd-journald ${namespace} exited ${child.exitCode}: ${err}`);
        return existsSync(`${j.#dirs[0]}/stdout`) ? true : undefined;
      });
    } catch (e) {
      await j.stop();
      throw e;
    }
    return j;
  }

  /**
   * Writes lines as the output of a program named `identifier` (SYSLOG_IDENTIFIER), over one stdout stream per
   * identifier kept open: an open stream also keeps a namespace's journald from exiting when idle (30 s).
   */
  async write(identifier: string, lines: readonly (string | Buffer)[]): Promise<void> {
    let s = this.#streams.get(identifier);
    if (!s) {
      // journald shuts its side of the stream at once (it never writes): the socket stays half open for ours.
      const sock = connect({ path: `${this.#dirs[0]}/stdout`, allowHalfOpen: true });
      await new Promise<void>((resolve, reject) => sock.once('connect', resolve).once('error', reject));
      // The stream header: identifier, unit, priority, level prefix, forward to syslog, kmsg, console.
      sock.write(`${identifier}\n\n6\n0\n0\n0\n0\n`);
      this.#streams.set(identifier, sock);
      s = sock;
    }
    const out = s;
    for (const l of lines) out.write(Buffer.concat([Buffer.isBuffer(l) ? l : Buffer.from(l), Buffer.from('\n')]));
    await new Promise<void>((resolve) => out.write('', () => resolve()));
  }

  /** Closes the streams, stops journald (its PID) and removes its sockets and journal files. */
  async stop(): Promise<void> {
    for (const s of this.#streams.values()) s.destroy();
    this.#streams.clear();
    const child = this.#child;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const late = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(late);
    }
    for (const d of this.#dirs) rmSync(d, { recursive: true, force: true });
  }
}
