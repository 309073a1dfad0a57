// check-config's report for people: one block per finding, worst first, config text escaped.
import { escapeControls } from '../report/safe-text.ts';
import type { Style } from '../report/terminal.ts';
import type { AuditReport } from './model.ts';

export function renderAudit(r: AuditReport, p: Style): string {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of r.findings) counts[f.severity]++;
  const lines = [p.bold(`fivexx check-config: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} note(s) in ${r.files.length} file(s)`)];
  for (const f of r.findings) {
    const tag = f.severity === 'error' ? p.red('error  ') : f.severity === 'warning' ? p.bold('warning') : p.dim('info   ');
    lines.push('', `${tag} ${escapeControls(f.file)}:${f.line}  ${p.bold(f.cause)}`, `  ${escapeControls(f.message)}`, `  fix: ${escapeControls(f.fix)}`);
  }
  if (!r.findings.length) lines.push('', 'No problem found.');
  return lines.join('\n') + '\n';
}
