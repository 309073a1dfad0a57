// `fivexx analyze [options] PATH…`: flags in, report out, exit code by the contract.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { accessFormat, type LogFormat } from '../catalog/formats.ts';
import { dropWarm } from '../engine/digest-workers.ts';
import { runAnalysis } from '../engine/run-analysis.ts';
import { readApacheLogFormats } from '../parse/apache-conf.ts';
import { readLogFormats } from '../parse/nginx-conf.ts';
import { formatWarnings } from '../parse/nginx-log-format.ts';
import { renderMarkdown } from '../report/markdown.ts';
import { redactAnalysis } from '../report/redact-report.ts';
import { escapeControls, safeJson } from '../report/safe-text.ts';
import { ansi, plain, renderTerminal } from '../report/terminal.ts';
import { parseDuration, parseTimeFlag } from './durations.ts';
import { progressBar } from './progress.ts';
import type { CommandIo } from './io.ts';
import { usageError } from './usage-error.ts';

export const ANALYZE_HELP = `Usage: fivexx analyze [options] PATH…

Reads access, error and application logs (plain or .gz/.zst/.xz/.bz2, directories, pipes, or - for
stdin), finds each incident of 5xx errors and names the failing layer and cause with the log lines
that prove it.

Options:
  --json                 one JSON document on stdout (contract version 1)
  --markdown             a Markdown report to paste into an incident ticket
  --format NAME=PATH     read PATH as format NAME instead of detecting it
  --nginx-conf FILE      read log_format directives from an nginx config
  --apache-conf FILE     read LogFormat directives from an Apache httpd config
  --log-format STRING    an nginx log_format string used by the access logs
  --changes PATH         a deploy/change log (one time-stamped line per change) or a git work tree
  --since TIME           ignore events before TIME (ISO 8601, or a duration ago: 2h, 30m)
  --until TIME           ignore events after TIME
  --tz ZONE              zone of logs written without an offset (+01:00, Europe/Berlin);
                         default: the access log's own offset, else UTC
  --gap DURATION         quiet time that splits one cause into two incidents (default 2m)
  --trigger-window DUR   how long before onset a change may be its trigger (default 30m)
  --no-redact            show secrets quoted in the logs (tokens, passwords, cookies, JWTs),
                         which are hidden as [REDACTED] by default
  --no-color             no colours even on a terminal
  -h, --help             this help

Exit status: 0 nothing wrong found, 1 a server error was found and diagnosed, 2 bad input or usage.`;

function apacheFormats(conf: string): LogFormat[] | string {
  let text: string;
  try {
    text = readFileSync(conf, 'utf8');
  } catch (err) {
    return `--apache-conf ${conf}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`;
  }
  const { formats } = readApacheLogFormats(text);
  if (formats.size === 0) return `--apache-conf ${conf}: no LogFormat directive fivexx can read`;
  return [...formats].map(([name, f]) => accessFormat(`apache-access:${name}`, f, { optionalAfter: 'body_bytes_sent' }));
}

function extraFormats(conf: string | undefined, logFormats: string[]): LogFormat[] | string {
  const out: LogFormat[] = [];
  if (conf) {
    let text: string;
    try {
      text = readFileSync(conf, 'utf8');
    } catch (err) {
      return `--nginx-conf ${conf}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`;
    }
    const formats = readLogFormats(text);
    if (formats.size === 0) return `--nginx-conf ${conf}: no log_format directive found`;
    for (const [name, f] of formats) out.push(accessFormat(`nginx-access:${name}`, f));
  }
  logFormats.forEach((f, i) => out.push(accessFormat(`nginx-access:custom${logFormats.length > 1 ? i + 1 : ''}`, f)));
  return out;
}

export async function analyzeCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' }, markdown: { type: 'boolean' }, format: { type: 'string', multiple: true },
        'nginx-conf': { type: 'string' }, 'apache-conf': { type: 'string' }, 'log-format': { type: 'string', multiple: true },
        changes: { type: 'string', multiple: true }, since: { type: 'string' }, until: { type: 'string' },
        tz: { type: 'string' }, gap: { type: 'string' }, 'trigger-window': { type: 'string' },
        'no-color': { type: 'boolean' }, 'no-redact': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return io.fail('FIVEXX_USAGE', usageError('analyze', err));
  }
  const v = parsed.values;
  io.json = v.json === true;
  if (v.help) {
    io.out(ANALYZE_HELP + '\n');
    return 0;
  }
  if (parsed.positionals.length === 0) return io.fail('FIVEXX_USAGE', 'analyze: give at least one log file or directory (see fivexx analyze --help)');
  const forced = new Map<string, string>();
  for (const f of v.format ?? []) {
    const eq = f.indexOf('=');
    if (eq <= 0) return io.fail('FIVEXX_USAGE', `analyze: --format ${f}: expected NAME=PATH`);
    forced.set(f.slice(eq + 1), f.slice(0, eq));
  }
  const extra = extraFormats(v['nginx-conf'], v['log-format'] ?? []);
  if (typeof extra === 'string') return io.fail('FIVEXX_CONFIG_INVALID', `analyze: ${extra}`);
  for (const f of extra) for (const w of f.kind === 'access' ? formatWarnings(f.access) : []) io.warn(escapeControls(w));
  const apache = v['apache-conf'] ? apacheFormats(v['apache-conf']) : [];
  if (typeof apache === 'string') return io.fail('FIVEXX_CONFIG_INVALID', `analyze: ${apache}`);
  extra.unshift(...apache);
  const now = Date.now();
  const since = v.since === undefined ? undefined : parseTimeFlag(v.since, now);
  const until = v.until === undefined ? undefined : parseTimeFlag(v.until, now);
  if (v.since !== undefined && since === undefined) return io.fail('FIVEXX_OPTION_INVALID', `analyze: --since ${v.since}: not a time or duration`);
  if (v.until !== undefined && until === undefined) return io.fail('FIVEXX_OPTION_INVALID', `analyze: --until ${v.until}: not a time or duration`);
  const gapMs = parseDuration(v.gap ?? '2m');
  const triggerWindowMs = parseDuration(v['trigger-window'] ?? '30m');
  if (gapMs === undefined) return io.fail('FIVEXX_OPTION_INVALID', `analyze: --gap ${v.gap ?? ''}: not a duration`);
  if (triggerWindowMs === undefined) return io.fail('FIVEXX_OPTION_INVALID', `analyze: --trigger-window ${v['trigger-window'] ?? ''}: not a duration`);

  const progress = progressBar(process.stderr);
  const outcome = await runAnalysis({
    paths: parsed.positionals, forced, extraFormats: extra, changes: v.changes ?? [], tz: v.tz, since, until, gapMs,
    triggerWindowMs, onProgress: (d, t) => progress.update(d, t), onPhase: (e) => progress.phase(e), onWarning: (m) => io.warn(escapeControls(m)),
  });
  // Error-log workers started for a read that did not take them (bin.ts) are not needed now.
  dropWarm();
  if (!outcome.ok) {
    progress.end();
    return io.fail(outcome.code, `analyze: ${escapeControls(outcome.error)}`);
  }
  progress.phase({ phase: 'writing' });
  const a = v['no-redact'] ? { ...outcome.analysis, redacted: 0 } : redactAnalysis(outcome.analysis);
  const report = v.json ? safeJson(a) + '\n' : v.markdown ? renderMarkdown(a) : renderTerminal(a, io.color && !v['no-color'] ? ansi : plain);
  progress.end();
  io.out(report);
  return a.incidents.length > 0 ? 1 : 0;
}
