// Renders an analysis as Markdown, to paste into an incident ticket.
import type { Analysis } from '../events/analysis.ts';
import { duration, LAYER_WORDS, lifecycleText, redactedNote, scopeText, shareText, statusesText, symptomsText, triggerText } from './format-helpers.ts';
import { escapeDeep } from './safe-text.ts';

/** A code span: backticks inside become quotes. */
function code(s: string): string {
  return '`' + s.replaceAll('`', "'") + '`';
}

/** A fence longer than any run of backticks in the lines, so no quoted line can close it. */
export function fenceFor(lines: readonly string[]): string {
  let longest = 0;
  for (const l of lines) for (const run of l.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** The report for a ticket; every text from the logs is escaped first (one line each, no control byte). */
export function renderMarkdown(raw: Analysis & { readonly redacted?: number }): string {
  const a = escapeDeep(raw);
  const out = [`# fivexx analysis`, '', `${a.incidents.length} incident(s); ${a.totals.requests} request(s) read.`, ''];
  if (redactedNote(a.redacted)) out.push(`_${redactedNote(a.redacted)}._`, '');
  out.push('| source | format | lines | unparsed |', '|---|---|---|---|');
  for (const s of a.sources) out.push(`| ${code(s.path).replaceAll('|', '\\|')} | ${s.format} | ${s.lines} | ${s.unparsed} |`);
  if (a.notes?.length) out.push('', ...a.notes.map((n) => `- Note: ${n}`));
  a.incidents.forEach((i, k) => {
    out.push('', `## ${k + 1}. ${code(i.cause)}: ${i.title}`, '');
    out.push(`- **Layer:** ${i.layer} (${LAYER_WORDS[i.layer] ?? ''})`);
    out.push(`- **Failed requests:** ${i.requests} (${statusesText(i)})`);
    out.push(`- **When:** ${i.start} → ${i.end} (${duration(i.start, i.end)})${shareText(i) ? `; ${shareText(i)}` : ''}`);
    out.push(`- **Trigger:** ${triggerText(i, code)}`);
    out.push(`- **Confidence:** ${Math.round(i.confidence * 100)}%`);
    for (const s of scopeText(i, code)) out.push(`- **Scope:** ${s}`);
    if (lifecycleText(i)) out.push(`- **Lifecycle:** ${lifecycleText(i)}`);
    if (symptomsText(i, code)) out.push(`- **Symptoms:** ${symptomsText(i, code)}`);
    const evidence = i.evidence.map((e) => `${e.source}:${e.line}: ${e.text}${e.placement ? '  (no time: placed by order)' : ''}`);
    const fence = fenceFor(evidence);
    out.push('', `**Meaning.** ${i.meaning}`, '', `**First check.** ${i.firstCheck}`, '', '**Evidence**', '', fence, ...evidence, fence);
    out.push('', '**Next steps**', '');
    i.nextSteps.forEach((s, n) => out.push(`${n + 1}. ${s}`));
  });
  return out.join('\n') + '\n';
}
