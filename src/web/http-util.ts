// The small HTTP helpers of watch's server: coded errors, answers with the security headers, bounded bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors/codes.ts';

const MAX_BODY = 64 * 1024;

export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, code: ErrorCode, message: string, headers: Readonly<Record<string, string>> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** No inline script or style anywhere: everything comes from watch's own files. */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'content-security-policy': CSP, 'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin', 'cross-origin-resource-policy': 'same-origin', 'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Readonly<Record<string, string | string[]>> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...SECURITY_HEADERS, ...extra });
  res.end(body);
}

export const json = (res: ServerResponse, status: number, body: unknown, extra: Readonly<Record<string, string | string[]>> = {}): void =>
  send(res, status, JSON.stringify(body) + '\n', 'application/json; charset=utf-8', extra);

export function redirect(res: ServerResponse, to: string, extra: Readonly<Record<string, string | string[]>> = {}): void {
  res.writeHead(303, { location: to, 'cache-control': 'no-store', ...SECURITY_HEADERS, ...extra });
  res.end();
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) throw new HttpError(413, 'FIVEXX_USAGE', `the body is over ${MAX_BODY} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'FIVEXX_USAGE', 'send Content-Type: application/json');
  const text = await readText(req);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'FIVEXX_USAGE', 'the body is not JSON');
  }
}

/** A form body (application/x-www-form-urlencoded), as the login form sends it. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'FIVEXX_USAGE', 'send a form (application/x-www-form-urlencoded)');
  return new URLSearchParams(await readText(req));
}

/** A whole number from the query, within bounds, or the default. */
export function intParam(url: URL, name: string, def: number, min: number, max: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new HttpError(400, 'FIVEXX_OPTION_INVALID', `${name} is a whole number from ${min} to ${max}`);
  return n;
}

/** A store answer, sync (SQLite) or async (PostgreSQL), as a promise: `await settled(store.x())` fits both. */
export function settled<T>(v: T | PromiseLike<T>): Promise<T> {
  return Promise.resolve(v);
}
