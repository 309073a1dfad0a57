// Renders an analysis for people: the verdict first, then evidence, scope, trigger and next steps.
import type { Analysis, Incident } from '../events/analysis.ts';
import { duration, LAYER_WORDS, lifecycleText, redactedNote, scopeText, shareText, statusesText, symptomsText, triggerText } from './format-helpers.ts';
import { escapeDeep } from './safe-text.ts';

export interface Style {
  bold(s: string): string;
  red(s: string): string;
  dim(s: string): string;
  green(s: string): string;
}

export const plain: Style = { bold: (s) => s, red: (s) => s, dim: (s) => s, green: (s) => s };
export const ansi: Style = {
  bold: (s) => `\x1b[1m${s}\x1b[22m`,
  red: (s) => `\x1b[31m${s}\x1b[39m`,
  dim: (s) => `\x1b[2m${s}\x1b[22m`,
  green: (s) => `\x1b[32m${s}\x1b[39m`,
};

/** Long evidence lines (JSON records) are cut on a terminal; --json keeps them whole. */
function clip(text: string, max = 320): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function incidentLines(i: Incident, n: number, st: Style): string[] {
  const out = [
    st.bold(st.red(`${n}. ${i.cause}`)) + st.bold(` — ${i.title}`) + st.dim(`  (confidence ${Math.round(i.confidence * 100)}%)`),
    `   Where:       ${i.layer}: ${LAYER_WORDS[i.layer] ?? ''}`,
    `   What:        ${i.requests} failed request(s): ${statusesText(i)}`,
    `   When:        ${i.start} → ${i.end} (${duration(i.start, i.end)})${shareText(i) ? `, ${shareText(i)}` : ''}`,
    `   Meaning:     ${i.meaning}`,
    `   First check: ${i.firstCheck}`,
    `   Trigger:     ${triggerText(i)}`,
  ];
  const scope = scopeText(i);
  if (scope.length) out.push(`   Scope:       ${scope.join('\n                ')}`);
  const life = lifecycleText(i);
  if (life) out.push(`   Lifecycle:   ${life}`);
  if (symptomsText(i)) out.push(`   Symptoms:    ${symptomsText(i)}`);
  if (i.evidence.length) {
    out.push('   Evidence:');
    for (const e of i.evidence) out.push(`     ${st.dim(`${e.source}:${e.line}`)}  ${clip(e.text)}${e.placement ? st.dim('  (no time: placed by order)') : ''}`);
  }
  out.push('   Next steps:');
  i.nextSteps.forEach((s, k) => out.push(`     ${k + 1}. ${s}`));
  return out;
}

/** The report for a terminal; every text from the logs is escaped first (no control byte reaches the terminal). */
export function renderTerminal(raw: Analysis & { readonly redacted?: number }, st: Style): string {
  const a = escapeDeep(raw);
  const failed = Object.entries(a.totals.byStatus).filter(([s]) => Number(s) >= 500).reduce((s, [, n]) => s + n, 0);
  const head = `fivexx analyze: ${a.incidents.length} incident(s) in ${a.sources.length} source(s); ` +
    `${a.totals.requests} request(s), ${failed} with a 5xx`;
  const lines = [st.bold(head)];
  for (const s of a.sources) {
    const extra = s.unparsed ? `, ${s.unparsed} unparsed` : '';
    lines.push(st.dim(`  ${s.path}: ${s.format}, ${s.lines} line(s)${extra}${s.warnings.length ? ` — ${s.warnings.join('; ')}` : ''}`));
  }
  if (redactedNote(a.redacted)) lines.push(st.dim(`  ${redactedNote(a.redacted)}`));
  for (const n of a.notes ?? []) lines.push(st.dim(`  Note: ${n}`));
  lines.push('');
  if (a.incidents.length === 0) {
    lines.push(st.green('No server errors found.'));
    return lines.join('\n') + '\n';
  }
  a.incidents.forEach((i, k) => lines.push(...incidentLines(i, k + 1, st), ''));
  return lines.join('\n');
}
