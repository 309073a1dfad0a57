// Wires the analyze pipeline: expand paths → read sources → classify → align times → correlate.
import { loadCauses } from '../catalog/causes.ts';
import { isBanner, loadBanners } from '../catalog/lifecycle.ts';
import { loadFormats, type LogFormat } from '../catalog/formats.ts';
import { loadTerminationRules, terminationRule } from '../catalog/termination-states.ts';
import { loadMarkers, markerLiterals, markerLiteralsFor, markerOf } from '../changes/log-markers.ts';
import { ByteScreen, LiteralIndex } from '../classify/literals.ts';
import { readChanges } from '../changes/read-changes.ts';
import { buildClassifier, type Finding } from '../classify/classify.ts';
import { Correlator } from '../correlate/correlator.ts';
import { digestPath, type DigestRules } from './error-digest.ts';
import { endEarly, startEarly, type EarlyStart } from './error-digest-parallel.ts';
import { BatchSink } from './error-batch-sink.ts';
import { describeAll } from '../correlate/describe.ts';
import { FINDING_CONFIDENCE, splitRequest } from '../correlate/failed-request.ts';
import type { Analysis, SourceSummary } from '../events/analysis.ts';
import type { AccessEvent, ChangeEvent, Producer } from '../events/types.ts';
import { expandPaths } from '../sources/expand-paths.ts';
import { planSources, type Zone } from './plan.ts';
import { MAX_LINE_BYTES, readSource, startFastScan, type QuietPath, type SourceReport } from '../sources/read-source.ts';
import { SecondCounts } from '../events/second-counts.ts';
import { fixedZone } from './time-zone.ts';
import { coded, type ErrorCode } from '../errors/codes.ts';
import { located, nothingReadable, type PathProblem } from '../sources/problems.ts';
import { retriedThenAnswered } from '../correlate/set-aside.ts';

export interface AnalyzeOptions {
  readonly paths: readonly string[];
  /** Formats to use for given paths, by format name (`--format NAME=PATH`). */
  readonly forced: ReadonlyMap<string, string>;
  /** Formats from --nginx-conf / --log-format, tried before the catalog's. */
  readonly extraFormats: readonly LogFormat[];
  readonly changes: readonly string[];
  readonly tz: string | undefined;
  readonly since: number | undefined;
  readonly until: number | undefined;
  readonly gapMs: number;
  readonly triggerWindowMs: number;
  readonly onProgress?: (bytesDone: number, bytesTotal: number) => void;
  /** Called as each phase starts: reading each file (of all the bytes to read), then correlating what was read. */
  readonly onPhase?: (e: PhaseEvent) => void;
  /**
   * Worker threads for the combined fast path (default: by file size); false turns the fast path off.
   * `errorWorkerBytes`: an nginx error log takes a worker per this many bytes (default 64 MiB; tests make it small).
   */
  readonly fastPath?: false | { readonly workers?: number; readonly errorWorkerBytes?: number };
  readonly onWarning?: (message: string) => void;
}

/** The phase `fivexx analyze` is in, for a progress display. */
export type PhaseEvent =
  | { readonly phase: 'reading'; readonly file: string; readonly index: number; readonly files: number; readonly bytes: number }
  | { readonly phase: 'correlating'; readonly failed: number; readonly records: number };

export type AnalyzeOutcome = { ok: true; analysis: Analysis } | { ok: false; code: ErrorCode; error: string };

interface Collected {
  changes: { change: ChangeEvent; zoned: boolean }[];
  /** Failed requests and findings handed to the correlator (for the progress line). */
  failedSeen: number;
  findingsSeen: number;
  requests: number;
  byStatus: Record<string, number>;
  traffic: SecondCounts;
  /** Records read whose time lies in the --since/--until window. */
  windowRecords: number;
  /** Access lines read at all, in the window or not: a Caddy or HAProxy log of the access kind may hold none. */
  accessLines: number;
}

/** Findings of records without a time of their own held at most, waiting for the next timed record. */
const MAX_HELD = 10_000;

const clientPathKey = (client: string, path: string): string => `${client}\u0000${path}`;

/** The --since/--until test, shared by the reading and the correlating stages. */
function windowOf(opts: AnalyzeOptions): (t: number) => boolean {
  return (t) => (opts.since === undefined || t >= opts.since) && (opts.until === undefined || t <= opts.until);
}

/** Access scans begun early, each holding its file open until read: a bounded number, the rest start when reached. */
const EARLY_SCANS = 4;

/**
 * A finding with its times in UTC (records written without a zone are converted in place: their times
 * are final by now, and a copy would lose the record's lazily read request fields).
 */
function aligned(f: Finding, toUtc: (ms: number) => number): Finding {
  const r = f.record;
  if (r.zoned) return f;
  r.time = toUtc(r.time);
  if (Number.isFinite(r.timeMax)) r.timeMax = toUtc(r.timeMax);
  return f;
}

/** How long the correlation waits for a late line before settling its neighbours (see Correlator). */
const LATENESS_MS = 10_000;

async function collect(files: string[], formats: LogFormat[], opts: AnalyzeOptions, early: EarlyStart[]): Promise<{ c: Collected; reports: SourceReport[]; changeLogs: string[]; zone: Zone; correlator: Correlator } | string> {
  const c: Collected = { changes: [], failedSeen: 0, findingsSeen: 0, requests: 0, byStatus: {}, traffic: new SecondCounts(), windowRecords: 0, accessLines: 0 };
  const midBodyKeys = new Set<string>();
  const midBodyClients = new Set<string>();
  const inWindow = windowOf(opts);
  const fast = opts.fastPath === false ? undefined : { since: opts.since ?? NaN, until: opts.until ?? NaN, workers: opts.fastPath?.workers };

  // The plan stage: heads read and formats detected once, change logs set aside, the zone decided.
  const plan = await planSources(files, formats, opts.forced, opts.tz);
  const zoneChoice = plan.zone;
  if (typeof zoneChoice === 'string') return zoneChoice;
  const toUtc = zoneChoice.toUtc;
  const changeLogs = plan.sources.filter((p) => p.isChangeLog).map((p) => p.path);
  const planned = plan.sources.filter((p) => !p.isChangeLog);
  const order = planned.map((p, i) => ({ ...p, i })).sort((a, b) => Number(a.kind === 'access') - Number(b.kind === 'access') || a.i - b.i);
  const totalBytes = planned.reduce((s, p) => s + p.size, 0);
  const done = planned.map(() => 0);
  const progress = (i: number, n: number): void => {
    done[i] = n;
    opts.onProgress?.(done.reduce((a, b) => a + b, 0), totalBytes);
  };
  // Access logs start their fast scans now, in worker threads, while this thread loads the causes and
  // reads the error logs (a mid-body failure found there makes the access file be scanned again).
  const started = new Map(
    fast
      ? order.filter((p) => p.kind === 'access').slice(0, EARLY_SCANS).map((p) => [p.i, startFastScan(p.path, formats, p.forced, { ...fast, watchClients: [], onCheapFailure: () => undefined }, (n) => progress(p.i, n), p.planned)] as const)
      : [],
  );
  // A big plain nginx error log read without an access log starts its workers now too, while this thread
  // loads the causes (error-digest-parallel.ts `startEarly`; the reader takes them over).
  const parallelSetup = { tz: opts.tz, offsetMinutes: zoneChoice.offsetMinutes, since: opts.since ?? NaN, until: opts.until ?? NaN };
  const errorWorkerBytes = opts.fastPath ? opts.fastPath.errorWorkerBytes : undefined;
  const earlyErrors = new Map<number, EarlyStart>();
  if (fast && !order.some((p) => p.kind === 'access' || p.kind === undefined)) {
    for (const p of order) {
      const f = p.planned?.format;
      const quiet = f && f.kind !== 'access' ? f.records.quiet : undefined;
      if (!p.planned || p.planned.head.compressed || quiet?.shape !== 'nginx-error' || quiet.producer !== 'nginx') continue;
      const e = startEarly(p.path, p.planned.head.bytes, parallelSetup, MAX_LINE_BYTES, errorWorkerBytes);
      if (e) {
        earlyErrors.set(p.i, e);
        early.push(e);
      }
    }
  }
  await Promise.all(started.values());
  const catalog = loadCauses();
  const classifier = buildClassifier(catalog);
  const markers = loadMarkers();
  const banners = loadBanners();
  // One pass over each message finds the literals both the causes and the change markers need.
  const screen = new LiteralIndex([...classifier.literals, ...markerLiterals(markers)]);
  // The same literals in bytes, per producer: records holding none are only counted (quiet-records.ts).
  const screens = new Map<Producer, ByteScreen | undefined>();
  const quiet: QuietPath = {
    screenFor(producer) {
      if (!screens.has(producer)) {
        const causes = classifier.literalsFor(producer);
        const marks = markerLiteralsFor(markers, producer);
        screens.set(producer, causes && marks ? new ByteScreen([...causes, ...marks]) : undefined);
      }
      return screens.get(producer);
    },
  };
  const rules = loadTerminationRules();
  const accessCount = order.filter((p) => p.kind === 'access').length;
  const hasAccessLog = accessCount > 0 || order.some((p) => p.kind === undefined);
  const correlator = new Correlator({
    catalog, gapMs: opts.gapMs, hasAccessLog,
    // Several access logs are read one after another over the same hours: settle neighbours at the end.
    latenessMs: accessCount > 1 ? Infinity : LATENESS_MS,
  });
  const keep = (f: Finding): void => {
    const a = aligned(f, toUtc);
    if (!inWindow(a.record.time)) return;
    c.findingsSeen++;
    correlator.pushFinding(a);
  };
  // Without an access log each finding is a failure: plain records of such findings take the error-log fast path.
  const digestRules: DigestRules | undefined = hasAccessLog ? undefined : { classifier, screen, markers, precursorIds: new Set(catalog.causes.flatMap((x) => x.precursors)) };
  const reports: SourceReport[] = new Array<SourceReport>(planned.length);
  for (const [k, p] of order.entries()) {
    opts.onPhase?.({ phase: 'reading', file: p.path, index: k + 1, files: order.length, bytes: totalBytes });
    // Records without a time of their own get it from the next timed record: held until then.
    let held: Finding[] = [];
    const release = (): void => {
      if (held.length === 0) return;
      for (const f of held) keep(f);
      held = [];
    };
    // A source of unknown kind read before record logs: its failed lines wait for their findings.
    const deferred: AccessEvent[] | undefined = order.slice(k + 1).some((q) => q.kind !== 'access') ? [] : undefined;
    reports[p.i] = await readSource(p.path, p.i, formats, p.forced, {
      onRecord(r) {
        if (r.timed) release();
        if (inWindow(r.zoned ? r.time : toUtc(r.time))) c.windowRecords++;
        const found = screen.found(r.message);
        const hit = classifier.classify(r, found);
        if (hit) {
          const f: Finding = { record: r, cause: hit.cause, pattern: hit.pattern };
          if (r.timed || held.length >= MAX_HELD) keep(f);
          else held.push(f);
          if (hit.pattern.midBody && r.request) {
            midBodyKeys.add(clientPathKey(r.client, splitRequest(r.request).path));
            midBodyClients.add(r.client);
          }
        }
        if (isBanner(banners, r)) correlator.lifecycle.noteBanner(r);
        const m = markerOf(markers, r, p.path, found);
        if (m) c.changes.push({ change: m, zoned: r.zoned });
      },
      onAccess(raw) {
        c.accessLines++;
        const e = raw.zoned ? raw : { ...raw, time: toUtc(raw.time) };
        if (!inWindow(e.time)) return;
        c.requests++;
        if (e.status > 0) {
          const k = String(e.status);
          c.byStatus[k] = (c.byStatus[k] ?? 0) + 1;
        }
        c.traffic.add(Math.floor(e.time / 1000));
        if (e.upstreamStatus && retriedThenAnswered(e.upstreamStatus, e.status)) correlator.setAside.addRetried(e.source, e.line);
        const truncated = (midBodyKeys.size > 0 && midBodyKeys.has(clientPathKey(e.client, e.path))) || terminationRule(rules, e)?.midBody === true;
        if (!(e.status >= 500 || truncated)) return;
        c.failedSeen++;
        if (deferred) deferred.push(e);
        else correlator.pushAccess(e);
      },
      onCounted(statuses, seconds) {
        for (let k = 0; k < statuses.length; k++) {
          const n = statuses[k] ?? 0;
          if (n === 0) continue;
          c.accessLines += n;
          c.requests += n;
          c.byStatus[String(k)] = (c.byStatus[String(k)] ?? 0) + n;
        }
        for (const part of seconds) c.traffic.addBlocks(part);
      },
      onBytes(n) {
        progress(p.i, n);
      },
    }, fast && p.kind === 'access' ? {
      ...fast, watchClients: [...midBodyClients], started: started.get(p.i),
      // Plainly combined 5xx lines: counted by the scan (onCounted), pooled without their full reading when nothing can explain them.
      onCheapRun(xs, from, to) {
        c.failedSeen += to - from;
        if (deferred) for (let k = from; k < to; k++) deferred.push(xs.at(k).full());
        else correlator.pushCheapRun(xs, from, to);
      },
      onCheapEnd: () => correlator.readCheapInFull(),
    } : undefined, fast && p.kind !== 'access' ? {
      ...quiet,
      digestFor: (producer, flushReader) => digestRules && producer === 'nginx' ? digestPath(digestRules, parallelSetup, errorWorkerBytes, earlyErrors.get(p.i), new BatchSink({
        catalog, source: p.i, toUtc, inWindow, beforeTimed: release,
        counted(n, inside) {
          if (!inside) return;
          c.windowRecords += n;
          c.findingsSeen += n;
        },
        precursorRoom: () => correlator.store.precursorRoom,
        push: (causeId, b, precursors) => correlator.pushFailures(causeId, b, FINDING_CONFIDENCE, precursors),
      }, flushReader)) : undefined,
    } : undefined, p.planned);
    release();
    for (const e of deferred ?? []) correlator.pushAccess(e);
  }
  return { c, reports, changeLogs, zone: zoneChoice, correlator };
}

/**
 * A --since/--until window that holds no request and no record: said, not reported as an all-clear.
 * Records the quiet-record path only counts have no known time: with no access log, such a log leaves it open.
 */
function emptyWindow(opts: AnalyzeOptions, c: Collected, reports: readonly SourceReport[], formats: readonly LogFormat[]): string | undefined {
  if ((opts.since === undefined && opts.until === undefined) || c.requests > 0 || c.windowRecords > 0) return undefined;
  const access = reports.filter((r) => r.kind === 'access');
  const quiet = (r: SourceReport): boolean => {
    const f = formats.find((x) => x.name === r.format);
    return opts.fastPath !== false && f !== undefined && f.kind !== 'access' && f.records.quiet !== undefined;
  };
  if (access.length === 0 && reports.some(quiet)) return undefined;
  const lines = (access.length > 0 ? access : reports).reduce((n, r) => n + r.lines, 0);
  const at = (t: number | undefined, none: string): string => (t === undefined ? none : new Date(t).toISOString());
  return `the window ${at(opts.since, 'start')} → ${at(opts.until, 'now')} holds 0 of the ${lines} ${access.length > 0 ? 'access ' : ''}line(s) read: nothing to diagnose there (do the logs cover that time?)`;
}

/** Runs `fivexx analyze`; errors come back as values with a one-line message. */
export async function runAnalysis(opts: AnalyzeOptions): Promise<AnalyzeOutcome> {
  const { files, errors } = await expandPaths(opts.paths);
  if (files.length === 0) return { ok: false, ...nothingReadable(errors, opts.paths.length, opts.onWarning) };
  const formats = [...opts.extraFormats, ...loadFormats()];
  for (const [path, name] of opts.forced) {
    if (name !== 'changes' && !formats.some((f) => f.name === name)) return { ok: false, code: 'FIVEXX_USAGE', error: `--format ${name}=${path}: unknown format '${name}'` };
  }
  // Error-log workers started early that no read took over are ended, whatever happened.
  const early: EarlyStart[] = [];
  let collected: Awaited<ReturnType<typeof collect>>;
  try {
    collected = await collect(files, formats, opts, early);
  } finally {
    for (const e of early) endEarly(e);
  }
  if (typeof collected === 'string') return { ok: false, code: 'FIVEXX_TZ_INVALID', error: collected };
  const { c, reports, changeLogs, zone: chosen, correlator } = collected;
  const isReadable = (r: SourceReport): boolean => r.kind !== 'unknown' && r.lines - r.unparsed > 0;
  const problems: PathProblem[] = [
    ...errors,
    ...reports.flatMap((r) => (r.warnings.length > 0 || isReadable(r) ? r.warnings : [coded('FIVEXX_FORMAT_UNKNOWN', `none of its ${r.lines} line(s) reads as ${r.format}`)]).map((warning) => ({ path: r.path, warning }))),
  ];
  if (!reports.some(isReadable)) return { ok: false, ...nothingReadable(problems, files.length + errors.length, opts.onWarning) };
  for (const p of problems) opts.onWarning?.(located(p));
  const empty = emptyWindow(opts, c, reports, formats);
  if (empty) return { ok: false, code: 'FIVEXX_WINDOW_EMPTY', error: empty };

  const readOffset = reports.find((r) => r.kind === 'access' && !Number.isNaN(r.offsetMinutes))?.offsetMinutes;
  const late = chosen.guessed && readOffset !== undefined;
  const toUtc = late ? fixedZone(readOffset) : chosen.toUtc;
  const assumedOffsetMinutes = late ? readOffset : chosen.offsetMinutes;
  const changes: ChangeEvent[] = c.changes.map(({ change, zoned }) => (zoned ? change : { ...change, time: toUtc(change.time) }));
  for (const path of [...opts.changes, ...changeLogs]) {
    const r = await readChanges(path, assumedOffsetMinutes);
    if (r.error) return { ok: false, code: 'FIVEXX_CHANGES_UNREADABLE', error: r.error };
    changes.push(...r.changes);
  }

  const sources: SourceSummary[] = [
    ...reports.map((r) => ({ path: r.path, format: r.format, lines: r.lines, unparsed: r.unparsed, warnings: r.warnings })),
    ...changeLogs.map((p) => ({ path: p, format: 'changes', lines: changes.filter((ch) => ch.source === p).length, unparsed: 0, warnings: [] })),
    ...errors.map((e) => ({ path: e.path, format: 'unreadable', lines: 0, unparsed: 0, warnings: [e.warning] })),
  ];
  opts.onPhase?.({ phase: 'correlating', failed: c.failedSeen, records: c.findingsSeen });
  for (const ch of changes) correlator.lifecycle.noteChange(ch);
  // Findings stand for the failed requests when no access line was read (an error log alone).
  const drafts = correlator.close(c.accessLines > 0);
  for (const [i, n] of correlator.lifecycle.unplaced) {
    const s = sources[i];
    if (!s) continue;
    const warning = coded('FIVEXX_UNTIMED_UNPLACED', `${n} crash or out-of-memory record(s) carry no time, and no failure they explain was read to place them against (add the gateway's logs of the same hours)`);
    sources[i] = { ...s, warnings: [...s.warnings, warning] };
    opts.onWarning?.(located({ path: s.path, warning }));
  }
  const incidents = describeAll(drafts, { sources, changes, traffic: c.traffic, triggerWindowMs: opts.triggerWindowMs, precursors: correlator.store.precursors });
  const notes = correlator.setAside.notes((i) => reports[i]?.path ?? '?', (id) => loadCauses().causes.find((x) => x.id === id)?.statuses[0] ?? 0);
  const analysis: Analysis = { version: 1, sources, totals: { requests: c.requests, byStatus: c.byStatus }, incidents, assumedOffsetMinutes, ...(notes.length > 0 ? { notes } : {}) };
  return { ok: true, analysis };
}
