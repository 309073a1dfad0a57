// The lab's real faults: each scenario starts real servers, breaks something on purpose and drives traffic.
import { drive, get, sleep, type Outcome } from './http-driver.ts';
import { Lab, type LabConfig } from './nginx-lab.ts';

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
  /** The incidents the analysis must find (the first is the fault under test). */
  readonly expect: readonly Expectation[];
  run(lab: Lab): Promise<Outcome[]>;
}

async function warmUp(lab: Lab): Promise<Outcome[]> {
  return drive(lab.port, ['/', '/api/orders', '/cart'], 12, 3);
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
      await lab.startNginx();
      const ok = await warmUp(lab);
      await lab.stopApp();
      return [...ok, ...(await drive(lab.port, ['/api/orders', '/cart'], 20, 2))];
    },
  },
  {
    name: 'socket-missing',
    what: 'nginx points fastcgi_pass at a PHP-FPM socket that does not exist',
    config: { phpSocket: 'missing' },
    needsPhp: false,
    expect: [{ cause: 'upstream.socket_missing', layer: 'upstream', status: 502 }],
    async run(lab) {
      await lab.startApp();
      await lab.startNginx();
      const ok = await warmUp(lab);
      return [...ok, ...(await drive(lab.port, ['/index.php'], 10, 2))];
    },
  },
  {
    name: 'timeout',
    what: 'the app answers slower than proxy_read_timeout (1s): 504',
    config: { proxyReadTimeout: '1s' },
    needsPhp: false,
    expect: [{ cause: 'upstream.timeout', layer: 'upstream', status: 504 }],
    async run(lab) {
      await lab.startApp();
      await lab.startNginx();
      const ok = await warmUp(lab);
      return [...ok, ...(await drive(lab.port, ['/slow?ms=2500'], 6, 3))];
    },
  },
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
      await lab.startNginx();
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
  {
    name: 'exception',
    what: 'an unhandled exception in a route: the app logs a stack trace and answers 500',
    config: {},
    needsPhp: false,
    expect: [{ cause: 'app.exception', layer: 'app', status: 500 }],
    async run(lab) {
      await lab.startApp();
      await lab.startNginx();
      const ok = await warmUp(lab);
      return [...ok, ...(await drive(lab.port, ['/throw'], 10, 2))];
    },
  },
  {
    name: 'php-fatal',
    what: 'a PHP script calls an undefined function: PHP-FPM answers 500, nginx relays the fatal error',
    config: { phpSocket: 'fpm' },
    needsPhp: true,
    expect: [{ cause: 'app.exception', layer: 'app', status: 500 }],
    async run(lab) {
      await lab.startApp();
      await lab.startPhpFpm();
      await lab.startNginx();
      const ok = await drive(lab.port, ['/index.php', '/'], 6, 2);
      return [...ok, ...(await drive(lab.port, ['/fatal.php'], 8, 2))];
    },
  },
  {
    name: 'database-down',
    what: 'the database the app uses refuses connections: the app answers 500',
    config: {},
    needsPhp: false,
    expect: [{ cause: 'dependency.database', layer: 'dependency', status: 500 }],
    async run(lab) {
      await lab.startApp();
      await lab.startNginx();
      const ok = await warmUp(lab);
      return [...ok, ...(await drive(lab.port, ['/db'], 10, 2))];
    },
  },
  {
    name: 'no-live-upstreams',
    what: 'every server of the upstream group is down: nginx marks them failed and reports no live upstreams',
    config: { upstreamServers: (_app, spare) => spare.slice(0, 2).map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=30s;`) },
    needsPhp: false,
    expect: [{ cause: 'gateway.no_healthy_upstream', layer: 'gateway', status: 502 }],
    async run(lab) {
      await lab.startNginx();
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
      await lab.startNginx();
      const out = await drive(lab.port, ['/', '/api/orders', '/cart'], 30, 3);
      await sleep(1100);
      await lab.stopApp();
      lab.deploy('a1b2c3d');
      await lab.startApp(['--buggy', '1']);
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
];
