// A real nginx on 127.0.0.1 with its own temporary config, in front of a real Node app and PHP-FPM.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForPort } from './ports.ts';
import { start, stop, type Started } from './processes.ts';
import { sleep } from './http-driver.ts';

const APP = fileURLToPath(new URL('./apps/node-app.ts', import.meta.url));
const PY_APP = fileURLToPath(new URL('./apps/py-app.py', import.meta.url));
const PHP_FPM = ['/usr/sbin/php-fpm8.2', '/usr/sbin/php-fpm'].find((p) => existsSync(p)) ?? 'php-fpm8.2';
const NGINX = ['/usr/sbin/nginx'].find((p) => existsSync(p)) ?? 'nginx';

export const LAB_LOG_FORMAT =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" ' +
  'rt=$request_time ua="$upstream_addr" us="$upstream_status" uct="$upstream_connect_time" uht="$upstream_header_time" urt="$upstream_response_time"';

export interface LabConfig {
  /** Extra `server` lines for the app upstream block; default: the app's port. */
  readonly upstreamServers?: (appPort: number, spare: number[]) => string[];
  readonly proxyReadTimeout?: string;
  readonly errorLogLevel?: 'error' | 'warn' | 'notice' | 'info';
  /** Where PHP requests go: the FPM socket, or a path that does not exist. */
  readonly phpSocket?: 'fpm' | 'missing';
  /** Extra nginx lines inside `http {}` and inside `server {}`; {dir} {app} {spare0} are replaced. */
  readonly extraHttp?: string;
  readonly extraServer?: string;
  readonly fastcgiReadTimeout?: string;
  /** TZ for nginx, so its local times (error log) and offsets (access log) are not UTC. */
  readonly nginxTz?: string;
  readonly fpm?: { readonly maxChildren?: number; readonly terminateTimeout?: string; readonly listenMode?: string; readonly iniAdmin?: Record<string, string> };
}

export interface AppStart {
  readonly args?: string[];
  readonly nodeFlags?: string[];
  /** Open-files limit for the app process (ulimit -n). */
  readonly nofile?: number;
}

export function hasNginx(): boolean {
  return existsSync(NGINX);
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
  private nginx: Started | undefined;
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
    for (let i = 0; i < 5; i++) ports.push(await freePort());
    const lab = new Lab(dir, ports, config);
    writeFileSync(join(dir, 'www', 'index.php'), '<?php echo "php ok\\n";\n');
    writeFileSync(join(dir, 'www', 'fatal.php'), '<?php\n$order = ["id" => 1];\necho render_invoice($order);\n');
    writeFileSync(join(dir, 'www', 'memory.php'), '<?php\n$rows = [];\nfor ($i = 0; ; $i++) { $rows[] = str_repeat("row", 1000); }\n');
    writeFileSync(join(dir, 'www', 'busy.php'), '<?php\n$n = 0;\nwhile (true) { $n++; }\n');
    writeFileSync(join(dir, 'www', 'sleep.php'), '<?php\nsleep(3);\necho "slept\\n";\n');
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

  private nginxConf(): string {
    const c = this.config;
    const servers = (c.upstreamServers ?? ((p: number) => [`server 127.0.0.1:${p};`]))(this.appPort, this.spare);
    const sock = c.phpSocket === 'missing' ? this.path('run', 'php-fpm-missing.sock') : this.path('php-fpm.sock');
    const tmp = this.path('tmp');
    const fill = (s: string | undefined): string =>
      (s ?? '').replaceAll('{dir}', this.dir).replaceAll('{app}', String(this.appPort)).replaceAll('{spare0}', String(this.spare[0] ?? 0));
    return `worker_processes 1;
daemon off;
pid ${this.path('nginx.pid')};
error_log ${this.logs.error} ${c.errorLogLevel ?? 'error'};
events { worker_connections 256; }
http {
  log_format lab '${LAB_LOG_FORMAT}';
  access_log ${this.logs.access} lab;
  access_log ${this.logs.combined} combined;
  client_body_temp_path ${tmp}/body;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  upstream app {
    ${servers.join('\n    ')}
  }
  ${fill(c.extraHttp)}
  server {
    listen 127.0.0.1:${this.port};
    server_name lab.test;
    location / {
      proxy_pass http://app;
      proxy_read_timeout ${c.proxyReadTimeout ?? '5s'};
      proxy_next_upstream error timeout;
    }
    location ~ \\.php$ {
      root ${this.path('www')};
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
      fastcgi_pass unix:${sock};
      fastcgi_read_timeout ${c.fastcgiReadTimeout ?? '5s'};
    }
    ${fill(c.extraServer)}
  }
}
`;
  }

  async startNginx(): Promise<void> {
    const conf = this.path('nginx.conf');
    writeFileSync(conf, this.nginxConf());
    const env = this.config.nginxTz ? { TZ: this.config.nginxTz } : undefined;
    this.nginx = start('nginx', NGINX, ['-c', conf, '-p', this.dir, '-e', this.logs.error], this.path('nginx.stderr'), env);
    await waitForPort(this.port);
  }

  async startApp(opts: AppStart = {}): Promise<void> {
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

  /** Stops the app (SIGTERM: a clean stop; SIGKILL: a crash) and waits until it is gone. */
  async stopApp(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.app) await stop(this.app, signal);
  }

  async waitAppExit(ms = 5000): Promise<void> {
    if (!this.app) return;
    await Promise.race([this.app.exited, sleep(ms)]);
  }

  async startPhpFpm(): Promise<void> {
    const root = process.getuid?.() === 0;
    const conf = this.path('php-fpm.conf');
    const f = this.config.fpm ?? {};
    const ini = Object.entries(f.iniAdmin ?? {}).map(([k, v]) => `php_admin_value[${k}] = ${v}`).join('\n');
    writeFileSync(conf, `[global]
pid = ${this.path('php-fpm.pid')}
error_log = ${this.logs.fpm}
daemonize = no
[www]
${root ? 'user = nobody\ngroup = nogroup\n' : ''}listen = ${this.path('php-fpm.sock')}
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
    const until = Date.now() + 5000;
    while (!existsSync(this.path('php-fpm.sock')) && Date.now() < until) await sleep(50);
    if (!existsSync(this.path('php-fpm.sock'))) throw new Error('php-fpm did not create its socket');
  }

  /** A deploy marker line, as a deploy script would write it. */
  deploy(ref: string, what = 'deploy'): void {
    appendFileSync(this.logs.deploy, `${new Date().toISOString()} ${what} shop ref=${ref}\n`);
  }

  async stopAll(): Promise<void> {
    for (const p of [this.nginx, this.app, this.fpm]) if (p) await stop(p, p === this.nginx ? 'SIGQUIT' : 'SIGTERM');
  }

  remove(): void {
    if (!process.env.FIVEXX_LAB_KEEP) rmSync(this.dir, { recursive: true, force: true });
  }
}
