// Renders an analysis as Markdown, to paste into an incident ticket.
import type { Analysis } from '../events/analysis.ts';
import { duration, LAYER_WORDS, scopeText, shareText, statusesText, triggerText } from './format-helpers.ts';

function code(s: string): string {
  return '`' + s.replaceAll('`', "'") + '`';
}

export function renderMarkdown(a: Analysis): string {
  const out = [`# fivexx analysis`, '', `${a.incidents.length} incident(s); ${a.totals.requests} request(s) read.`, ''];
  out.push('| source | format | lines | unparsed |', '|---|---|---|---|');
  for (const s of a.sources) out.push(`| ${code(s.path)} | ${s.format} | ${s.lines} | ${s.unparsed} |`);
  a.incidents.forEach((i, k) => {
    out.push('', `## ${k + 1}. ${code(i.cause)}: ${i.title}`, '');
    out.push(`- **Layer:** ${i.layer} (${LAYER_WORDS[i.layer] ?? ''})`);
    out.push(`- **Failed requests:** ${i.requests} (${statusesText(i)})`);
    out.push(`- **When:** ${i.start} → ${i.end} (${duration(i.start, i.end)})${shareText(i) ? `; ${shareText(i)}` : ''}`);
    out.push(`- **Trigger:** ${triggerText(i)}`);
    out.push(`- **Confidence:** ${Math.round(i.confidence * 100)}%`);
    for (const s of scopeText(i)) out.push(`- **Scope:** ${s}`);
    out.push('', `**Meaning.** ${i.meaning}`, '', `**First check.** ${i.firstCheck}`, '', '**Evidence**', '', '```');
    for (const e of i.evidence) out.push(`${e.source}:${e.line}: ${e.text}`);
    out.push('```', '', '**Next steps**', '');
    i.nextSteps.forEach((s, n) => out.push(`${n + 1}. ${s}`));
  });
  return out.join('\n') + '\n';
}
