// Loads catalog/responders and decides who produced a response: status, headers and body against
// each responder's rules. An error page's body names its author even when an edge relays it.
import { join } from 'node:path';
import { CATALOG_DIR } from '../catalog/paths.ts';
import { FieldReader, readYamlTree } from '../catalog/yaml-files.ts';

interface Rule {
  readonly header: string;
  readonly body: RegExp | undefined;
  readonly regex: RegExp | undefined;
  readonly emptyBody: boolean;
  readonly weight: number;
  /** A header that only this responder's own responses carry (awselb's Server): it proves authorship. */
  readonly generated: boolean;
}

export interface ResponderVerdict {
  readonly status: number;
  readonly body: RegExp | undefined;
  readonly cause: string;
  readonly summary: string;
}

export interface Responder {
  readonly id: string;
  readonly kind: 'edge' | 'gateway' | 'app';
  readonly rules: readonly Rule[];
  readonly verdicts: readonly ResponderVerdict[];
}

export interface Response {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The reason phrase of the status line ('' when unknown or HTTP/2). */
  readonly reason?: string;
}

let cached: Responder[] | undefined;

export function loadResponders(dir = join(CATALOG_DIR, 'responders')): Responder[] {
  if (cached) return cached;
  cached = readYamlTree(dir).map((y) => {
    const f = FieldReader.of(y.path, y.data);
    return {
      id: f.string('id'),
      kind: f.string('kind') as Responder['kind'],
      rules: f.list('match').map((r) => {
        const flags = r.bool('ignoreCase') ? 'i' : '';
        const body = r.string('body', true);
        const regex = r.string('regex', true);
        return {
          header: r.string('header', true).toLowerCase(), body: body ? new RegExp(body, flags) : undefined,
          regex: regex ? new RegExp(regex, flags) : undefined, emptyBody: r.bool('emptyBody'), weight: r.number('weight', 1),
          generated: r.bool('generated'),
        };
      }),
      verdicts: f.list('verdicts').map((v) => {
        const body = v.string('body', true);
        return { status: v.number('status', 0), body: body ? new RegExp(body) : undefined, cause: v.string('cause'), summary: v.string('summary', true) };
      }),
    };
  });
  return cached;
}

/** `own`: evidence that the responder wrote this response; `header`: that the response passed through it. */
function score(r: Responder, res: Response): { own: number; header: number } {
  let own = 0;
  let header = 0;
  for (const rule of r.rules) {
    if (rule.body?.test(res.body)) own += rule.weight;
    else if (rule.emptyBody && res.body.trim() === '' && res.status >= 500) own += rule.weight;
    else if (rule.header && rule.regex) {
      const value = res.headers[rule.header];
      if (value !== undefined && rule.regex.test(value)) {
        header += rule.weight;
        if (rule.generated) own += rule.weight;
      }
    }
  }
  return { own, header };
}

export interface Fingerprint {
  /** Who wrote the response (its body, else its headers); 'app' when no gateway or edge claims it. */
  readonly responder: string;
  readonly kind: Responder['kind'];
  /** Edges seen in the headers, outermost hops that relayed the response. */
  readonly via: readonly string[];
  readonly confidence: number;
}

export function fingerprint(res: Response, responders = loadResponders()): Fingerprint {
  const scored = responders.map((r) => ({ r, ...score(r, res) }));
  const byOwn = scored.filter((s) => s.own >= 3).sort((a, b) => b.own - a.own || b.header - a.header)[0];
  // An edge whose headers are present and that has a reading for this very status (Cloudflare's 52x) wrote it.
  const byStatus = scored.find((s) => s.r.kind === 'edge' && s.header >= 3 && s.r.verdicts.some((v) => v.status === res.status && !v.body));
  const best = byOwn ?? byStatus;
  const via = scored.filter((s) => s.header >= 3 && s.r !== best?.r).map((s) => s.r.id);
  if (!best) return { responder: 'app', kind: 'app', via, confidence: res.status >= 500 ? 0.6 : 0.5 };
  return { responder: best.r.id, kind: best.r.kind, via, confidence: Math.min(0.95, 0.5 + (best.own + best.header) / 12) };
}

/** The responder's reading of its own error response. */
export function responderVerdict(id: string, res: Response, responders = loadResponders()): ResponderVerdict | undefined {
  const r = responders.find((x) => x.id === id);
  return r?.verdicts.find((v) => (!v.status || v.status === res.status) && (!v.body || v.body.test(res.body)));
}
