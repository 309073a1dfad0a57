// `fivexx diagnose [options] URL`: probe the URL (and the backend) now and name the failing hop.
import { parseArgs } from 'node:util';
import { loadCauses } from '../catalog/causes.ts';
import { burst } from '../probe/burst.ts';
import { FivexxError } from '../errors/codes.ts';
import { liveSteps, pageSteps } from '../probe/advice.ts';
import { DEFAULT_PROBE, probeUrl, type ProbeOptions } from '../probe/http-probe.ts';
import { readPage } from '../probe/read-page.ts';
import { validDnsServer } from '../probe/resolve.ts';
import { parseSavedPage } from '../probe/saved-page.ts';
import { visit } from '../probe/visitor.ts';
import type { Check, Diagnosis } from '../probe/types.ts';
import { decide, fromResponse, withCause } from '../probe/verdict.ts';
import { renderDiagnosis } from '../report/diagnosis.ts';
import { redactDiagnosis } from '../report/redact-report.ts';
import { urlForMessage } from '../report/redact.ts';
import { escapeControls, safeJson } from '../report/safe-text.ts';
import { ansi, plain } from '../report/terminal.ts';
import { parseDuration } from './durations.ts';
import type { CommandIo } from './io.ts';

export const DIAGNOSE_HELP = `Usage: fivexx diagnose [options] URL
       fivexx diagnose --page FILE|-

Probes URL now, hop by hop (DNS, TCP, TLS, HTTP, every address of the name), finds who produced an
error page (CDN, load balancer, proxy or the app) and names the failing layer and cause.

Options:
  --upstream URL     also probe the backend directly and compare (e.g. http://127.0.0.1:3000/)
  --timeout DUR      hard limit for each phase: DNS, connect, TLS, the HTTP exchange (default 10s, at most 1h)
  --deadline DUR     hard limit for the whole run (default 3 × --timeout, plus the pause and the burst when asked)
  --burst N          also send N requests in a row and report the 5xx rate (intermittent errors), N from 1 to 1000
  --visitor          retry after a pause and say whether the error persists (visitor's view)
  --pause DUR        the pause before the retry in visitor mode (default 5s)
  --compare URL      in visitor mode, also probe another site: all failing means your own network
  --dns-server ADDR  resolve names with this DNS server (IP[:port]) instead of the system's resolvers
  --page FILE        read a saved response offline instead of probing: curl -i output, a saved page or a bare
                     body ('-' for stdin); says who drew it and what it means
  --json             one JSON document on stdout (contract version 1)
  --no-redact        show cookies, credentials and secret query parameters (hidden as [REDACTED]
                     by default); a password in the URL is never shown
  --no-color         no colours even on a terminal
  -h, --help         this help

Exit status: 0 the site answers, 1 an error was found and diagnosed, 2 bad input or usage.`;

const HOUR = 3_600_000;

/** A duration flag within [min, max] ms, or a one-line reason. */
function durationIn(flag: string, value: string | undefined, fallback: string, min: number, max: number): number | string {
  const ms = parseDuration(value ?? fallback);
  if (ms === undefined) return `diagnose: --${flag} ${value ?? ''}: not a duration (e.g. 500ms, 3s, 1m)`;
  if (ms < min || ms > max) return `diagnose: --${flag} ${value ?? ''}: out of range (${min} ms to ${max / HOUR} h)`;
  return ms;
}

export function parseUrl(raw: string, what: string): URL | string {
  const s = escapeControls(urlForMessage(raw));
  let u: URL;
  try {
    u = new URL(raw);
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
        json: { type: 'boolean' }, upstream: { type: 'string' }, timeout: { type: 'string' }, 'no-color': { type: 'boolean' }, 'no-redact': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }, burst: { type: 'string' }, visitor: { type: 'boolean' }, pause: { type: 'string' },
        compare: { type: 'string', multiple: true },
        page: { type: 'string' }, deadline: { type: 'string' }, 'dns-server': { type: 'string' },
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
  if (v.page !== undefined) {
    if (parsed.positionals.length || v.upstream || v.burst || v.visitor || v.compare) return io.fail('FIVEXX_USAGE', 'diagnose: --page reads a saved response offline; give no URL, --upstream, --burst, --visitor or --compare with it');
    return pageCommand(v.page, io, io.color && !v['no-color'], !v['no-redact']);
  }
  if (parsed.positionals.length !== 1) return io.fail('FIVEXX_USAGE', 'diagnose: give exactly one URL, or --page FILE (see fivexx diagnose --help)');
  const url = parseUrl(parsed.positionals[0] ?? '', 'diagnose:');
  if (typeof url === 'string') return io.fail('FIVEXX_URL_INVALID', url);
  const upstream = v.upstream === undefined ? undefined : parseUrl(v.upstream, 'diagnose: --upstream');
  if (typeof upstream === 'string') return io.fail('FIVEXX_URL_INVALID', upstream);
  const timeoutMs = durationIn('timeout', v.timeout, '10s', 1, HOUR);
  if (typeof timeoutMs === 'string') return io.fail('FIVEXX_OPTION_INVALID', timeoutMs);
  const burstN = v.burst === undefined ? 0 : Number(v.burst);
  if (v.burst !== undefined && (!/^\d{1,4}$/.test(v.burst) || burstN < 1 || burstN > 1000)) return io.fail('FIVEXX_OPTION_INVALID', `diagnose: --burst ${v.burst}: a whole number from 1 to 1000`);
  const pauseMs = durationIn('pause', v.pause, '5s', 0, HOUR);
  if (typeof pauseMs === 'string') return io.fail('FIVEXX_OPTION_INVALID', pauseMs);
  const compare: URL[] = [];
  for (const c of v.compare ?? []) {
    const u = parseUrl(c, 'diagnose: --compare');
    if (typeof u === 'string') return io.fail('FIVEXX_URL_INVALID', u);
    compare.push(u);
  }
  const visiting = v.visitor === true || compare.length > 0;
  const burstBudget = burstN > 0 ? Math.max(60_000, timeoutMs * 2) : 0;
  const deadlineMs = durationIn('deadline', v.deadline, `${3 * timeoutMs + (visiting ? pauseMs + 3 * timeoutMs : 0) + burstBudget}ms`, 1, 24 * HOUR);
  if (typeof deadlineMs === 'string') return io.fail('FIVEXX_OPTION_INVALID', deadlineMs);
  const dnsServer = v['dns-server'];
  if (dnsServer !== undefined && !validDnsServer(dnsServer)) return io.fail('FIVEXX_OPTION_INVALID', `diagnose: --dns-server ${dnsServer}: an IP address with an optional port (127.0.0.1:5353, [::1]:53)`);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  try {
    const opts: ProbeOptions = { ...DEFAULT_PROBE, timeoutMs, signal: deadline.signal, ...(dnsServer ? { dnsServer } : {}) };
    const d = await live(url, upstream, opts, { burstN, burstBudget, pauseMs, compare, visiting });
    return emit(d, io, io.color && !v['no-color'], !v['no-redact']);
  } finally {
    clearTimeout(timer);
  }
}

interface LiveExtras {
  readonly burstN: number;
  readonly burstBudget: number;
  readonly pauseMs: number;
  readonly compare: readonly URL[];
  readonly visiting: boolean;
}

/** Probes the URL (and the backend) within the deadline in `opts.signal` and decides. */
async function live(url: URL, upstream: URL | undefined, opts: ProbeOptions, x: LiveExtras): Promise<Diagnosis> {
  const [front, back] = await Promise.all([probeUrl(url, opts), upstream ? probeUrl(upstream, opts) : Promise.resolve(undefined)]);
  const checks: Check[] = [...front, ...(back ?? []).map((c) => ({ ...c, name: c.name === 'http' ? 'upstream' : `upstream-${c.name}` }))];
  const catalog = loadCauses();
  let verdict = decide(catalog, front, back, upstream?.host ?? '');
  const burstResult = x.burstN > 0 && !opts.signal?.aborted ? await burst(url, x.burstN, opts, x.burstBudget) : undefined;
  if (burstResult && !verdict.cause && burstResult.failed > 0) {
    verdict = withCause(catalog, verdict, 'upstream.unexplained',
      `${burstResult.failed} of ${burstResult.requests} requests failed (${(burstResult.errorRate * 100).toFixed(1)}%): an intermittent error; run fivexx analyze on the logs of that minute`, 0.5);
  }
  const visitor = x.visiting && !opts.signal?.aborted ? await visit(url, verdict.cause !== null, x.pauseMs, x.compare, opts) : undefined;
  if (visitor && x.compare.length && visitor.compared.every((c) => !c.ok) && verdict.cause) {
    verdict = withCause(catalog, verdict, 'client.network', `this site and every site compared fail from here: ${verdict.summary}`);
  } else if (visitor && verdict.cause === 'client.network' && visitor.compared.some((c) => c.ok)) {
    verdict = withCause(catalog, verdict, 'gateway.unexplained', `other sites work from here; ${verdict.summary.replace(/: a DNS record.*$/, '')}: the site's own DNS record is missing or wrong`);
  }
  if (verdict.cause?.endsWith('.unexplained')) {
    const failing = front.find((c) => !c.ok);
    verdict = { ...verdict, nextSteps: liveSteps(verdict, { url: url.href, upstreamGiven: upstream !== undefined, burstGiven: x.burstN > 0, failing }) };
  }
  if (opts.signal?.aborted) verdict = { ...verdict, summary: `${verdict.summary} (the run's deadline passed: checks cut short say FIVEXX_PROBE_DEADLINE)` };
  return { version: 1, url: url.href, verdict, checks, ...(burstResult ? { burst: burstResult } : {}), ...(visitor ? { visitor } : {}) };
}

/** `--page FILE`: the verdict for a saved response, offline. */
async function pageCommand(path: string, io: CommandIo, color: boolean, redact: boolean): Promise<number> {
  let text: string;
  try {
    text = await readPage(path);
  } catch (err) {
    if (err instanceof FivexxError) return io.fail(err.code, `diagnose: ${err.message}`);
    throw err;
  }
  const page = parseSavedPage(text);
  // The live probe reads the first 2 KiB of a body: so does the page, for the same verdict.
  const body = Buffer.from(page.body, 'utf8').subarray(0, DEFAULT_PROBE.bodyBytes).toString('utf8');
  const check: Check = {
    name: 'page', ok: page.status > 0 && page.status < 500, ms: 0, ...(page.status ? { status: page.status } : {}), reason: page.reason ?? '',
    headers: { ...page.headers }, body, detail: page.statusFrom === 'status-line' ? 'status line and headers as saved' : page.statusFrom === 'page-text' ? 'no status line: the status is the one the page states' : 'no status line and no status in the page',
  };
  const catalog = loadCauses();
  let verdict = fromResponse(catalog, { ...check, status: page.status || 500 }, undefined, '');
  if (check.ok) verdict = { ...verdict, layer: null, cause: null, status: page.status, confidence: 0.9, summary: `the saved response is a ${page.status}, not a server error`, nextSteps: [] };
  else verdict = { ...verdict, status: page.status || null, nextSteps: pageSteps(verdict) };
  return emit({ version: 1, url: path === '-' ? 'stdin' : path, source: 'page', verdict, checks: [check] }, io, color, redact);
}

/** The one place a diagnosis is written (live or from a page): JSON or the report; exit 1 when a cause was found. */
function emit(raw: Diagnosis, io: CommandIo, color: boolean, redact: boolean): number {
  const d = redactDiagnosis(raw, redact);
  if (io.json) io.out(safeJson(d) + '\n');
  else io.out(renderDiagnosis(d, color ? ansi : plain));
  return d.verdict.cause ? 1 : 0;
}
