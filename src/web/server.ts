// watch's HTTP face: /healthz, /metrics, the JSON API (incidents, targets, checks, changes) and /status.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { WatchService } from '../watch/service.ts';
import type { IncidentRow } from '../watch/store/types.ts';
import { renderStatusPage } from './status-page.ts';

const MAX_BODY = 64 * 1024;

export const changeBodySchema = z.strictObject({
  kind: z.enum(['deploy', 'rollback', 'config', 'restart', 'reload']),
  ref: z.string().min(1).max(200),
  service: z.string().max(200).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

const ackBodySchema = z.strictObject({ note: z.string().max(5000).optional(), author: z.string().max(200).optional() });

class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function send(res: ServerResponse, status: number, body: string, type: string): void {
  res.writeHead(status, {
    'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
    'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'", 'x-frame-options': 'DENY',
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown): void => send(res, status, JSON.stringify(body, null, 2) + '\n', 'application/json; charset=utf-8');

function tokenOk(req: IncomingMessage, tokens: readonly string[]): boolean {
  const m = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return false;
  const given = Buffer.from(m[1]);
  return tokens.some((t) => {
    const want = Buffer.from(t);
    return want.length === given.length && timingSafeEqual(want, given);
  });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'FIVEXX_USAGE', 'send Content-Type: application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new HttpError(413, 'FIVEXX_USAGE', `the body is over ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'FIVEXX_USAGE', 'the body is not JSON');
  }
}

/** An incident as the API shows it: analyze's shape plus id, target, state, resolvedAt. */
export function apiIncident(i: IncidentRow): Record<string, unknown> {
  return { ...i.data, id: i.id, target: i.target, state: i.state, cause: i.cause, layer: i.layer, resolvedAt: i.resolvedAt === null ? null : new Date(i.resolvedAt).toISOString(), acknowledged: i.acked, notes: i.notes };
}

export class WatchServer {
  readonly server: Server;
  readonly #watch: WatchService;
  readonly #now: () => number;

  constructor(watch: WatchService, now: () => number = Date.now) {
    this.#watch = watch;
    this.#now = now;
    this.server = createServer((req, res) => {
      this.#route(req, res).catch((err: unknown) => {
        if (err instanceof HttpError) json(res, err.status, { error: { code: err.code, message: err.message } });
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

  #authorize(req: IncomingMessage): void {
    const tokens = this.#watch.config.apiTokens;
    if (tokens.length === 0) throw new HttpError(403, 'FIVEXX_USAGE', 'the API is closed: set apiTokens in the config');
    if (!tokenOk(req, tokens)) throw new HttpError(401, 'FIVEXX_USAGE', 'send Authorization: Bearer <one of apiTokens>');
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://watch');
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    const w = this.#watch;
    if (route === 'GET /healthz') return send(res, 200, 'ok\n', 'text/plain; charset=utf-8');
    if (route === 'GET /metrics') {
      if (w.config.metricsToken) this.#authorize(req);
      return send(res, 200, w.metrics.registry.render(), 'text/plain; version=0.0.4; charset=utf-8');
    }
    if (route === 'GET /status') return send(res, 200, await renderStatusPage(w, this.#now()), 'text/html; charset=utf-8');
    if (!url.pathname.startsWith('/api/')) throw new HttpError(404, 'FIVEXX_USAGE', 'no such page');
    this.#authorize(req);
    if (route === 'GET /api/incidents') {
      const state = url.searchParams.get('state') ?? 'open';
      if (state !== 'open' && state !== 'resolved' && state !== 'all') throw new HttpError(400, 'FIVEXX_OPTION_INVALID', 'state is open, resolved or all');
      return json(res, 200, (await w.store.incidents(state)).map(apiIncident));
    }
    if (route === 'GET /api/targets') {
      return json(res, 200, await Promise.all(w.config.targets.map(async (t) => ({ name: t.name, url: t.url, group: t.group ?? null, state: w.state(t.name), lastCheck: (await w.store.lastCheck(t.name)) ?? null }))));
    }
    const checks = /^\/api\/targets\/([^/]+)\/checks$/.exec(url.pathname);
    if (req.method === 'GET' && checks?.[1]) {
      const since = Number(url.searchParams.get('since') ?? this.#now() - 3_600_000);
      return json(res, 200, await w.store.checks(decodeURIComponent(checks[1]), Number.isFinite(since) ? since : 0, 1000));
    }
    if (route === 'POST /api/changes') {
      const body = changeBodySchema.safeParse(await readJson(req));
      if (!body.success) throw new HttpError(400, 'FIVEXX_USAGE', body.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
      const at = body.data.at ? Date.parse(body.data.at) : this.#now();
      const id = await w.store.addChange({ at, kind: body.data.kind, ref: body.data.ref, service: body.data.service ?? null, source: 'api' });
      return json(res, 201, { id, at: new Date(at).toISOString() });
    }
    const ack = /^\/api\/incidents\/(\d+)\/ack$/.exec(url.pathname);
    if (req.method === 'POST' && ack?.[1]) {
      const body = ackBodySchema.safeParse(await readJson(req));
      if (!body.success) throw new HttpError(400, 'FIVEXX_USAGE', 'expected { "note"?: string, "author"?: string }');
      const id = Number(ack[1]);
      if (!(await w.store.incident(id))) throw new HttpError(404, 'FIVEXX_USAGE', `no incident ${id}`);
      await w.store.acknowledge(id, body.data.note ? { at: this.#now(), author: body.data.author ?? 'api', text: body.data.note } : undefined);
      return json(res, 200, apiIncident((await w.store.incident(id)) as IncidentRow));
    }
    throw new HttpError(404, 'FIVEXX_USAGE', 'no such API route');
  }
}
