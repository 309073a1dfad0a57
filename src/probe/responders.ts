// Decides who drew a response by weighing evidence from catalog/responders: header, body, status and
// reason-phrase signs score authorship (it wrote the page) and passage (the response went through it).
// The best proven author wins; relays are named outermost first; nothing proven means 'unknown'.
import { decodeEntities } from './entities.ts';
import { loadResponders, type Responder, type ResponderVerdict, type Sign } from './responder-catalog.ts';

export { loadResponders, type Responder, type ResponderVerdict } from './responder-catalog.ts';

export interface Response {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The reason phrase of the status line ('' when unknown or HTTP/2). */
  readonly reason?: string;
}

/** A score of 4 proves authorship; 2 or 3 makes it probable; passage needs 3. */
const PROVEN = 4;
const PROBABLE = 2;
const RELAYED = 3;
const KIND_ORDER = { edge: 0, gateway: 1, app: 2 } as const;

interface Scored {
  readonly r: Responder;
  readonly author: number;
  readonly relay: number;
  readonly signs: readonly string[];
}

function describe(s: Sign, res: Response, body: string): string {
  if (s.header) return `${s.header}: ${(res.headers[s.header] ?? '').slice(0, 80)}`;
  if (s.body) return `body "${(s.body.exec(body)?.[0] ?? '').slice(0, 80)}"`;
  if (s.reason) return `reason phrase "${res.reason ?? ''}"`;
  if (s.emptyBody) return `an empty ${res.status} body${s.noHeader ? ` without ${s.noHeader}` : ''}`;
  return `status ${res.status}`;
}

function holds(s: Sign, res: Response, body: string): boolean {
  if (s.header && !(res.headers[s.header] !== undefined && s.regex?.test(res.headers[s.header] ?? ''))) return false;
  if (s.noHeader && res.headers[s.noHeader] !== undefined) return false;
  if (s.body && !s.body.test(body)) return false;
  if (s.reason && !s.reason.test(res.reason ?? '')) return false;
  if (s.status?.length && !s.status.includes(res.status)) return false;
  if (s.emptyBody && !(body.trim() === '' && res.status >= 500)) return false;
  return true;
}

function score(r: Responder, res: Response, body: string): Scored {
  let author = 0;
  let relay = 0;
  const signs: string[] = [];
  const relayFirst = [...r.signs].sort((a, b) => Number(a.withRelay ?? false) - Number(b.withRelay ?? false));
  for (const s of relayFirst) {
    if (s.withRelay && relay < RELAYED) continue;
    if (!holds(s, res, body)) continue;
    if (s.role !== 'relay') author += s.weight;
    if (s.role !== 'author') relay += s.weight;
    signs.push(describe(s, res, body));
  }
  // The status supports a claim already made: a responder that has a reading for this very status.
  if (author >= PROBABLE && r.verdicts.some((v) => v.status === res.status)) author += 1;
  return { r, author, relay, signs };
}

export interface Fingerprint {
  /** Who wrote the response: a responder id, 'app' (the application behind), or 'unknown'. */
  readonly responder: string;
  readonly kind: Responder['kind'] | 'unknown';
  /** Responders the response passed through, outermost first (not the author). */
  readonly via: readonly string[];
  /** Every hop named, outermost first, the author last. */
  readonly layers: readonly string[];
  readonly confidence: number;
  /** 'proven', 'probable', or 'inferred' (a relay's known page is absent, so the origin drew it). */
  readonly strength: 'proven' | 'probable' | 'inferred' | 'none';
  /** The signs that named the author and the relays, for people. */
  readonly signs: readonly string[];
  /** The author's own name for the app kind (werkzeug, rails), when known. */
  readonly framework?: string;
}

/** The body as read for matching: HTML entities decoded (Akamai's Reference&#32;&#35;…), CRLF as LF. */
export function normaliseBody(body: string): string {
  return decodeEntities(body.replace(/\r\n/g, '\n'));
}

function order(a: Scored, b: Scored): number {
  return KIND_ORDER[a.r.kind] - KIND_ORDER[b.r.kind] || b.relay - a.relay;
}

export function fingerprint(res: Response, responders = loadResponders()): Fingerprint {
  const body = normaliseBody(res.body);
  const scored = responders.map((r) => score(r, res, body));
  const best = scored.filter((s) => s.author >= PROBABLE).sort((a, b) => b.author - a.author || b.relay - a.relay)[0];
  const relays = scored.filter((s) => s.relay >= RELAYED && s !== best && s.r.kind !== 'app').sort(order);
  const via = relays.map((s) => s.r.id);
  const relaySigns = relays.flatMap((s) => s.signs.map((x) => `${x} (${s.r.id} on the path)`));
  if (best) {
    const app = best.r.kind === 'app';
    const responder = app ? 'app' : best.r.id;
    const proven = best.author >= PROVEN;
    const confidence = Math.min(0.95, (proven ? 0.7 : 0.45) + best.author / 40);
    return {
      responder, kind: best.r.kind, via, layers: [...via, responder], confidence, strength: proven ? 'proven' : 'probable',
      signs: [...best.signs, ...relaySigns], ...(app && best.r.id !== 'app' ? { framework: best.r.id } : {}),
    };
  }
  // A relay whose own error pages are known passed on a page that is none of them: the origin drew it.
  if (relays.length && body.trim() !== '') {
    return { responder: 'app', kind: 'app', via, layers: [...via, 'app'], confidence: 0.5, strength: 'inferred', signs: relaySigns };
  }
  return { responder: 'unknown', kind: 'unknown', via, layers: [...via, 'unknown'], confidence: 0.3, strength: 'none', signs: relaySigns };
}

/** The responder's reading of its own error response. */
export function responderVerdict(id: string, res: Response, responders = loadResponders()): ResponderVerdict | undefined {
  const r = responders.find((x) => x.id === id);
  const body = normaliseBody(res.body);
  return r?.verdicts.find((v) => (!v.status || v.status === res.status) && (!v.body || v.body.test(body)));
}

/** The responder's meaning for the visitor and the operator. */
export function responderMeaning(id: string, responders = loadResponders()): Responder['meaning'] | undefined {
  return responders.find((x) => x.id === id)?.meaning;
}
