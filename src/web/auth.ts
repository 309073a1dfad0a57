// Dashboard login: scrypt password hashes, in-memory sessions with a CSRF token each, and a login rate limit.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEYLEN, { N: n, r, p, maxmem: 128 * n * r * 2 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$SALT$HASH` (base64): the form the config's `users[].passwordHash` takes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** True when the password matches the hash; a malformed hash or out-of-range cost never matches. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(hash);
  if (!m) return false;
  const [n, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (n < 1024 || n > 1 << 20 || (n & (n - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const want = Buffer.from(m[5] ?? '', 'base64');
  if (want.length !== KEYLEN) return false;
  const got = await derive(password, Buffer.from(m[4] ?? '', 'base64'), n, r, p);
  return timingSafeEqual(got, want);
}

export interface Session {
  readonly id: string;
  readonly user: string;
  readonly csrf: string;
  readonly expires: number;
}

const MAX_SESSIONS = 10_000;

/** Sessions live in memory: a restart logs everyone out. */
export class Sessions {
  readonly #byId = new Map<string, Session>();
  readonly #ttl: number;
  readonly #now: () => number;

  constructor(ttlMs: number, now: () => number = Date.now) {
    this.#ttl = ttlMs;
    this.#now = now;
  }

  create(user: string): Session {
    if (this.#byId.size >= MAX_SESSIONS) this.#sweep();
    // Still full of live sessions: the oldest goes.
    if (this.#byId.size >= MAX_SESSIONS) this.#byId.delete(this.#byId.keys().next().value ?? '');
    const s = { id: randomBytes(32).toString('base64url'), user, csrf: randomBytes(24).toString('base64url'), expires: this.#now() + this.#ttl };
    this.#byId.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.#byId.get(id);
    if (!s) return undefined;
    if (s.expires <= this.#now()) {
      this.#byId.delete(id);
      return undefined;
    }
    return s;
  }

  drop(id: string): void {
    this.#byId.delete(id);
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, s] of this.#byId) if (s.expires <= now) this.#byId.delete(id);
  }
}

/** Equal strings, compared in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** At most `max` failed logins per key (address, and user name) per window; then the key waits. */
export class LoginLimiter {
  readonly #fails = new Map<string, { n: number; since: number }>();
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(max = 5, windowMs = 15 * 60_000, now: () => number = Date.now) {
    this.#max = max;
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Seconds to wait before another try is allowed, 0 when allowed now. */
  waitFor(keys: readonly string[]): number {
    const now = this.#now();
    let wait = 0;
    for (const k of keys) {
      const f = this.#fails.get(k);
      if (!f) continue;
      if (now - f.since >= this.#windowMs) this.#fails.delete(k);
      else if (f.n >= this.#max) wait = Math.max(wait, Math.ceil((f.since + this.#windowMs - now) / 1000));
    }
    return wait;
  }

  fail(keys: readonly string[]): void {
    const now = this.#now();
    if (this.#fails.size > 50_000) this.#fails.clear();
    for (const k of keys) {
      const f = this.#fails.get(k);
      this.#fails.set(k, f && now - f.since < this.#windowMs ? { n: f.n + 1, since: f.since } : { n: 1, since: now });
    }
  }

  succeed(keys: readonly string[]): void {
    for (const k of keys) this.#fails.delete(k);
  }
}

/** The cookies of a request, by name (the first of each name wins). */
export function cookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    if (k && !out.has(k)) out.set(k, part.slice(eq + 1).trim());
  }
  return out;
}
