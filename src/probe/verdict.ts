// Turns probe checks into a verdict (pure): which hop failed, the cause, and what to do next.
import { causeId, requireCause, type CauseCatalog } from '../catalog/causes.ts';
import type { CauseId } from '../catalog/cause-ids.ts';
import type { Layer } from '../events/types.ts';
import { fingerprint, responderMeaning, responderVerdict, type Fingerprint } from './responders.ts';
import type { Check, Verdict } from './types.ts';

const KNOWN_TIMEOUTS: [number, string][] = [
  [60, "nginx's and Apache's default proxy timeout (60 s)"],
  [30, "an ALB's or Heroku's 30 s limit"],
  [15, "Envoy's default route timeout (15 s)"],
  [100, "Cloudflare's proxy read timeout (100 s)"],
];

function timeoutHint(ms: number): string {
  const s = ms / 1000;
  const hit = KNOWN_TIMEOUTS.find(([t]) => Math.abs(s - t) <= Math.max(1, t * 0.05));
  return hit ? ` after ${s.toFixed(1)} s, which matches ${hit[1]}` : ` after ${s.toFixed(1)} s`;
}

function make(catalog: CauseCatalog, cause: CauseId | null, status: number | null, responder: string, confidence: number, summary: string, upstream: string): Verdict {
  const c = cause ? requireCause(catalog, cause, 'src/probe/verdict.ts') : undefined;
  const layer: Layer | null = c?.layer ?? null;
  const steps = (c?.nextSteps ?? []).map((s) => s.replaceAll('{upstream}', upstream || 'the upstream').replaceAll('{path}', 'the failing path').replaceAll('{host}', 'the site'));
  return { layer, cause, status, responder, confidence, summary, nextSteps: steps };
}

const first = (checks: readonly Check[], name: string): Check | undefined => checks.find((c) => c.name === name);

/** What the backend probe says about a front error. */
function fromUpstream(up: readonly Check[]): { cause: CauseId; summary: string } | undefined {
  const dns = first(up, 'dns');
  if (dns && !dns.ok) return { cause: 'upstream.dns', summary: `the backend's name does not resolve (${dns.detail ?? ''})` };
  const tcp = first(up, 'tcp');
  if (tcp && !tcp.ok) {
    if (tcp.code === 'ECONNREFUSED') return { cause: 'upstream.refused', summary: `the backend refuses connections (${tcp.detail ?? ''})` };
    return { cause: 'upstream.unreachable', summary: `the backend cannot be reached (${tcp.detail ?? ''})` };
  }
  const tls = first(up, 'tls');
  if (tls && !tls.ok) return { cause: 'upstream.tls', summary: `TLS to the backend fails: ${tls.detail ?? ''}` };
  const http = first(up, 'http');
  if (!http) return undefined;
  if (http.code === 'FIVEXX_PROBE_TIMEOUT' || http.code === 'FIVEXX_PROBE_DEADLINE') return { cause: 'upstream.timeout', summary: `the backend accepts connections but gives no complete response (${http.detail ?? ''})` };
  if (http.code === 'ECONNRESET') return { cause: 'upstream.reset', summary: 'the backend resets the connection' };
  if (http.code && /^HPE_/.test(http.code)) return { cause: 'upstream.invalid_response', summary: `the backend's answer is not valid HTTP (${http.code})` };
  if (!http.status) return { cause: 'upstream.premature_close', summary: `the backend closed the connection without a response (${http.detail ?? ''})` };
  if (http.status >= 500) return { cause: 'app.unexplained', summary: `the backend itself answers ${http.status}: the application fails` };
  return { cause: 'gateway.config', summary: `the backend answers ${http.status} when asked directly: the gateway's proxy target, port or TLS settings are at fault` };
}

export function decide(catalog: CauseCatalog, front: readonly Check[], upstream: readonly Check[] | undefined, upstreamHost: string): Verdict {
  const dns = first(front, 'dns');
  if (dns && !dns.ok) return make(catalog, 'client.network', null, 'unknown', 0.5, `the site's name does not resolve from here (${dns.detail ?? ''}): a DNS record, resolver or local network problem`, upstreamHost);
  const tcps = front.filter((c) => c.name === 'tcp');
  if (tcps.length > 0 && tcps.every((c) => !c.ok)) {
    const c = tcps[0];
    const what = c?.code === 'ECONNREFUSED' ? 'refuses connections' : 'does not answer';
    return make(catalog, 'gateway.unexplained', null, 'unknown', 0.7, `the site's address ${what} (${c?.detail ?? ''}): the web server or load balancer is down or blocked`, upstreamHost);
  }
  const badTls = front.find((c) => c.name === 'tls' && !c.ok);
  const https = front.filter((c) => c.name === 'http');
  const failing = https.find((c) => !c.ok) ?? https[0];
  if (badTls && (!failing || failing.ok)) {
    return make(catalog, 'gateway.config', failing?.status ?? null, 'unknown', 0.8, `visitors' browsers reject the site's TLS: ${badTls.detail ?? ''}`, upstreamHost);
  }
  if (!failing) return make(catalog, 'gateway.unexplained', null, 'unknown', 0.3, 'no HTTP check ran', upstreamHost);
  if (failing.ok) {
    const bad = https.filter((c) => !c.ok).length;
    return { layer: null, cause: null, status: failing.status ?? null, responder: failing.headers ? fingerprint({ status: failing.status ?? 0, headers: failing.headers, body: failing.body ?? '', reason: failing.reason ?? '' }).responder : 'unknown', confidence: 0.9, summary: bad ? `${bad} address(es) failed` : `the site answers ${failing.status ?? ''}`, nextSteps: [] };
  }
  if (failing.code === 'REDIRECT_LOOP') return make(catalog, 'gateway.config', failing.status ?? null, 'unknown', 0.8, `the site ${failing.detail ?? 'redirects in a loop'}`, upstreamHost);
  if (failing.code === 'REDIRECT_LIMIT') return make(catalog, 'gateway.config', failing.status ?? null, 'unknown', 0.6, `the site sends ${failing.detail ?? 'too many redirects'}: not a loop, but a chain too long to follow`, upstreamHost);
  if (!failing.status) {
    const up = upstream ? fromUpstream(upstream) : undefined;
    if (up) return make(catalog, up.cause, null, 'unknown', 0.75, `the site sent no HTTP response (${failing.detail ?? ''}); ${up.summary}`, upstreamHost);
    return make(catalog, 'gateway.unexplained', null, 'unknown', 0.5, `the site sent no usable HTTP response: ${failing.detail ?? ''}`, upstreamHost);
  }
  return fromResponse(catalog, failing, upstream, upstreamHost);
}

/** Who drew the page, named for people: the author, and the hops that relayed it (outermost first). */
export function drawnBy(fp: Fingerprint): string {
  const who = fp.responder === 'unknown' ? 'an unknown responder' : fp.responder === 'app' ? `the application${fp.framework ? ` (${fp.framework})` : ''}` : fp.responder;
  const probably = fp.strength === 'probable' || fp.strength === 'inferred' ? 'probably ' : '';
  return `${probably}${who}${fp.via.length ? ` (relayed by ${fp.via.join(' → ')})` : ''}`;
}

/** The verdict for one HTTP response (a live probe's, or a saved page's when `failing` comes from --page). */
export function fromResponse(catalog: CauseCatalog, failing: Check, upstream: readonly Check[] | undefined, upstreamHost: string): Verdict {
  const status = failing.status ?? 0;
  const res = { status, headers: failing.headers ?? {}, body: failing.body ?? '', reason: failing.reason ?? '' };
  const fp = fingerprint(res);
  const waited = failing.phases?.total ?? failing.ms;
  const hint = (status === 504 || status === 524) && waited > 0 ? timeoutHint(waited) : '';
  let up = upstream ? fromUpstream(upstream) : undefined;
  const backend = upstream ? first(upstream, 'http') : undefined;
  const frontMs = failing.phases?.total ?? failing.ms;
  if ((status === 504 || status === 524) && backend?.status !== undefined && backend.status < 500 && backend.ms >= frontMs * 0.9) {
    up = { cause: 'upstream.timeout', summary: `the backend answers, but in ${(backend.ms / 1000).toFixed(1)} s, longer than the ${(frontMs / 1000).toFixed(1)} s the gateway waited` };
  }
  const said = `${drawnBy(fp)} answered ${status}${hint}`;
  if (up && fp.kind !== 'edge') return withPage(make(catalog, up.cause, status, fp.responder, 0.9, `${said}; ${up.summary}`, upstreamHost), fp);
  const rv = fp.responder === 'unknown' ? undefined : responderVerdict(fp.kind === 'app' ? fp.framework ?? 'app' : fp.responder, res);
  if (fp.kind === 'app' || fp.kind === 'unknown') {
    const cause: CauseId = rv ? causeId(catalog, rv.cause, `catalog/responders (${fp.responder})`) : status === 500 ? 'app.unexplained' : 'upstream.unexplained';
    const why = fp.kind === 'unknown' ? 'no known proxy, CDN or framework page; nothing in it proves who drew it' : rv?.summary ?? 'no proxy or CDN error page';
    return withPage(make(catalog, cause, status, fp.responder, Math.min(fp.confidence, 0.6), `${said}: ${why}`, upstreamHost), fp);
  }
  const cause: CauseId = rv ? causeId(catalog, rv.cause, `catalog/responders (${fp.responder})`) : fp.kind === 'edge' ? 'edge.unexplained' : 'gateway.unexplained';
  return withPage(make(catalog, cause, status, fp.responder, Math.min(fp.confidence, rv ? 0.9 : 0.5), `${said}: ${rv?.summary ?? 'its page does not say more'}`, upstreamHost), fp);
}

/** Adds who drew the page: every hop outermost first, the signs seen, and what it means to each reader. */
function withPage(v: Verdict, fp: Fingerprint): Verdict {
  const meaning = fp.responder === 'unknown' ? undefined : responderMeaning(fp.kind === 'app' ? fp.framework ?? 'app' : fp.responder);
  return { ...v, layers: fp.layers, signs: fp.signs, ...(meaning ? { meaning } : {}) };
}

/** The same verdict with another cause: layer and next steps follow the cause. */
export function withCause(catalog: CauseCatalog, v: Verdict, cause: CauseId, summary: string, confidence = v.confidence): Verdict {
  return make(catalog, cause, v.status, v.responder, confidence, summary, '');
}
