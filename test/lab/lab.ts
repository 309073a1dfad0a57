// A real nginx on 127.0.0.1 with its own temporary config, in front of a real Node app and PHP-FPM.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './ports.ts';
import { start, stop, type Started } from './processes.ts';
import { sleep } from './http-driver.ts';
import { GATEWAYS, type GatewayKind, type Site } from './gateways/index.ts';

const APP = fileURLToPath(new URL('./apps/node-app.ts', import.meta.url));
const PY_APP = fileURLToPath(new URL('./apps/py-app.py', import.meta.url));
const APPS_DIR = fileURLToPath(new URL('./apps/', import.meta.url));
const PHP_FPM = ['/usr/sbin/php-fpm8.2', '/usr/sbin/php-fpm'].find((p) => existsSync(p)) ?? 'php-fpm8.2';


export interface LabConfig {
  /** The gateway in front of the app (default nginx). */
  readonly gateway?: GatewayKind;
  /** Extra `server` lines for the app upstream block; default: the app's port. */
  readonly upstreamServers?: (appPort: number, spare: readonly number[]) => string[];
  readonly proxyReadTimeout?: string;
  readonly errorLogLevel?: 'error' | 'warn' | 'notice' | 'info';
  /** Where PHP requests go: the FPM socket, a path that does not exist, or FPM on TCP (127.0.0.1:spare[2]). */
  readonly phpSocket?: 'fpm' | 'missing' | 'tcp';
  /** Extra nginx lines inside `http {}` and inside `server {}`; {dir} {app} {spare0} are replaced. */
  readonly extraHttp?: string;
  readonly extraServer?: string;
  readonly fastcgiReadTimeout?: string;
  /** TZ for nginx, so its local times (error log) and offsets (access log) are not UTC. */
  readonly nginxTz?: string;
  /** nginx: `worker_connections` (default 256). */
  readonly workerConnections?: number;
  /** HAProxy: `maxconn` on the app's server line (requests beyond it wait in the queue for `timeout connect`). */
  readonly serverMaxconn?: number;
  readonly fpm?: { readonly maxChildren?: number; readonly terminateTimeout?: string; readonly listenMode?: string; readonly iniAdmin?: Record<string, string> };
}

export interface AppStart {
  readonly args?: string[];
  readonly nodeFlags?: string[];
  /** Open-files limit for the app process (ulimit -n). */
  readonly nofile?: number;
}

async function waitForFile(path: string, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!existsSync(path) && Date.now() < until) await sleep(50);
  if (!existsSync(path)) throw new Error(`${path} did not appear after ${ms} ms`);
}

export function hasGateway(kind: GatewayKind): boolean {
  return GATEWAYS[kind].installed();
}


export function hasTool(path: string): boolean {
  return existsSync(path);
}

export function hasPhpFpm(): boolean {
  return existsSync(PHP_FPM);
}

export class Lab {
  readonly dir: string;
  readonly port: number;
  readonly appPort: number;
  readonly dbPort: number;
  readonly spare: number[];
  private readonly config: LabConfig;
  private gateway: Started | undefined;
  private readonly helpers: Started[] = [];
  private cgroup: string | undefined;
  /** uWSGI reloads on SIGTERM; SIGINT stops it. */
  private appStop: NodeJS.Signals = 'SIGTERM';
  private gatewayStop: NodeJS.Signals = 'SIGTERM';
  private app: Started | undefined;
  private fpm: Started | undefined;

  private constructor(dir: string, ports: number[], config: LabConfig) {
    this.dir = dir;
    [this.port = 0, this.appPort = 0] = ports;
    this.dbPort = 5432;
    this.spare = ports.slice(3);
    this.config = config;
  }

  static async create(name: string, config: LabConfig = {}): Promise<Lab> {
    const dir = mkdtempSync(join(tmpdir(), `fivexx-lab-${name}-`));
    chmodSync(dir, 0o755);
    for (const d of ['logs', 'tmp', 'www']) mkdirSync(join(dir, d));
    chmodSync(join(dir, 'logs'), 0o755);
    const ports: number[] = [];
    for (let i = 0; i < 6; i++) ports.push(await freePort());
    const lab = new Lab(dir, ports, config);
    writeFileSync(join(dir, 'www', 'index.php'), '<?php echo "php ok\\n";\n');
    writeFileSync(join(dir, 'www', 'fatal.php'), '<?php\n$order = ["id" => 1];\necho render_invoice($order);\n');
    writeFileSync(join(dir, 'www', 'memory.php'), '<?php\n$rows = [];\nfor ($i = 0; ; $i++) { $rows[] = str_repeat("row", 1000); }\n');
    writeFileSync(join(dir, 'www', 'busy.php'), '<?php\n$n = 0;\nwhile (true) { $n++; }\n');
    writeFileSync(join(dir, 'www', 'sleep.php'), '<?php\nsleep(3);\necho "slept\\n";\n');
    writeFileSync(join(dir, 'www', 'segv.php'), '<?php\necho "rendering\\n";\nposix_kill(getmypid(), 11);\n');
    writeFileSync(join(dir, 'www', 'class.php'), '<?php\n$pdf = new Dompdf\\Dompdf();\necho $pdf->render();\n');
    return lab;
  }

  path(...p: string[]): string {
    return join(this.dir, ...p);
  }

  get logs(): { access: string; combined: string; error: string; app: string; fpm: string; deploy: string } {
    const l = (f: string): string => join(this.dir, 'logs', f);
    return { access: l('access.log'), combined: l('access.combined.log'), error: l('error.log'), app: l('app.log'), fpm: l('php-fpm.log'), deploy: l('deploy.log') };
  }

  /** Starts the gateway under test (nginx by default) with its temporary config, and waits for its port. */
  async startGateway(): Promise<void> {
    const kind = this.config.gateway ?? 'nginx';
    const g = GATEWAYS[kind];
    const spec = g.build(this.site());
    writeFileSync(spec.confPath, spec.conf);
    for (const pre of spec.before ?? []) pre();
    const startHelpers = async (after: boolean): Promise<void> => {
      for (const h of (spec.helpers ?? []).filter((x) => (x.after ?? false) === after)) {
        h.setup();
        this.helpers.push(start(h.name, h.cmd, h.args, h.stdoutTo ?? this.path(`${h.name}.stderr`)));
        await sleep(400);
      }
    };
    await startHelpers(false);
    const env = this.config.nginxTz ? { TZ: this.config.nginxTz } : undefined;
    this.gateway = start(kind, spec.cmd, spec.args, this.path(`${kind}.stderr`), env);
    this.gatewayStop = spec.stopSignal ?? 'SIGTERM';
    await waitForPort(this.port);
    await startHelpers(true);
  }

  private site(): Site {
    return { dir: this.dir, port: this.port, appPort: this.appPort, spare: this.spare, logs: this.logs, config: this.config, path: (...p) => this.path(...p) };
  }

  async startApp(opts: AppStart = {}): Promise<void> {
    await this.stopApp();
    const args = [...(opts.nodeFlags ?? []), APP, '--port', String(this.appPort), '--db-port', String(this.dbPort), ...(opts.args ?? [])];
    this.app = opts.nofile
      ? start('app', '/bin/sh', ['-c', `ulimit -n ${opts.nofile} && exec "$0" "$@"`, process.execPath, ...args], this.logs.app)
      : start('app', process.execPath, args, this.logs.app);
    await waitForPort(this.appPort);
  }

  /** Starts the Python app (standard library only) on the app port instead of the Node app. */
  async startPythonApp(): Promise<void> {
    this.app = start('py-app', 'python3', [PY_APP, String(this.appPort)], this.logs.app);
    await waitForPort(this.appPort);
  }

  /** A second instance of the app on `port` (taken): it fails to start, as a deploy whose old process still runs. */
  async startSecondApp(port: number): Promise<void> {
    const second = start('app2', process.execPath, [APP, '--port', String(port)], this.logs.app);
    // Tracked, so stopAll ends it if it did start after all (the first app slow under load): a leftover
    // process would keep the test runner waiting for ever.
    this.helpers.push(second);
    await Promise.race([second.exited, sleep(3000)]);
  }

  /** A memory cgroup (v1) for the app, so the kernel's OOM killer acts on it alone; undefined when not possible here. */
  memoryCgroup(limitBytes: number): string | undefined {
    const dir = `/sys/fs/cgroup/memory/${basename(this.dir)}`;
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'memory.limit_in_bytes'), String(limitBytes));
      this.cgroup = dir;
      return dir;
    } catch {
      return undefined;
    }
  }

  /** Moves the running app into the memory cgroup. */
  confineApp(): void {
    if (this.cgroup && this.app?.child.pid) writeFileSync(join(this.cgroup, 'cgroup.procs'), String(this.app.child.pid));
  }

  /** Kernel messages written since `since` (dmesg -T), into logs/kern.log. */
  saveKernelLog(before: string[]): void {
    const now = spawnSync('dmesg', ['-T'], { encoding: 'utf8' }).stdout.split('\n');
    const seen = new Set(before);
    writeFileSync(join(this.dir, 'logs', 'kern.log'), now.filter((l) => l && !seen.has(l)).join('\n') + '\n');
  }

  /** The Java app (JDK single-file launch) on the app port. */
  async startJavaApp(): Promise<void> {
    await this.stopApp();
    this.app = start('java', 'java', [`${APPS_DIR}JavaApp.java`, String(this.appPort)], this.logs.app);
    await waitForPort(this.appPort, 30_000);
  }

  /** Gunicorn (sync workers) serving the WSGI app on the app port (or a unix socket path), its error log as the app log. */
  async startGunicorn(timeoutSeconds = 1, module = 'wsgi_app:application', unixSocket?: string): Promise<void> {
    await this.stopApp();
    const bind = unixSocket ? `unix:${unixSocket}` : `127.0.0.1:${this.appPort}`;
    const args = ['--bind', bind, '--workers', '1', '--timeout', String(timeoutSeconds), '--chdir', APPS_DIR,
      '--error-logfile', this.logs.app, '--log-level', 'info', module];
    this.app = start('gunicorn', '/usr/bin/gunicorn', args, this.path('gunicorn.stderr'));
    if (module !== 'wsgi_app:application') await Promise.race([this.app.exited, sleep(8000)]);
    else if (unixSocket) await waitForFile(unixSocket);
    else await waitForPort(this.appPort);
  }

  /** A helper process (a fault's accomplice), stopped with the lab. */
  startHelper(name: string, cmd: string, args: string[]): Started {
    const p = start(name, cmd, args, this.path(`${name}.stderr`));
    this.helpers.push(p);
    return p;
  }

  /** uWSGI with an HTTP socket, one process and a harakiri limit, logging to the app log. */
  async startUwsgi(harakiriSeconds = 1, listen = 100, wsgiFile = 'wsgi_app.py'): Promise<void> {
    await this.stopApp();
    const args = ['--plugin', 'python3', '--http-socket', `127.0.0.1:${this.appPort}`, '--wsgi-file', `${APPS_DIR}${wsgiFile}`,
      '--processes', '1', '--master', '--listen', String(listen), '--logto', this.logs.app,
      ...(harakiriSeconds > 0 ? ['--harakiri', String(harakiriSeconds)] : [])];
    this.app = start('uwsgi', '/usr/bin/uwsgi', args, this.path('uwsgi.stderr'));
    this.appStop = 'SIGINT';
    await waitForPort(this.appPort);
  }

  /** Stops the app (SIGTERM: a clean stop; SIGKILL: a crash) and waits until it is gone. */
  async stopApp(signal?: NodeJS.Signals): Promise<void> {
    if (this.app) await stop(this.app, signal ?? this.appStop);
    this.appStop = 'SIGTERM';
  }

  async waitAppExit(ms = 5000): Promise<void> {
    if (!this.app) return;
    await Promise.race([this.app.exited, sleep(ms)]);
  }

  async startPhpFpm(): Promise<void> {
    const root = process.getuid?.() === 0;
    const conf = this.path('php-fpm.conf');
    const tcp = this.config.phpSocket === 'tcp';
    const f = this.config.fpm ?? {};
    const ini = Object.entries(f.iniAdmin ?? {}).map(([k, v]) => `php_admin_value[${k}] = ${v}`).join('\n');
    writeFileSync(conf, `[global]
pid = ${this.path('php-fpm.pid')}
error_log = ${this.logs.fpm}
daemonize = no
[www]
${root ? 'user = nobody\ngroup = nogroup\n' : ''}listen = ${tcp ? `127.0.0.1:${this.fpmPort}` : this.path('php-fpm.sock')}
listen.mode = ${f.listenMode ?? '0666'}
pm = dynamic
pm.max_children = ${f.maxChildren ?? 2}
pm.start_servers = 1
pm.min_spare_servers = 1
pm.max_spare_servers = ${f.maxChildren ?? 2}
catch_workers_output = yes
${f.terminateTimeout ? `request_terminate_timeout = ${f.terminateTimeout}` : ''}
${ini}
`);
    this.fpm = start('php-fpm', PHP_FPM, ['-F', '-y', conf, ...(root ? ['-R'] : [])], this.path('php-fpm.stderr'));
    if (tcp) return waitForPort(this.fpmPort);
    const until = Date.now() + 5000;
    while (!existsSync(this.path('php-fpm.sock')) && Date.now() < until) await sleep(50);
    if (!existsSync(this.path('php-fpm.sock'))) throw new Error('php-fpm did not create its socket');
  }

  /** PHP-FPM's TCP port when `phpSocket` is 'tcp'. */
  get fpmPort(): number {
    return this.spare[2] ?? 0;
  }

  /** Stops PHP-FPM cleanly (it removes its unix socket; a TCP port is closed). */
  async stopPhpFpm(): Promise<void> {
    if (this.fpm) await stop(this.fpm, 'SIGTERM');
  }

  /** Writes a file below the document root (www/). */
  writeSite(rel: string, content: string): void {
    mkdirSync(join(this.dir, 'www', rel, '..'), { recursive: true });
    writeFileSync(join(this.dir, 'www', rel), content);
  }

  /** A deploy marker line, as a deploy script would write it. */
  deploy(ref: string, what = 'deploy'): void {
    appendFileSync(this.logs.deploy, `${new Date().toISOString()} ${what} shop ref=${ref}\n`);
  }

  async stopAll(): Promise<void> {
    if (this.helpers.length) await sleep(500);
    for (const p of [this.app, this.fpm]) if (p) await stop(p, p === this.app ? this.appStop : 'SIGTERM');
    const attached = this.helpers.filter((h) => ['varnishncsa', 'varnishlog'].includes(h.name));
    for (const h of attached) await stop(h, 'SIGTERM');
    if (this.gateway) await stop(this.gateway, this.gatewayStop);
    if (this.helpers.length) await sleep(300);
    for (const h of this.helpers) await stop(h, 'SIGTERM');
    this.releaseCgroup();
  }

  /** Removes the memory cgroup (it must be empty: the app is stopped first). */
  releaseCgroup(): void {
    if (!this.cgroup) return;
    try {
      rmdirSync(this.cgroup);
    } catch {
      // A process still in it: the kernel keeps the group until it exits.
    }
    this.cgroup = undefined;
  }

  remove(): void {
    if (!process.env.FIVEXX_LAB_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}
