// Renders a diagnosis for people: the hops left to right with the failing one marked, then the checks.
import type { Diagnosis } from '../probe/types.ts';
import { redactedNote } from './format-helpers.ts';
import { escapeDeep } from './safe-text.ts';
import type { Style } from './terminal.ts';

const HOPS = ['client', 'edge', 'gateway', 'upstream', 'app', 'dependency', 'host'] as const;
const LABEL: Record<string, string> = { client: 'visitor', edge: 'edge', gateway: 'gateway', upstream: 'upstream link', app: 'app', dependency: 'dependency', host: 'host' };

/** Who drew the page (every hop, outermost first), the signs that say so, and what it means to each reader (text already escaped). */
function drawnBy(d: Diagnosis, st: Style): string[] {
  const v = d.verdict;
  if (!v.layers?.length) return [];
  const out = ['', `Drawn by: ${v.layers.join(' → ')}`];
  for (const s of v.signs ?? []) out.push(st.dim(`  sign: ${s}`));
  if (v.meaning && v.cause) out.push(`  For the visitor: ${v.meaning.visitor}`, `  For the operator: ${v.meaning.operator}`);
  return out;
}

/** The report for a terminal; every text from the URL, headers, body and errors is escaped first. */
export function renderDiagnosis(raw: Diagnosis & { readonly redacted?: number }, st: Style): string {
  const d = escapeDeep(raw);
  const v = d.verdict;
  const chain = HOPS.filter((h) => h !== 'dependency' && h !== 'host' || v.layer === h)
    .map((h) => (h === v.layer ? st.bold(st.red(`[${LABEL[h] ?? h} ✗]`)) : LABEL[h] ?? h))
    .join(' → ');
  const out = [st.bold(`fivexx diagnose ${d.source === 'page' ? '--page ' : ''}${d.url}`)];
  const note = redactedNote(d.redacted, "--no-redact shows all but the URL's password");
  if (note) out.push(st.dim(note));
  out.push('');
  if (!v.cause) out.push(st.green(`OK: ${v.summary} (responder: ${v.responder})`));
  else {
    out.push(`  ${chain}`, '');
    out.push(st.bold(st.red(`${v.cause}`)) + `  (layer ${v.layer ?? '?'}, responder ${v.responder}, confidence ${Math.round(v.confidence * 100)}%)`);
    out.push(`  ${v.summary}`);
  }
  out.push(...drawnBy(d, st));
  out.push('', 'Checks:');
  for (const c of d.checks) {
    const mark = c.ok ? st.green('ok  ') : st.red('FAIL');
    const extra = [c.status ? `HTTP ${c.status}` : '', c.detail ?? '', c.phases ? `dns ${c.phases.dns} / connect ${c.phases.connect} / tls ${c.phases.tls} / first byte ${c.phases.ttfb} / total ${c.phases.total} ms` : '']
      .filter(Boolean).join(', ');
    out.push(`  ${mark} ${c.name.padEnd(8)} ${String(c.ms).padStart(8)} ms  ${c.address ? `${c.address}  ` : ''}${extra}`);
    if (c.requestId) out.push(st.dim(`                          X-Request-ID ${c.requestId}  traceparent ${c.traceparent ?? ''}`));
  }
  if (d.burst) {
    const counts = Object.entries(d.burst.byStatus).map(([s, n]) => `${s} × ${n}`).join(', ');
    out.push('', `Burst: ${d.burst.requests} requests, ${d.burst.failed} failed (${(d.burst.errorRate * 100).toFixed(1)}%): ${counts}`);
  }
  if (d.visitor) {
    out.push('', `Visitor: retried after ${d.visitor.retryAfterMs / 1000} s → ${d.visitor.retryStatus ?? 'no answer'}; ${d.visitor.persistent ? 'the error persists' : 'no error now'}`);
    for (const c of d.visitor.compared) out.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.url}  ${c.detail}`);
    for (const a of d.visitor.advice) out.push(`  - ${a}`);
  }
  if (v.nextSteps.length) {
    out.push('', 'Next steps:');
    v.nextSteps.forEach((s, i) => out.push(`  ${i + 1}. ${s}`));
  }
  return out.join('\n') + '\n';
}
