// `fivexx diagnose [options] URL`: probe the URL (and the backend) now and name the failing hop.
import { parseArgs } from 'node:util';
import { loadCauses } from '../catalog/causes.ts';
import { burst } from '../probe/burst.ts';
import { DEFAULT_PROBE, probeUrl } from '../probe/http-probe.ts';
import { visit } from '../probe/visitor.ts';
import type { Check, Diagnosis } from '../probe/types.ts';
import { decide, withCause } from '../probe/verdict.ts';
import { renderDiagnosis } from '../report/diagnosis.ts';
import { ansi, plain } from '../report/terminal.ts';
import { parseDuration } from './durations.ts';
import type { CommandIo } from './io.ts';

export const DIAGNOSE_HELP = `Usage: fivexx diagnose [options] URL

Probes URL now, hop by hop (DNS, TCP, TLS, HTTP, every address of the name), finds who produced an
error page (CDN, load balancer, proxy or the app) and names the failing layer and cause.

Options:
  --upstream URL     also probe the backend directly and compare (e.g. http://127.0.0.1:3000/)
  --timeout DUR      hard limit for each phase (default 10s)
  --burst N          also send N requests in a row and report the 5xx rate (intermittent errors)
  --visitor          retry after a pause and say whether the error persists (visitor's view)
  --pause DUR        the pause before the retry in visitor mode (default 5s)
  --compare URL      in visitor mode, also probe another site: all failing means your own network
  --json             one JSON document on stdout (contract version 1)
  --no-color         no colours even on a terminal
  -h, --help         this help

Exit status: 0 the site answers, 1 an error was found and diagnosed, 2 bad input or usage.`;

export function parseUrl(s: string, what: string): URL | string {
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return `${what} ${s}: not a URL (expected http://… or https://…)`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${what} ${s}: unsupported scheme ${u.protocol} (http or https)`;
  return u;
}

export async function diagnoseCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        json: { type: 'boolean' }, upstream: { type: 'string' }, timeout: { type: 'string' }, 'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }, burst: { type: 'string' }, visitor: { type: 'boolean' }, pause: { type: 'string' },
        compare: { type: 'string', multiple: true },
      },
    });
  } catch (err) {
    return io.fail('FIVEXX_USAGE', `diagnose: ${(err as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values;
  io.json = v.json === true;
  if (v.help) {
    io.out(DIAGNOSE_HELP + '\n');
    return 0;
  }
  if (parsed.positionals.length !== 1) return io.fail('FIVEXX_USAGE', 'diagnose: give exactly one URL (see fivexx diagnose --help)');
  const url = parseUrl(parsed.positionals[0] ?? '', 'diagnose:');
  if (typeof url === 'string') return io.fail('FIVEXX_URL_INVALID', url);
  const upstream = v.upstream === undefined ? undefined : parseUrl(v.upstream, 'diagnose: --upstream');
  if (typeof upstream === 'string') return io.fail('FIVEXX_URL_INVALID', upstream);
  const timeoutMs = parseDuration(v.timeout ?? '10s');
  if (timeoutMs === undefined || timeoutMs <= 0) return io.fail('FIVEXX_OPTION_INVALID', `diagnose: --timeout ${v.timeout ?? ''}: not a duration`);
  const opts = { ...DEFAULT_PROBE, timeoutMs };
  const burstN = v.burst === undefined ? 0 : Number(v.burst);
  if (!Number.isInteger(burstN) || burstN < 0 || burstN > 1000) return io.fail('FIVEXX_OPTION_INVALID', `diagnose: --burst ${v.burst ?? ''}: a whole number from 1 to 1000`);
  const pauseMs = parseDuration(v.pause ?? '5s');
  if (pauseMs === undefined) return io.fail('FIVEXX_OPTION_INVALID', `diagnose: --pause ${v.pause ?? ''}: not a duration`);
  const compare: URL[] = [];
  for (const c of v.compare ?? []) {
    const u = parseUrl(c, 'diagnose: --compare');
    if (typeof u === 'string') return io.fail('FIVEXX_URL_INVALID', u);
    compare.push(u);
  }
  const [front, back] = await Promise.all([probeUrl(url, opts), upstream ? probeUrl(upstream, opts) : Promise.resolve(undefined)]);
  const checks: Check[] = [...front, ...(back ?? []).map((c) => ({ ...c, name: c.name === 'http' ? 'upstream' : `upstream-${c.name}` }))];
  const catalog = loadCauses();
  let verdict = decide(catalog, front, back, upstream?.host ?? '');
  const burstResult = burstN > 0 ? await burst(url, burstN, opts, Math.max(60_000, timeoutMs * 2)) : undefined;
  if (burstResult && !verdict.cause && burstResult.failed > 0) {
    verdict = withCause(catalog, verdict, 'upstream.unexplained',
      `${burstResult.failed} of ${burstResult.requests} requests failed (${(burstResult.errorRate * 100).toFixed(1)}%): an intermittent error; run fivexx analyze on the logs of that minute`, 0.5);
  }
  const visitor = v.visitor || compare.length ? await visit(url, verdict.cause !== null, pauseMs, compare, opts) : undefined;
  if (visitor && compare.length && visitor.compared.every((c) => !c.ok) && verdict.cause) {
    verdict = withCause(catalog, verdict, 'client.network', `this site and every site compared fail from here: ${verdict.summary}`);
  } else if (visitor && verdict.cause === 'client.network' && visitor.compared.some((c) => c.ok)) {
    verdict = withCause(catalog, verdict, 'gateway.unexplained', `other sites work from here; ${verdict.summary.replace(/: a DNS record.*$/, '')}: the site's own DNS record is missing or wrong`);
  }
  const d: Diagnosis = { version: 1, url: url.href, verdict, checks, ...(burstResult ? { burst: burstResult } : {}), ...(visitor ? { visitor } : {}) };
  if (v.json) io.out(JSON.stringify(d, null, 2) + '\n');
  else io.out(renderDiagnosis(d, io.color && !v['no-color'] ? ansi : plain));
  return verdict.cause ? 1 : 0;
}
