// One check of a target through diagnose's own probe and verdict: phases, per-address checks, responder,
// request ID; the answer's evidence is kept (headers redacted, body cut) so a failure can be read later.
import type { CauseCatalog } from '../catalog/causes.ts';
import { DEFAULT_PROBE, probeUrl } from '../probe/http-probe.ts';
import type { Check, Verdict } from '../probe/types.ts';
import { decide } from '../probe/verdict.ts';
import { redactHeader, redactText } from '../report/redact.ts';
import type { TargetConfig } from './config-schema.ts';
import { checkExpectations } from './expectations.ts';
import type { CheckEvidence, CheckRow } from './store/types.ts';
import type { CheckOutcome } from './target-state.ts';

/** Headers as kept: secrets hidden by the report's own rules (src/report/redact.ts), long values cut. */
function keptHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  if (!headers) return undefined;
  const tally = { n: 0 };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k] = redactHeader(k, v.slice(0, 500), tally);
  return out;
}

export interface TargetCheck {
  readonly outcome: CheckOutcome;
  readonly row: Omit<CheckRow, 'id' | 'state'>;
  readonly verdict: Verdict;
  readonly checks: readonly Check[];
}

/** Probes the target (and its upstream) once and judges the answer. Never throws. */
export async function probeTarget(target: TargetConfig, catalog: CauseCatalog, now: () => number = Date.now): Promise<TargetCheck> {
  const at = now();
  const opts = { ...DEFAULT_PROBE, timeoutMs: target.timeout };
  const url = new URL(target.url);
  const upstream = target.upstream ? new URL(target.upstream) : undefined;
  const [front, back] = await Promise.all([probeUrl(url, opts), upstream ? probeUrl(upstream, opts) : Promise.resolve(undefined)]);
  let verdict = decide(catalog, front, back, upstream?.host ?? '');
  const http = front.find((c) => c.name === 'http' && !c.ok) ?? front.find((c) => c.name === 'http');
  const exp = checkExpectations(http, target.expect);
  const failedHop = front.find((c) => !c.ok);
  const ok = exp.failed.length === 0 && verdict.cause === null && !failedHop;
  if (!ok && verdict.cause === null) {
    // The site answered, but not as expected (a 200 with the wrong body, a 404): the app's own behaviour.
    verdict = { ...verdict, cause: 'app.unexplained', layer: 'app', summary: `the answer does not meet the target's expectations: ${exp.failed.join('; ')}` };
  }
  const evidence: CheckEvidence = {
    address: http?.address, httpVersion: http?.httpVersion, headers: keptHeaders(http?.headers), body: http?.body === undefined ? undefined : redactText(http.body.slice(0, 2048), { n: 0 }),
    tls: front.find((c) => c.name === 'tls')?.detail, requestId: http?.requestId, phases: http?.phases,
    failed: exp.failed, responder: verdict.responder, cause: verdict.cause, summary: verdict.summary,
  };
  const ms = http?.phases?.total ?? http?.ms ?? front.reduce((s, c) => s + c.ms, 0);
  return {
    outcome: { at, ok, slow: exp.slow, status: http?.status ?? null, cause: ok ? null : verdict.cause },
    row: { target: target.name, at, ok, status: http?.status ?? null, ms, code: ok ? null : (failedHop?.code ?? http?.code ?? null), evidence },
    verdict, checks: front,
  };
}
