// The lab's real faults: each scenario starts real servers, breaks something on purpose and drives traffic.
import { drive, get, sleep, type Outcome } from './http-driver.ts';
import { Lab, type LabConfig } from './lab.ts';
import { waitForPort } from './ports.ts';
import { closeServer, startRawUpstream, type RawBehaviour } from './raw-upstream.ts';
import { Supervisor } from './supervisor.ts';

export interface Expectation {
  readonly cause: string;
  readonly layer: string;
  /** Statuses the incident must count. */
  readonly status: number;
}

export interface Scenario {
  readonly name: string;
  readonly what: string;
  readonly config: LabConfig;
  readonly needsPhp: boolean;
  /** Programs the scenario needs besides the gateway (absolute paths). */
  readonly tools?: readonly string[];
  /** Files the scenario needs to write (a memory cgroup): without them it is skipped, even in CI. */
  readonly writable?: readonly string[];
  /** The incidents the analysis must find (the first is the fault under test). */
  readonly expect: readonly Expectation[];
  run(lab: Lab): Promise<Outcome[]>;
}

async function warmUp(lab: Lab): Promise<Outcome[]> {
  return drive(lab.port, ['/', '/api/orders', '/cart'], 12, 3);
}

/** The Node app behind the gateway: a warm-up, then `count` requests over `routes`, `concurrency` at a time. */
function routeFault(name: string, what: string, config: LabConfig, routes: string[], count: number, concurrency: number, expect: Expectation[]): Scenario {
  return {
    name, what, config, needsPhp: false, expect,
    async run(lab) {
      await lab.startApp();
      await lab.startGateway();
      const ok = await warmUp(lab);
      return [...ok, ...(await drive(lab.port, routes, count, concurrency))];
    },
  };
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'refused',
    what: 'the app is stopped: nginx gets connection refused',
    config: {},
    needsPhp: false,
    expect: [{ cause: 'upstream.refused', layer: 'upstream', status: 502 }],
    async run(lab) {
      await lab.startApp();
      await lab.startGateway();
      const ok = await warmUp(lab);
      await lab.stopApp();
      return [...ok, ...(await drive(lab.port, ['/api/orders', '/cart'], 20, 2))];
    },
  },
  routeFault('socket-missing', 'nginx points fastcgi_pass at a PHP-FPM socket that does not exist', { phpSocket: 'missing' }, ['/index.php'], 10, 2,
    [{ cause: 'upstream.socket_missing', layer: 'upstream', status: 502 }]),

  routeFault('timeout', 'the app answers slower than proxy_read_timeout (1s): 504', { proxyReadTimeout: '1s' }, ['/slow?ms=2500'], 6, 3,
    [{ cause: 'upstream.timeout', layer: 'upstream', status: 504 }]),

  {
    name: 'premature-close',
    what: 'the app process is killed while it serves a request, before and after sending headers',
    config: {},
    needsPhp: false,
    expect: [
      { cause: 'upstream.premature_close', layer: 'upstream', status: 502 },
    ],
    async run(lab) {
      await lab.startApp();
      await lab.startGateway();
      const out = await warmUp(lab);
      for (let i = 0; i < 3; i++) {
        out.push(await get(lab.port, '/die'));
        await lab.waitAppExit();
        await lab.startApp();
        out.push(await get(lab.port, '/die-mid-body'));
        await lab.waitAppExit();
        await lab.startApp();
      }
      return out;
    },
  },
  routeFault('exception', 'an unhandled exception in a route: the app logs a stack trace and answers 500', {}, ['/throw'], 10, 2,
    [{ cause: 'app.exception', layer: 'app', status: 500 }]),

  {
    name: 'php-fatal',
    what: 'a PHP script calls an undefined function: PHP-FPM answers 500, nginx relays the fatal error',
    config: { phpSocket: 'fpm' },
    needsPhp: true,
    expect: [{ cause: 'app.exception', layer: 'app', status: 500 }],
    async run(lab) {
      await lab.startApp();
      await lab.startPhpFpm();
      await lab.startGateway();
      const ok = await drive(lab.port, ['/index.php', '/'], 6, 2);
      return [...ok, ...(await drive(lab.port, ['/fatal.php'], 8, 2))];
    },
  },
  routeFault('database-down', 'the database the app uses refuses connections: the app answers 500', {}, ['/db'], 10, 2,
    [{ cause: 'dependency.database', layer: 'dependency', status: 500 }]),

  {
    name: 'no-live-upstreams',
    what: 'every server of the upstream group is down: nginx marks them failed and reports no live upstreams',
    config: { upstreamServers: (_app, spare) => spare.slice(0, 2).map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=30s;`) },
    needsPhp: false,
    expect: [{ cause: 'gateway.no_healthy_upstream', layer: 'gateway', status: 502 }],
    async run(lab) {
      await lab.startGateway();
      return drive(lab.port, ['/api/orders', '/cart', '/'], 30, 2);
    },
  },
  {
    name: 'composite',
    what: 'a deploy ships a bug (500s on /api), it is rolled back, then the app is stopped (502s)',
    config: { errorLogLevel: 'notice' },
    needsPhp: false,
    expect: [
      { cause: 'app.exception', layer: 'app', status: 500 },
      { cause: 'upstream.refused', layer: 'upstream', status: 502 },
    ],
    async run(lab) {
      await lab.startApp();
      await lab.startGateway();
      const out = await drive(lab.port, ['/', '/api/orders', '/cart'], 30, 3);
      await sleep(1100);
      await lab.stopApp();
      lab.deploy('a1b2c3d');
      await lab.startApp({ args: ['--buggy', '1'] });
      await sleep(1100);
      out.push(...(await drive(lab.port, ['/api/orders', '/api/cart', '/'], 30, 3)));
      await sleep(1100);
      await lab.stopApp();
      lab.deploy('9f8e7d6', 'rollback');
      await lab.startApp();
      out.push(...(await drive(lab.port, ['/', '/api/orders'], 20, 3)));
      await sleep(3000);
      await lab.stopApp();
      out.push(...(await drive(lab.port, ['/api/orders', '/cart'], 20, 2)));
      return out;
    },
  },
  {
    name: 'rollback-restart',
    what: 'a rollback brings a bug back (500s: the rollback fits, plausibly), then a restart leaves the app down (502s: the restart fits, not the rollback)',
    config: { errorLogLevel: 'notice' },
    needsPhp: false,
    expect: [
      { cause: 'app.exception', layer: 'app', status: 500 },
      { cause: 'upstream.refused', layer: 'upstream', status: 502 },
    ],
    async run(lab) {
      await lab.startApp();
      await lab.startGateway();
      const out = await warmUp(lab);
      await sleep(1100);
      await lab.stopApp();
      lab.deploy('9f8e7d6', 'rollback');
      await lab.startApp({ args: ['--buggy', '1'] });
      await sleep(1100);
      // The 500s and the refused connections are one incident window, which opens at the first 500's second;
      // the restart counts for the refused connections only within 2 s after that (see correlate/trigger.ts).
      // So the 500s start at the top of a second and stop being sent after 800 ms, however slow the machine,
      // and the restart line is written before the app stops: every refused connection comes after it.
      await sleep(1000 - (Date.now() % 1000));
      out.push(...(await drive(lab.port, ['/api/orders', '/api/cart'], 20, 2, 800)));
      lab.deploy('9f8e7d6', 'restart');
      await lab.stopApp();
      out.push(...(await drive(lab.port, ['/api/orders', '/cart'], 20, 2)));
      return out;
    },
  },
];

/** A scenario where the Node app serves `route` with failing requests after a warm-up. */
export function nodeFault(name: string, what: string, route: string, count: number, expect: Expectation[], start: Parameters<Lab['startApp']>[0] = {}, config: LabConfig = {}): Scenario {
  return {
    name, what, config, needsPhp: false, expect,
    async run(lab) {
      await lab.startApp(start);
      await lab.startGateway();
      const ok = await warmUp(lab);
      const out = [...ok];
      for (let i = 0; i < count; i++) out.push(await get(lab.port, route));
      await sleep(200);
      out.push(...(await drive(lab.port, ['/api/orders', '/cart'], 6, 2)));
      return out;
    },
  };
}

/** A scenario where PHP-FPM serves `script` and fails. */
export function phpFault(name: string, what: string, script: string, count: number, concurrency: number, expect: Expectation[], config: LabConfig): Scenario {
  return {
    name, what, config: { phpSocket: 'fpm', ...config }, needsPhp: true, expect,
    async run(lab) {
      await lab.startApp();
      await lab.startPhpFpm();
      await lab.startGateway();
      const ok = await drive(lab.port, ['/index.php', '/'], 4, 2);
      return [...ok, ...(await drive(lab.port, [script], count, concurrency, 60_000))];
    },
  };
}

/** nginx in front of a TCP upstream that misbehaves on purpose. */
function rawFault(name: string, what: string, behaviour: RawBehaviour, expect: Expectation[]): Scenario {
  return {
    name, what, config: {}, needsPhp: false, expect,
    async run(lab) {
      const raw = await startRawUpstream(lab.spare[0] ?? 0, behaviour);
      try {
        await lab.startApp();
        await lab.startGateway();
        const ok = await warmUp(lab);
        return [...ok, ...(await drive(lab.port, ['/raw/orders'], 8, 2))];
      } finally {
        await closeServer(raw);
      }
    },
  };
}

export const MORE_SCENARIOS: readonly Scenario[] = [
  nodeFault('node-crash', 'an exception thrown outside any handler ends the Node.js process (Node prints its own crash dump)', '/crash', 1,
    [{ cause: 'app.crash', layer: 'app', status: 502 }]),
  nodeFault('node-heap', 'the Node.js app exhausts its heap (--max-old-space-size=32) and aborts', '/oom', 1,
    [{ cause: 'host.out_of_memory', layer: 'host', status: 502 }], { nodeFlags: ['--max-old-space-size=32'] }),
  nodeFault('disk-full', 'the app writes to a full device (/dev/full): ENOSPC, 500', '/disk', 6,
    [{ cause: 'host.disk_full', layer: 'host', status: 500 }]),
  nodeFault('fd-exhausted', 'the app leaks file descriptors under ulimit -n 96 until EMFILE', '/files', 8,
    [{ cause: 'host.fd_exhausted', layer: 'host', status: 500 }], { nofile: 96 }),
  nodeFault('missing-module', 'a route imports a package that is not installed: 500', '/report', 6,
    [{ cause: 'app.missing_dependency', layer: 'app', status: 500 }]),
  nodeFault('header-too-big', "the app sends a 12 KB Set-Cookie header, over nginx's proxy_buffer_size", '/big-header', 5,
    [{ cause: 'upstream.header_too_big', layer: 'upstream', status: 502 }]),
  nodeFault('rewrite-cycle', 'a try_files rule that falls back to itself: nginx answers 500', '/loop/x', 5,
    [{ cause: 'gateway.config', layer: 'gateway', status: 500 }], {}, { extraServer: 'location /loop/ { try_files $uri /loop/again; }' }),
  nodeFault('rate-limited', 'limit_req at 1 request per second rejects a burst with 503', '/limited', 8,
    [{ cause: 'gateway.rate_limited', layer: 'gateway', status: 503 }], {},
    { extraHttp: 'limit_req_zone $binary_remote_addr zone=perip:1m rate=1r/s;', extraServer: 'location /limited { limit_req zone=perip; proxy_pass http://app; }' }),
  nodeFault('tls-to-plain', 'proxy_pass https:// aimed at the plain-HTTP app port', '/tls/orders', 5,
    [{ cause: 'upstream.tls', layer: 'upstream', status: 502 }], {}, { extraServer: 'location /tls/ { proxy_pass https://127.0.0.1:{app}; }' }),
  nodeFault('dns', 'the upstream name does not resolve: the resolver does not answer', '/dns/orders', 3,
    [{ cause: 'upstream.dns', layer: 'upstream', status: 502 }], {},
    { extraServer: 'location /dns/ { resolver 127.0.0.1:{spare0} valid=1s; resolver_timeout 1s; set $backend "orders.internal.invalid"; proxy_pass http://$backend:8080; }' }),
  rawFault('reset', 'the upstream resets every connection as soon as the request arrives', 'reset', [{ cause: 'upstream.reset', layer: 'upstream', status: 502 }]),
  rawFault('invalid-header', 'the upstream sends a header line with a space in its name', 'invalid-header', [{ cause: 'upstream.invalid_response', layer: 'upstream', status: 502 }]),
  phpFault('php-memory', 'a PHP script exceeds memory_limit (16M)', '/memory.php', 4, 2, [{ cause: 'host.out_of_memory', layer: 'host', status: 500 }],
    { fpm: { iniAdmin: { memory_limit: '16M' } } }),
  // max_execution_time counts the script's CPU time: on a loaded machine 1 s of it takes many seconds, so nginx waits 50 s (never the 504 first).
  phpFault('php-max-execution', 'a PHP script runs past max_execution_time (1 s)', '/busy.php', 3, 2, [{ cause: 'app.timeout', layer: 'app', status: 500 }],
    { fpm: { iniAdmin: { max_execution_time: '1' }, maxChildren: 3 }, fastcgiReadTimeout: '50s' }),
  phpFault('php-missing-class', 'a PHP script uses a library class that is not installed', '/class.php', 4, 2,
    [{ cause: 'app.missing_dependency', layer: 'app', status: 500 }], {}),
  phpFault('php-max-children', 'one PHP-FPM child, slow scripts and concurrent visitors: the pool is full, nginx times out', '/sleep.php', 6, 4,
    [{ cause: 'app.capacity', layer: 'app', status: 504 }], { fpm: { maxChildren: 1 }, fastcgiReadTimeout: '2s' }),
  phpFault('php-terminate', 'PHP-FPM kills a script after request_terminate_timeout (1 s)', '/sleep.php', 3, 1,
    [{ cause: 'app.timeout', layer: 'app', status: 502 }], { fpm: { terminateTimeout: '1s' } }),
  phpFault('php-socket-permission', "PHP-FPM's socket is mode 0600 and nginx's workers may not open it", '/index.php', 4, 2,
    [{ cause: 'upstream.permission_denied', layer: 'upstream', status: 502 }], { fpm: { listenMode: '0600' } }),

  {
    name: 'local-time',
    what: 'nginx runs in UTC+3: its error log has local times without an offset, its access log +0300',
    config: { nginxTz: 'Etc/GMT-3' },
    needsPhp: false,
    expect: [{ cause: 'upstream.refused', layer: 'upstream', status: 502 }],
    async run(lab) {
      await lab.startApp();
      await lab.startGateway();
      const ok = await warmUp(lab);
      await lab.stopApp();
      return [...ok, ...(await drive(lab.port, ['/api/orders'], 8, 2))];
    },
  },
];

/** The same fault behind another gateway: the cause must not change, the status may. */
export function behind(gateway: 'apache' | 'haproxy' | 'caddy' | 'varnish', s: Scenario, statuses: Record<string, number>, causes: Record<string, string> = {}): Scenario {
  return {
    ...s,
    name: `${gateway}-${s.name}`,
    what: `behind ${gateway}: ${s.what}`,
    config: { ...s.config, gateway },
    expect: s.expect.map((e) => {
      const cause = causes[e.cause] ?? e.cause;
      return { ...e, cause, layer: cause.split('.')[0] ?? e.layer, status: statuses[e.cause] ?? e.status };
    }),
  };
}

export const byName = (n: string): Scenario => {
  const s = [...SCENARIOS, ...MORE_SCENARIOS].find((x) => x.name === n);
  if (!s) throw new Error(`no scenario ${n}`);
  return s;
};

export const APACHE_SCENARIOS: readonly Scenario[] = [
  behind('apache', byName('refused'), { 'upstream.refused': 503 }),
  behind('apache', byName('socket-missing'), { 'upstream.socket_missing': 503 }),
  behind('apache', byName('timeout'), { 'upstream.timeout': 502 }),
  behind('apache', byName('exception'), {}),
  behind('apache', byName('php-fatal'), {}),
  behind('apache', byName('database-down'), {}),
  behind('apache', byName('php-socket-permission'), { 'upstream.permission_denied': 503 }),
  behind('apache', byName('reset'), {}),
  behind('apache', byName('node-crash'), { 'app.crash': 502 }),
  {
    name: 'apache-htaccess',
    what: 'an .htaccess file with a directive of a module that is not loaded: Apache answers 500',
    config: { gateway: 'apache' },
    needsPhp: false,
    expect: [{ cause: 'gateway.config', layer: 'gateway', status: 500 }],
    async run(lab) {
      lab.writeSite('htaccess/.htaccess', 'Header set X-Frame-Options DENY\n');
      lab.writeSite('htaccess/index.html', 'hello\n');
      await lab.startApp();
      await lab.startGateway();
      const ok = await warmUp(lab);
      return [...ok, ...(await drive(lab.port, ['/htaccess/index.html'], 6, 2))];
    },
  },
];

export const HAPROXY_SCENARIOS: readonly Scenario[] = [
  behind('haproxy', byName('refused'), { 'upstream.refused': 503 }),
  behind('haproxy', byName('timeout'), {}),
  behind('haproxy', byName('exception'), {}),
  behind('haproxy', byName('database-down'), {}),
  behind('haproxy', byName('premature-close'), {}),
  behind('haproxy', byName('reset'), {}, { 'upstream.reset': 'upstream.premature_close' }),
  behind('haproxy', byName('invalid-header'), {}),
  {
    name: 'haproxy-no-server',
    what: 'behind haproxy: the app is stopped long enough for health checks to mark its only server DOWN: <NOSRV> 503',
    config: { gateway: 'haproxy' },
    needsPhp: false,
    expect: [{ cause: 'gateway.no_healthy_upstream', layer: 'gateway', status: 503 }],
    async run(lab) {
      await lab.startApp();
      await lab.startGateway();
      await sleep(1000);
      const ok = await warmUp(lab);
      await lab.stopApp();
      await sleep(2500);
      return [...ok, ...(await drive(lab.port, ['/api/orders', '/cart'], 10, 2))];
    },
  },
];

export const UWSGI_TOOLS = ['/usr/bin/uwsgi', '/usr/lib/uwsgi/plugins/python3_plugin.so'];

/** An app server (started by `start`) behind nginx: a warm-up, then `count` requests to `route`, one at a time. */
export function appServerFault(name: string, what: string, tools: string[], start: (lab: Lab) => Promise<void>, route: string, count: number,
  expect: Expectation[]): Scenario {
  return {
    name, what, config: {}, needsPhp: false, tools, expect,
    async run(lab) {
      await start(lab);
      await lab.startGateway();
      const ok = await drive(lab.port, ['/', '/cart'], 4, 2);
      return [...ok, ...(await drive(lab.port, [route], count, 1))];
    },
  };
}

export const APP_SERVER_SCENARIOS: readonly Scenario[] = [
  appServerFault('gunicorn-timeout', "a request outlives Gunicorn's worker timeout (1 s): the worker is killed, nginx sees the connection close",
    ['/usr/bin/gunicorn'], (lab) => lab.startGunicorn(1), '/slow', 3, [{ cause: 'app.timeout', layer: 'app', status: 502 }]),
  appServerFault('gunicorn-exception', 'the WSGI app raises: Gunicorn logs "Error handling request" with the traceback and answers 500',
    ['/usr/bin/gunicorn'], (lab) => lab.startGunicorn(30), '/boom', 5, [{ cause: 'app.exception', layer: 'app', status: 500 }]),
  appServerFault('uwsgi-harakiri', 'a request outlives uWSGI harakiri (1 s): the worker is killed, nginx sees the connection close',
    UWSGI_TOOLS, (lab) => lab.startUwsgi(1), '/slow', 3, [{ cause: 'app.timeout', layer: 'app', status: 502 }]),
  appServerFault('python-exception', 'a Python app raises KeyError in a handler and logs the traceback: 500',
    [], (lab) => lab.startPythonApp(), '/py/orders', 6, [{ cause: 'app.exception', layer: 'app', status: 500 }]),
  appServerFault('java-exception', 'a Java app throws in a handler (with a Caused by) and prints the stack trace: 500',
    ['/usr/bin/java'], (lab) => lab.startJavaApp(), '/java/orders', 4, [{ cause: 'app.exception', layer: 'app', status: 500 }]),
];

export const CADDY_SCENARIOS: readonly Scenario[] = [
  behind('caddy', byName('refused'), {}),
  behind('caddy', byName('timeout'), {}),
  behind('caddy', byName('exception'), {}),
  behind('caddy', byName('premature-close'), {}),
  behind('caddy', byName('reset'), {}),
];

export const VARNISH_SCENARIOS: readonly Scenario[] = [
  behind('varnish', byName('refused'), { 'upstream.refused': 503 }),
  behind('varnish', byName('timeout'), { 'upstream.timeout': 503 }),
  behind('varnish', byName('exception'), {}),
];

export const DEPENDENCY_SCENARIOS: readonly Scenario[] = [
  nodeFault('cache-down', 'the session store (Redis port 6379) refuses connections: the app answers 500', '/cache', 5,
    [{ cause: 'dependency.cache', layer: 'dependency', status: 500 }]),
  nodeFault('mysql-down', 'the MySQL database refuses connections (mysql2 client): the app answers 500', '/mysql', 5,
    [{ cause: 'dependency.database', layer: 'dependency', status: 500 }]),
  nodeFault('redis-down', 'Redis refuses connections (node-redis client): the app answers 500', '/redis', 5,
    [{ cause: 'dependency.cache', layer: 'dependency', status: 500 }]),
  nodeFault('partner-api-down', 'an HTTP API the app calls refuses connections (fetch failed): the app answers 500', '/partner', 5,
    [{ cause: 'dependency.external_api', layer: 'dependency', status: 500 }]),
  {
    name: 'port-in-use',
    what: 'a new app version cannot start because the port is taken (EADDRINUSE); nginx points at the port it meant to use',
    config: { upstreamServers: (_app, spare) => [`server 127.0.0.1:${spare[0] ?? 0};`] },
    needsPhp: false,
    expect: [{ cause: 'app.startup', layer: 'app', status: 502 }],
    async run(lab) {
      await lab.startApp();
      await lab.startGateway();
      await lab.startSecondApp(lab.appPort);
      await sleep(300);
      return drive(lab.port, ['/api/orders', '/cart'], 10, 2);
    },
  },
];

export const MORE_APP_SCENARIOS: readonly Scenario[] = [
  {
    name: 'gunicorn-boot-failure',
    what: "the WSGI module fails to import: Gunicorn's worker cannot boot, the master halts, nothing listens",
    config: {},
    needsPhp: false,
    tools: ['/usr/bin/gunicorn'],
    expect: [{ cause: 'app.startup', layer: 'app', status: 502 }],
    async run(lab) {
      await lab.startGunicorn(30, 'broken_app:application');
      await lab.startGateway();
      return drive(lab.port, ['/', '/cart'], 6, 2);
    },
  },
  {
    name: 'uwsgi-listen-queue',
    what: 'one uWSGI worker, a listen queue of 2 and slow requests: the queue fills, nginx times out',
    config: { proxyReadTimeout: '2s' },
    needsPhp: false,
    tools: UWSGI_TOOLS,
    expect: [{ cause: 'app.capacity', layer: 'app', status: 504 }],
    async run(lab) {
      await lab.startUwsgi(0, 2);
      await lab.startGateway();
      const ok = await drive(lab.port, ['/'], 2, 1);
      return [...ok, ...(await drive(lab.port, ['/slow'], 10, 10, 30_000))];
    },
  },
  phpFault('php-segfault', 'the FPM child serving a script dies on SIGSEGV mid-request (as a crashing extension makes it)', '/segv.php', 3, 1,
    [{ cause: 'app.crash', layer: 'app', status: 502 }], {}),
];

export const KERNEL_SCENARIOS: readonly Scenario[] = [
  {
    name: 'kernel-oom',
    what: "the app grows past its memory cgroup's limit (96 MB): the kernel's OOM killer kills it mid-request",
    config: {},
    needsPhp: false,
    tools: ['/usr/bin/dmesg'],
    writable: ['/sys/fs/cgroup/memory'],
    expect: [{ cause: 'host.out_of_memory', layer: 'host', status: 502 }],
    async run(lab) {
      const { spawnSync } = await import('node:child_process');
      const before = spawnSync('dmesg', ['-T'], { encoding: 'utf8' }).stdout.split('\n');
      if (!lab.memoryCgroup(96 << 20)) throw new Error('cannot create a memory cgroup');
      await lab.startApp();
      lab.confineApp();
      await lab.startGateway();
      const out = await warmUp(lab);
      out.push(await get(lab.port, '/hog'));
      await lab.waitAppExit();
      await sleep(300);
      lab.saveKernelLog(before);
      return out;
    },
  },
];

const PLAIN_APP = new URL('./apps/plain-app.ts', import.meta.url).pathname;

/** Process lifecycle: a supervisor restarts an app that crashes (untimed console output, placed by order). */
export const LIFECYCLE_SCENARIOS: readonly Scenario[] = [
  {
    name: 'crash-loop',
    what: 'a deploy ships a Node app (untimed console output) that crashes on a route; a supervisor restarts it: a crash-restart loop, refused 502s while it restarts',
    config: {},
    needsPhp: false,
    expect: [{ cause: 'app.crash', layer: 'app', status: 502 }],
    async run(lab) {
      const sup = new Supervisor(process.execPath, [PLAIN_APP, '--port', String(lab.appPort)], lab.logs.app, 800, 8);
      try {
        lab.deploy('c0ffee1');
        sup.start();
        await waitForPort(lab.appPort);
        await lab.startGateway();
        const out = await warmUp(lab);
        for (let i = 0; i < 3; i++) {
          out.push(await get(lab.port, '/crash'));
          out.push(...(await drive(lab.port, ['/api/orders', '/cart'], 6, 2)));
          await waitForPort(lab.appPort);
          out.push(...(await drive(lab.port, ['/', '/cart'], 4, 2)));
          await sleep(4000);
        }
        return out;
      } finally {
        await sup.stop();
      }
    },
  },
];
