// watch's HTTP face: /healthz, /metrics, /status (public), the dashboard (login), and the JSON API (an API token,
// or a dashboard session with its CSRF token on every state change).
import type { TLSSocket } from 'node:tls';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { WatchService } from '../watch/service.ts';
import type { IncidentRow, TargetState } from '../watch/store/types.ts';
import { cookies, LoginLimiter, sameSecret, type Session, Sessions, verifyPassword } from './auth.ts';
import { apiIncident, incidentDetail, maintenance, overview, timeline } from './dashboard-api.ts';
import { HttpError, intParam, json, readForm, readJson, redirect, send, settled } from './http-util.ts';
import { loadStatic, type StaticFile } from './static-files.ts';
import { renderStatusPage } from './status-page.ts';

export { apiIncident } from './dashboard-api.ts';

export const changeBodySchema = z.strictObject({
  kind: z.enum(['deploy', 'rollback', 'config', 'restart', 'reload']),
  ref: z.string().min(1).max(200),
  service: z.string().max(200).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

const ackBodySchema = z.strictObject({ note: z.string().max(5000).optional(), author: z.string().max(200).optional() });
const noteBodySchema = z.strictObject({ text: z.string().min(1).max(5000), public: z.boolean().optional() });
const COOKIE = 'fivexx_session';
const STATES = ['up', 'degraded', 'down', 'maintenance', 'all'] as const;
/** Checked when the name is unknown, so a wrong name costs the same scrypt as a wrong password. */
const DUMMY_HASH = `scrypt$16384$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`;

/** Who is calling: an API token holder, or a logged-in user with their session. */
type Caller = { kind: 'token' } | { kind: 'session'; session: Session };

function bearer(req: IncomingMessage): string | undefined {
  return /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
}

export class WatchServer {
  readonly server: Server;
  readonly #watch: WatchService;
  readonly #now: () => number;
  readonly #sessions: Sessions;
  readonly #limiter: LoginLimiter;
  readonly #files: Map<string, StaticFile>;

  constructor(watch: WatchService, now: () => number = Date.now) {
    this.#watch = watch;
    this.#now = now;
    this.#sessions = new Sessions(watch.config.sessionTtl, now);
    this.#limiter = new LoginLimiter(5, 15 * 60_000, now);
    this.#files = loadStatic();
    this.server = createServer((req, res) => {
      this.#route(req, res).catch((err: unknown) => {
        if (res.headersSent) return void res.destroy();
        if (err instanceof HttpError) json(res, err.status, { error: { code: err.code, message: err.message } }, err.headers);
        else json(res, 500, { error: { code: 'FIVEXX_INTERNAL', message: 'internal error' } });
      });
    });
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
  }

  listen(port: number, host = '127.0.0.1'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const a = this.server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  #session(req: IncomingMessage): Session | undefined {
    return this.#sessions.get(cookies(req.headers.cookie).get(COOKIE));
  }

  /** A token (as before) or a session; a session's state change must carry its CSRF token. */
  #caller(req: IncomingMessage): Caller {
    const tokens = this.#watch.config.apiTokens;
    const given = bearer(req);
    if (given !== undefined) {
      if (!tokens.some((t) => sameSecret(t, given))) throw new HttpError(401, 'FIVEXX_AUTH', 'send Authorization: Bearer <one of apiTokens>');
      return { kind: 'token' };
    }
    const session = this.#session(req);
    if (!session) {
      if (tokens.length === 0 && this.#watch.config.users.length === 0) throw new HttpError(403, 'FIVEXX_AUTH', 'the API is closed: set apiTokens or users in the config');
      throw new HttpError(401, 'FIVEXX_AUTH', 'log in, or send Authorization: Bearer <one of apiTokens>');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD' && !sameSecret(String(req.headers['x-csrf-token'] ?? ''), session.csrf)) {
      throw new HttpError(403, 'FIVEXX_AUTH', 'the CSRF token is missing or wrong: reload the page');
    }
    return { kind: 'session', session };
  }

  #cookie(req: IncomingMessage, value: string, maxAge: number): string {
    const secure = this.#watch.config.secureCookies || Boolean((req.socket as Partial<TLSSocket>).encrypted);
    return `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
  }

  #file(req: IncomingMessage, res: ServerResponse, name: string): void {
    const f = this.#files.get(name);
    if (!f) throw new HttpError(404, 'FIVEXX_USAGE', 'no such page');
    if (req.headers['if-none-match'] === f.etag) return void send(res, 304, '', f.type, { etag: f.etag, 'cache-control': 'no-cache' });
    send(res, 200, f.body, f.type, { etag: f.etag, 'cache-control': 'no-cache' });
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://watch');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const w = this.#watch;
    if (route === 'GET /healthz') return send(res, 200, 'ok\n', 'text/plain; charset=utf-8');
    if (route === 'GET /metrics') {
      if (w.config.metricsToken) this.#caller(req);
      return send(res, 200, w.metrics.registry.render(), 'text/plain; version=0.0.4; charset=utf-8');
    }
    if (route === 'GET /status') return send(res, 200, await renderStatusPage(w, this.#now()), 'text/html; charset=utf-8');
    const asset = /^\/assets\/([a-z]+\.(?:css|js|svg))$/.exec(url.pathname);
    if (req.method === 'GET' && asset?.[1]) return this.#file(req, res, asset[1]);
    if (route === 'GET /login') return this.#file(req, res, 'login.html');
    if (route === 'POST /login') return this.#login(req, res);
    if (route === 'POST /logout') return this.#logout(req, res);
    if (url.pathname.startsWith('/api/')) return this.#api(req, res, url, this.#caller(req));
    if (req.method === 'GET' && (url.pathname === '/' || /^\/(targets\/[^/]+|incidents\/\d+|incidents|feed|maintenance)$/.test(url.pathname))) {
      if (!this.#session(req)) return redirect(res, '/login');
      return this.#file(req, res, 'app.html');
    }
    throw new HttpError(404, 'FIVEXX_USAGE', 'no such page');
  }

  /** A login form post: same-origin only, rate-limited per address and per name, then a fresh session. */
  async #login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const site = req.headers['sec-fetch-site'];
    const origin = req.headers.origin;
    if ((site && site !== 'same-origin' && site !== 'none') || (origin && origin !== 'null' && URL.parse(origin)?.host !== req.headers.host)) {
      throw new HttpError(403, 'FIVEXX_AUTH', 'a login from another site was refused');
    }
    const form = await readForm(req);
    const name = (form.get('username') ?? '').slice(0, 100);
    const password = (form.get('password') ?? '').slice(0, 1000);
    const keys = [`a:${req.socket.remoteAddress ?? '?'}`, `u:${name}`];
    const wait = this.#limiter.waitFor(keys);
    if (wait > 0) throw new HttpError(429, 'FIVEXX_AUTH', `too many failed logins: try again in ${wait}s`, { 'retry-after': String(wait) });
    const user = this.#watch.config.users.find((u) => u.name === name);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) {
      this.#limiter.fail(keys);
      return redirect(res, '/login?failed=1');
    }
    this.#limiter.succeed(keys);
    const s = this.#sessions.create(user.name);
    redirect(res, '/', { 'set-cookie': this.#cookie(req, s.id, Math.floor(this.#watch.config.sessionTtl / 1000)) });
  }

  #logout(req: IncomingMessage, res: ServerResponse): void {
    const caller = this.#caller(req);
    if (caller.kind === 'session') this.#sessions.drop(caller.session.id);
    json(res, 200, { ok: true }, { 'set-cookie': this.#cookie(req, '', 0) });
  }

  async #api(req: IncomingMessage, res: ServerResponse, url: URL, caller: Caller): Promise<void> {
    const w = this.#watch;
    const now = this.#now();
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    if (route === 'GET /api/session') return json(res, 200, caller.kind === 'session' ? { user: caller.session.user, csrf: caller.session.csrf } : { user: null, csrf: null });
    if (route === 'GET /api/incidents') {
      const state = url.searchParams.get('state') ?? 'open';
      if (state !== 'open' && state !== 'resolved' && state !== 'all') throw new HttpError(400, 'FIVEXX_OPTION_INVALID', 'state is open, resolved or all');
      const limit = intParam(url, 'limit', 500, 1, 2000);
      const before = intParam(url, 'before', Number.MAX_SAFE_INTEGER, 0, Number.MAX_SAFE_INTEGER);
      const rows = url.searchParams.has('before') || url.searchParams.has('limit') ? await w.store.incidentsPage(state, before, limit) : await settled(w.store.incidents(state));
      return json(res, 200, rows.map(apiIncident));
    }
    if (route === 'GET /api/targets') {
      const last = await w.store.lastChecks(w.config.targets.map((t) => t.name));
      return json(res, 200, w.config.targets.map((t) => ({ name: t.name, url: t.url, group: t.group ?? null, state: w.state(t.name), lastCheck: last.get(t.name) ?? null })));
    }
    if (route === 'GET /api/overview') {
      const state = url.searchParams.get('state') ?? 'all';
      if (!(STATES as readonly string[]).includes(state)) throw new HttpError(400, 'FIVEXX_OPTION_INVALID', `state is one of ${STATES.join(', ')}`);
      const query = { page: intParam(url, 'page', 1, 1, 100_000), per: intParam(url, 'per', 50, 1, 200), state: state as TargetState | 'all', q: (url.searchParams.get('q') ?? '').slice(0, 100) };
      return json(res, 200, await overview(w, query, now));
    }
    if (route === 'GET /api/feed') {
      const rows = await w.store.failedFeed(intParam(url, 'after', 0, 0, Number.MAX_SAFE_INTEGER), intParam(url, 'limit', 50, 1, 200));
      return json(res, 200, rows);
    }
    if (route === 'GET /api/maintenance') return json(res, 200, maintenance(w, now));
    const target = /^\/api\/targets\/([^/]+)\/(checks|timeline)$/.exec(url.pathname);
    if (req.method === 'GET' && target?.[1]) {
      const name = decodeURIComponent(target[1]);
      if (target[2] === 'timeline') return json(res, 200, await timeline(w, name, intParam(url, 'hours', 24, 1, 24 * 90), now));
      const since = Number(url.searchParams.get('since') ?? now - 3_600_000);
      return json(res, 200, await settled(w.store.checks(name, Number.isFinite(since) ? since : 0, 1000)));
    }
    const incident = /^\/api\/incidents\/(\d+)(\/ack|\/notes)?$/.exec(url.pathname);
    if (incident?.[1]) return this.#incident(req, res, Number(incident[1]), incident[2] ?? '', caller);
    if (route === 'POST /api/changes') {
      const body = changeBodySchema.safeParse(await readJson(req));
      if (!body.success) throw new HttpError(400, 'FIVEXX_USAGE', body.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
      const at = body.data.at ? Date.parse(body.data.at) : now;
      const id = await settled(w.store.addChange({ at, kind: body.data.kind, ref: body.data.ref, service: body.data.service ?? null, source: caller.kind === 'session' ? `web:${caller.session.user}` : 'api' }));
      return json(res, 201, { id, at: new Date(at).toISOString() });
    }
    throw new HttpError(404, 'FIVEXX_USAGE', 'no such API route');
  }

  async #incident(req: IncomingMessage, res: ServerResponse, id: number, action: string, caller: Caller): Promise<void> {
    const w = this.#watch;
    const now = this.#now();
    if (req.method === 'GET' && action === '') return json(res, 200, await incidentDetail(w, id, now));
    if (req.method !== 'POST' || action === '') throw new HttpError(404, 'FIVEXX_USAGE', 'no such API route');
    const raw = await readJson(req);
    if (!(await settled(w.store.incident(id)))) throw new HttpError(404, 'FIVEXX_USAGE', `no incident ${id}`);
    const who = caller.kind === 'session' ? caller.session.user : undefined;
    if (action === '/ack') {
      const body = ackBodySchema.safeParse(raw);
      if (!body.success) throw new HttpError(400, 'FIVEXX_USAGE', 'expected { "note"?: string, "author"?: string }');
      await settled(w.store.acknowledge(id, body.data.note ? { at: now, author: who ?? body.data.author ?? 'api', text: body.data.note } : undefined));
    } else {
      const body = noteBodySchema.safeParse(raw);
      if (!body.success) throw new HttpError(400, 'FIVEXX_USAGE', 'expected { "text": string, "public"?: boolean }');
      await settled(w.store.addNote(id, { at: now, author: who ?? 'api', text: `${body.data.public ? '[public] ' : ''}${body.data.text.replace(/^\[public\] /, '')}` }));
    }
    return json(res, 200, apiIncident((await settled(w.store.incident(id))) as IncidentRow));
  }
}
