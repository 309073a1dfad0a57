// `fivexx incident [options]`: walk the eight incident steps on this host (or on copied logs) and print them.
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { runIncident } from '../incident/run-incident.ts';
import { REAL_HOST } from '../incident/types.ts';
import { renderIncident } from '../report/incident-text.ts';
import { redactReport } from '../report/redact-report.ts';
import { safeJson } from '../report/safe-text.ts';
import { ansi, plain } from '../report/terminal.ts';
import { parseUrl } from './diagnose.ts';
import { parseDuration, parseTimeFlag } from './durations.ts';
import type { CommandIo } from './io.ts';

export const INCIDENT_HELP = `Usage: fivexx incident [options]

Walks the eight steps of a 5xx incident on this host and fills each in: identify the exact error
(the logs, and a live probe with --url), scope, recent changes (deploy folder git history and
lockfiles, config files changed near the onset, apt history, deploy logs), logs (found by
themselves, journald), health (load, memory, swap, disk, file handles, listening sockets against
the upstreams, service states), roll back, communicate (drafted messages) and document (a
post-mortem draft). Every step says what it looked at and what it could not see.

Options:
  --logs PATH        logs to analyse (files or folders; repeatable); default: the logs found on this host
  --url URL          also probe this URL now
  --app DIR          the deploy folder (a git work tree or a folder of releases/); default: searched
                     for under /srv, /var/www and /opt
  --window DURATION  how long before the onset changes are looked for (default 1h)
  --since TIME       ignore log lines before TIME (ISO 8601, or a duration ago: 2h)
  --timeout DURATION hard limit of each probe phase (default 10s)
  --json             one JSON document on stdout (contract version 1)
  --markdown         only the post-mortem draft, in Markdown
  --no-redact        show secrets quoted from logs (tokens, cookies, passwords) instead of [REDACTED]
  --no-color         no colours even on a terminal
  -h, --help         this help

Exit status: 0 nothing wrong found, 1 a server error was found, 2 bad input or usage.`;

export async function incidentCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: false,
      options: {
        json: { type: 'boolean' }, markdown: { type: 'boolean' }, url: { type: 'string' }, logs: { type: 'string', multiple: true },
        app: { type: 'string' }, window: { type: 'string' }, since: { type: 'string' }, timeout: { type: 'string' },
        'no-color': { type: 'boolean' }, 'no-redact': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return io.fail('FIVEXX_USAGE', `incident: ${(err as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values;
  io.json = v.json === true;
  if (v.help) {
    io.out(INCIDENT_HELP + '\n');
    return 0;
  }
  const url = v.url === undefined ? undefined : parseUrl(v.url, 'incident: --url');
  if (typeof url === 'string') return io.fail('FIVEXX_URL_INVALID', url);
  const windowMs = parseDuration(v.window ?? '1h');
  if (windowMs === undefined || windowMs <= 0) return io.fail('FIVEXX_OPTION_INVALID', `incident: --window ${v.window ?? ''}: not a duration`);
  const timeoutMs = parseDuration(v.timeout ?? '10s');
  if (timeoutMs === undefined || timeoutMs <= 0) return io.fail('FIVEXX_OPTION_INVALID', `incident: --timeout ${v.timeout ?? ''}: not a duration`);
  const now = Date.now();
  const since = v.since === undefined ? undefined : parseTimeFlag(v.since, now);
  if (v.since !== undefined && since === undefined) return io.fail('FIVEXX_OPTION_INVALID', `incident: --since ${v.since}: not a time or duration`);
  for (const l of v.logs ?? []) {
    if (!(await stat(l).then(() => true, () => false))) return io.fail('FIVEXX_PATH_NOT_FOUND', `incident: --logs ${l}: no such file or folder`);
  }
  if (v.app !== undefined && !(await stat(v.app).then((s) => s.isDirectory(), () => false))) return io.fail('FIVEXX_PATH_NOT_FOUND', `incident: --app ${v.app}: not a folder`);

  const found = await runIncident({ logs: v.logs ?? [], url, app: v.app, windowMs, probeTimeoutMs: timeoutMs, since, now, roots: REAL_HOST });
  const report = v['no-redact'] ? { ...found, redacted: 0 } : redactReport(found);
  if (v.json) io.out(safeJson(report) + '\n');
  else if (v.markdown) io.out(report.postmortem);
  else io.out(renderIncident(report, io.color && !v['no-color'] ? ansi : plain));
  const probeFailed = report.steps.some((s) => s.step === 'identify' && (s.found as { probe: { verdict: { cause: string | null } } | null }).probe?.verdict.cause);
  return report.verdict || probeFailed ? 1 : 0;
}
