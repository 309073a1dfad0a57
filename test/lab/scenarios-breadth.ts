// The lab's breadth: the same real faults behind every gateway they occur behind, and the faults of real
// stacks the first scenarios missed (connect timeouts, unix sockets to Gunicorn, queues, nginx's own limits).
import { mkdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { drive, sleep, type Outcome } from './http-driver.ts';
import { freePort, waitForPort } from './ports.ts';
import { holdConnections, POSTGRES_TOOLS, startPostgres } from './postgres.ts';
import {
  APACHE_SCENARIOS, APP_SERVER_SCENARIOS, CADDY_SCENARIOS, DEPENDENCY_SCENARIOS, HAPROXY_SCENARIOS, KERNEL_SCENARIOS, MORE_APP_SCENARIOS,
  MORE_SCENARIOS, SCENARIOS, UWSGI_TOOLS, VARNISH_SCENARIOS, appServerFault, behind, nodeFault, phpFault, type Scenario,
} from './scenarios.ts';

const BLACKHOLE = fileURLToPath(new URL('./apps/blackhole.py', import.meta.url));
const GUNICORN = ['/usr/bin/gunicorn'];

function named(n: string): Scenario {
  const all = [...SCENARIOS, ...MORE_SCENARIOS, ...APACHE_SCENARIOS, ...HAPROXY_SCENARIOS, ...APP_SERVER_SCENARIOS, ...CADDY_SCENARIOS,
    ...VARNISH_SCENARIOS, ...DEPENDENCY_SCENARIOS, ...MORE_APP_SCENARIOS, ...KERNEL_SCENARIOS, ...NEW_FAULTS];
  const s = all.find((x) => x.name === n);
  if (!s) throw new Error(`no scenario ${n}`);
  return s;
}

/** Opens `n` connections that stay in the listener's accept queue; the caller destroys them. */
async function fillQueue(port: number, n: number): Promise<Socket[]> {
  const socks = Array.from({ length: n }, () => {
    const s = connect(port, '127.0.0.1');
    s.on('error', () => undefined);
    return s;
  });
  await sleep(300);
  return socks;
}

/** Gunicorn on a unix socket in {dir}/run (mode `dirMode`), nginx proxying /gu/ to it. */
function gunicornSocket(name: string, what: string, dirMode: number, stopFirst: boolean, expect: Scenario['expect']): Scenario {
  return {
    name, what, needsPhp: false, tools: GUNICORN, expect,
    config: { extraServer: 'location /gu/ { proxy_pass http://unix:{dir}/run/gunicorn.sock:/; }' },
    async run(lab) {
      mkdirSync(lab.path('run'), { recursive: true, mode: dirMode });
      await lab.startGunicorn(30, 'wsgi_app:application', lab.path('run', 'gunicorn.sock'));
      await lab.startGateway();
      const out = await drive(lab.port, ['/gu/'], 2, 1);
      if (stopFirst) await lab.stopApp();
      return [...out, ...(await drive(lab.port, ['/gu/orders', '/gu/cart'], 8, 2))];
    },
  };
}

/** Faults of real stacks that the first scenarios did not make. */
export const NEW_FAULTS: readonly Scenario[] = [
  {
    name: 'connect-timeout',
    what: "nothing accepts on the app port (its accept queue is full, SYNs are dropped): the gateway's connect times out",
    // proxyReadTimeout: Apache's connect timeout falls back to ProxyTimeout (1 s here instead of 5).
    config: { extraHttp: 'proxy_connect_timeout 1s;', proxyReadTimeout: '1s' },
    needsPhp: false,
    expect: [{ cause: 'upstream.unreachable', layer: 'upstream', status: 504 }],
    async run(lab) {
      lab.startHelper('blackhole', 'python3', [BLACKHOLE, String(lab.appPort), '60']);
      await waitForPort(lab.appPort);
      const held = await fillQueue(lab.appPort, 2);
      try {
        await lab.startGateway();
        return await drive(lab.port, ['/api/orders', '/cart'], 3, 3);
      } finally {
        for (const s of held) s.destroy();
      }
    },
  },
  gunicornSocket('gunicorn-socket-gone', "nginx proxies to Gunicorn's unix socket; Gunicorn is stopped and its socket is gone", 0o755, true,
    [{ cause: 'upstream.socket_missing', layer: 'upstream', status: 502 }]),
  gunicornSocket('gunicorn-socket-permission', "Gunicorn's unix socket sits in a 0700 directory nginx's workers (nobody) may not enter", 0o700, false,
    [{ cause: 'upstream.permission_denied', layer: 'upstream', status: 502 }]),
  appServerFault('uwsgi-no-app', 'the WSGI file fails to import: uWSGI starts without an application and answers 500 ("no python application found")',
    UWSGI_TOOLS, (lab) => lab.startUwsgi(0, 100, 'broken_app.py'), '/orders', 5, [{ cause: 'app.startup', layer: 'app', status: 500 }]),
  {
    name: 'proxy-loop',
    what: "a location proxies to nginx's own address: each request recurses until worker_connections (64) run out, then 502 (nginx resets its own inner connections)",
    config: { workerConnections: 64, extraServer: 'location /loop-proxy/ { proxy_pass http://127.0.0.1:{port}; }' },
    needsPhp: false,
    expect: [{ cause: 'gateway.overloaded', layer: 'gateway', status: 502 }],
    async run(lab) {
      await lab.startApp();
      await lab.startGateway();
      const ok = await drive(lab.port, ['/'], 2, 1);
      return [...ok, ...(await drive(lab.port, ['/loop-proxy/orders'], 2, 1))];
    },
  },
  {
    name: 'php-header-too-big',
    what: 'a PHP script sends a 12 KB Set-Cookie header, over the FastCGI buffer',
    config: { phpSocket: 'fpm' },
    needsPhp: true,
    expect: [{ cause: 'upstream.header_too_big', layer: 'upstream', status: 502 }],
    async run(lab) {
      lab.writeSite('cookie.php', '<?php\nheader("Set-Cookie: session=" . str_repeat("s", 12000));\necho "ok\\n";\n');
      await lab.startApp();
      await lab.startPhpFpm();
      await lab.startGateway();
      const ok = await drive(lab.port, ['/index.php'], 2, 1);
      return [...ok, ...(await drive(lab.port, ['/cookie.php'], 4, 2))];
    },
  },
  {
    name: 'fpm-tcp-down',
    what: 'PHP-FPM listens on TCP (as in a php:fpm container) and is stopped: the gateway is refused',
    config: { phpSocket: 'tcp' },
    needsPhp: true,
    expect: [{ cause: 'upstream.refused', layer: 'upstream', status: 502 }],
    async run(lab) {
      await lab.startApp();
      await lab.startPhpFpm();
      await lab.startGateway();
      const ok = await drive(lab.port, ['/index.php'], 2, 1);
      await lab.stopPhpFpm();
      return [...ok, ...(await drive(lab.port, ['/index.php'], 8, 2))];
    },
  },
  {
    name: 'postgres-too-many-clients',
    what: 'a real PostgreSQL (max_connections 3) whose slots other clients hold: the app gets "sorry, too many clients already" and answers 500',
    config: {},
    needsPhp: false,
    tools: POSTGRES_TOOLS,
    expect: [{ cause: 'dependency.database', layer: 'dependency', status: 500 }],
    async run(lab) {
      const port = await freePort();
      await startPostgres(lab, port, 3);
      const held = await holdConnections(port, 3);
      try {
        await lab.startApp({ args: ['--db-port', String(port)] });
        await lab.startGateway();
        const ok = await drive(lab.port, ['/'], 2, 1);
        return [...ok, ...(await drive(lab.port, ['/db'], 6, 2))];
      } finally {
        await Promise.all(held.map((c) => c.end().catch(() => undefined)));
      }
    },
  },
  phpFault('php-timeout', 'a PHP script runs longer than fastcgi_read_timeout (1 s): 504', '/sleep.php', 3, 1,
    [{ cause: 'upstream.timeout', layer: 'upstream', status: 504 }], { fastcgiReadTimeout: '1s', proxyReadTimeout: '1s', fpm: { maxChildren: 5 } }),
  {
    name: 'haproxy-queue',
    what: 'behind haproxy: the app server line has maxconn 1 and slow requests: the others wait in the queue until timeout queue (503 sQ)',
    config: { gateway: 'haproxy', serverMaxconn: 1 },
    needsPhp: false,
    expect: [{ cause: 'app.capacity', layer: 'app', status: 503 }],
    async run(lab): Promise<Outcome[]> {
      await lab.startApp();
      await lab.startGateway();
      await sleep(600);
      const ok = await drive(lab.port, ['/'], 2, 1);
      return [...ok, ...(await drive(lab.port, ['/slow?ms=2500'], 6, 6))];
    },
  },
];

/** A scenario with room for CPU-time limits on a loaded machine: a 20 s proxy timeout and 3 FPM children. */
function patient(s: Scenario): Scenario {
  return { ...s, config: { ...s.config, proxyReadTimeout: '20s', fpm: { ...s.config.fpm, maxChildren: 3 } } };
}

/** The existing faults behind the other gateways, where operators run them. */
export const ACROSS_GATEWAYS: readonly Scenario[] = [
  behind('apache', named('premature-close'), {}),
  behind('apache', named('invalid-header'), { 'upstream.invalid_response': 500 }),
  behind('apache', named('php-terminate'), { 'app.timeout': 503 }),
  // max_execution_time counts CPU time: on a busy machine the script may outlive Apache's ProxyTimeout.
  patient(behind('apache', named('php-max-execution'), {})),
  behind('apache', named('php-memory'), {}),
  behind('apache', named('php-max-children'), {}),
  behind('apache', named('php-segfault'), { 'app.crash': 503 }),
  behind('apache', named('php-missing-class'), {}),
  behind('apache', named('php-timeout'), {}),
  behind('apache', named('gunicorn-timeout'), {}),
  behind('apache', named('gunicorn-exception'), {}),
  behind('apache', named('uwsgi-harakiri'), {}),
  behind('apache', named('gunicorn-boot-failure'), { 'app.startup': 503 }),
  behind('apache', named('connect-timeout'), { 'upstream.unreachable': 503 }),
  behind('apache', named('fpm-tcp-down'), { 'upstream.refused': 503 }),
  nodeFault('apache-tls-to-plain', 'behind apache: ProxyPass https:// (SSLProxyEngine on) aimed at the plain-HTTP app port', '/tls/orders', 5,
    [{ cause: 'upstream.tls', layer: 'upstream', status: 500 }], {}, {
      gateway: 'apache',
      extraServer: 'LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so\nSSLProxyEngine on\nProxyPass /tls/ https://127.0.0.1:{app}/',
    }),
  behind('apache', named('header-too-big'), {}),
  behind('apache', named('uwsgi-no-app'), {}),
  behind('apache', named('node-heap'), {}),
  behind('apache', named('kernel-oom'), {}),
  behind('haproxy', named('node-crash'), {}),
  behind('haproxy', named('node-heap'), {}),
  behind('haproxy', named('kernel-oom'), {}),
  behind('haproxy', named('gunicorn-timeout'), {}),
  behind('haproxy', named('uwsgi-harakiri'), {}),
  behind('haproxy', named('gunicorn-boot-failure'), { 'app.startup': 503 }),
  behind('haproxy', named('connect-timeout'), { 'upstream.unreachable': 503 }),
  behind('caddy', named('node-crash'), {}),
  behind('caddy', named('node-heap'), {}),
  behind('caddy', named('gunicorn-timeout'), {}),
  behind('caddy', named('database-down'), {}),
  behind('caddy', named('socket-missing'), {}),
  behind('caddy', named('php-fatal'), {}),
  behind('caddy', named('php-terminate'), {}),
  behind('caddy', named('connect-timeout'), { 'upstream.unreachable': 502 }),
  behind('caddy', named('fpm-tcp-down'), {}),
  nodeFault('caddy-tls-to-plain', 'behind caddy: reverse_proxy https:// aimed at the plain-HTTP app port', '/tls/orders', 5,
    [{ cause: 'upstream.tls', layer: 'upstream', status: 502 }], {}, { gateway: 'caddy', extraServer: 'reverse_proxy /tls/* https://127.0.0.1:{app}' }),
  behind('caddy', named('gunicorn-boot-failure'), {}),
  behind('varnish', named('premature-close'), { 'upstream.premature_close': 503 }),
  behind('varnish', named('node-crash'), { 'app.crash': 503 }),
  behind('varnish', named('node-heap'), { 'host.out_of_memory': 503 }),
  behind('varnish', named('gunicorn-timeout'), { 'app.timeout': 503 }),
  behind('varnish', named('database-down'), {}),
  behind('varnish', named('connect-timeout'), { 'upstream.unreachable': 503 }),
  behind('varnish', named('header-too-big'), { 'upstream.header_too_big': 503 }),
  behind('varnish', named('gunicorn-boot-failure'), { 'app.startup': 503 }),
];

export const BREADTH_SCENARIOS: readonly Scenario[] = [...NEW_FAULTS, ...ACROSS_GATEWAYS];

/**
 * The breadth scenarios `npm test` always runs (about a minute here): the new faults and every
 * scenario fivexx got wrong before its fix. The rest (already right, about three more minutes) run
 * when FIVEXX_LAB_BREADTH=1; `node test/lab/score.ts` scores them all without asserting.
 */
const CORE = new Set([
  ...NEW_FAULTS.map((s) => s.name), 'apache-connect-timeout', 'apache-invalid-header', 'apache-header-too-big', 'haproxy-gunicorn-boot-failure',
  'caddy-socket-missing', 'varnish-header-too-big', 'varnish-gunicorn-boot-failure',
]);

export function breadthScenarios(all: boolean): readonly Scenario[] {
  return all ? BREADTH_SCENARIOS : BREADTH_SCENARIOS.filter((s) => CORE.has(s.name));
}
