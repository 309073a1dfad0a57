// Watch's log stages: lines from followed files, the syslog receiver and journald go through the same
// stages as `analyze` (wrappers peeled, format detected from a source's first lines or given, parsed,
// classified against the catalog) into one streaming Correlator driven by the wall clock. Each line keeps
// its own time, or gets its arrival time when it has none. No I/O here: `feed` lines, `tick(now)`.
import type { CauseCatalog } from '../catalog/causes.ts';
import { loadFormats, type LogFormat } from '../catalog/formats.ts';
import { loadTerminationRules, terminationRule, type TerminationRule } from '../catalog/termination-states.ts';
import { buildClassifier, type Classifier, type Finding } from '../classify/classify.ts';
import { Correlator } from '../correlate/correlator.ts';
import type { IncidentAggregate } from '../correlate/incident-aggregate.ts';
import type { PerSecond } from '../events/second-counts.ts';
import type { AccessEvent, LogRecord } from '../events/types.ts';
import { LinePeeler } from '../parse/wrappers/peel.ts';
import { isBlank, SourceLines } from '../sources/source-lines.ts';

export interface PipelineOptions {
  readonly catalog: CauseCatalog;
  /** Quiet time that closes an incident (rules.resolveAfter). */
  readonly gapMs: number;
  /** Local wall-clock times (nginx's error log) to UTC; default: this machine's zone. */
  readonly toUtc?: (localMs: number) => number;
  readonly formats?: readonly LogFormat[];
  /** Every parsed access line (the log rules count them). */
  readonly onAccess?: (e: AccessEvent) => void;
  /** Every line as read, before parsing (the request-ID join looks into it). */
  readonly onText?: (source: string, line: number, text: string, at: number) => void;
}

/** What watch knows of a source it reads. */
export interface PipelineSource {
  readonly path: string;
  format: string;
  kind: string;
  lines: number;
  unparsed: number;
}

interface SourceState {
  readonly info: PipelineSource;
  readonly index: number;
  readonly lines: SourceLines;
  readonly peeler: LinePeeler;
  /** When the last line came, and whether records may wait in the assembler since the last flush. */
  lastAt: number;
  dirty: boolean;
  held: number;
  /** When the first line held for detection came. */
  heldSince: number;
  /** The transport's or arrival time of the source's last line (its last record's, when it had none). */
  lastTime: number;
}

/** How long a source may be quiet before its held lines are detected with what came, and its last record flushed. */
const IDLE_MS = 1000;
/** How long the correlator waits for the sources to show their kinds (whether any is an access log). */
const DECIDE_MS = 10_000;
/** Items held until the correlator starts; past this, counted and dropped. */
const MAX_EARLY = 100_000;
/** Nginx logs a request when it ends, and files are polled: a failed line may come this late. */
const LATENESS_MS = 2000;
/** Listed findings (roots, precursors) are forgotten this far behind the clock; traffic seconds this far. */
const FORGET_MS = 10 * 60_000;
/**
 * Join slots this far: a failed line joins 5 s behind the clock (JOIN_DELAY_MS), may come LATENESS_MS late
 * and looks back its request time + 2 s; 90 s covers requests up to 60 s (the default proxy and FastCGI
 * read timeout) with margin, and keeps the store under its cap at 1,000 findings/s (10 minutes held
 * 100,000 slots, its cap, after 100 s at that rate: every later finding was pooled, naming no request).
 */
const SLOT_FORGET_MS = 90_000;
const TRAFFIC_MS = 2 * 3_600_000;
/**
 * Failed lines the correlator holds for the join at most (about 30 MB of lines): 100,000 lines/s at 30 %
 * 5xx fills it in 1.7 s, the oldest then joined before their 5 s delay (counted: correlator.joinedEarly);
 * without it, 150,000 lines were held in such an outage, and more at a higher rate.
 */
export const MAX_JOIN_QUEUE = 50_000;

/** This machine's zone, for times written without one. */
function localToUtc(localMs: number): number {
  const d = new Date(localMs);
  const guess = localMs + d.getTimezoneOffset() * 60_000;
  return localMs + new Date(guess).getTimezoneOffset() * 60_000;
}

/** Requests a second over the last hours (an incident's share of traffic), pruned as the clock goes. */
class RecentSeconds implements PerSecond {
  readonly #counts = new Map<number, number>();
  add(second: number): void {
    this.#counts.set(second, (this.#counts.get(second) ?? 0) + 1);
  }
  get(second: number): number | undefined {
    return this.#counts.get(second);
  }
  /** Forgets the seconds before `beforeSecond` and after `afterSecond` (lines dated in the future never grow old). */
  prune(beforeSecond: number, afterSecond = Infinity): void {
    for (const k of this.#counts.keys()) if (k < beforeSecond || k > afterSecond) this.#counts.delete(k);
  }

  get size(): number {
    return this.#counts.size;
  }
}

export class LogPipeline {
  readonly #opts: PipelineOptions;
  readonly #formats: readonly LogFormat[];
  readonly #classifier: Classifier;
  readonly #termination: readonly TerminationRule[];
  readonly #toUtc: (ms: number) => number;
  readonly #sources = new Map<string, SourceState>();
  readonly #byIndex: PipelineSource[] = [];
  readonly traffic = new RecentSeconds();
  #correlator: Correlator | undefined;
  readonly #early: (Finding | AccessEvent)[] = [];
  readonly #startedAt: number;
  /** The arrival time (or the transport's time) of the line being handled: the time of records without one. */
  #fallbackTime = 0;
  /** By source, the latest time of a failure or finding read (the correlator's clock while a reader lags). */
  readonly #latest: number[] = [];
  counts = { lines: 0, access: 0, failed: 0, findings: 0, droppedEarly: 0 };

  constructor(opts: PipelineOptions, now: number) {
    this.#opts = opts;
    this.#formats = opts.formats ?? loadFormats();
    this.#classifier = buildClassifier(opts.catalog);
    this.#termination = loadTerminationRules(undefined, opts.catalog);
    this.#toUtc = opts.toUtc ?? localToUtc;
    this.#startedAt = now;
  }

  get correlator(): Correlator | undefined {
    return this.#correlator;
  }

  /** The sources by index (evidence names them by path). */
  get sources(): readonly PipelineSource[] {
    return this.#byIndex;
  }

  /** Declares a source (a path, `syslog:HOST/APP`, `journald:UNIT`), with its format when the config gives one. */
  source(path: string, formatName?: string): PipelineSource {
    const had = this.#sources.get(path);
    if (had) return had.info;
    const forced = formatName ? this.#formats.find((f) => f.name === formatName) : undefined;
    const index = this.#byIndex.length;
    const info: PipelineSource = { path, format: forced?.name ?? 'detecting', kind: forced?.kind ?? 'unknown', lines: 0, unparsed: 0 };
    const lines = new SourceLines(index, this.#formats, forced, {
      onAccess: (e) => this.#access(e),
      onRecord: (r) => this.#record(r),
    });
    this.#sources.set(path, { info, index, lines, peeler: new LinePeeler(), lastAt: 0, dirty: false, held: 0, heldSince: 0, lastTime: 0 });
    this.#byIndex.push(info);
    return info;
  }

  /** One line of a source. `time`: a time the transport gave (RFC 5424 header), for lines with none of their own. */
  feed(path: string, text: string, lineNo: number, arrived: number, time?: number): void {
    const s = this.#sources.get(path) ?? (this.source(path), this.#sources.get(path));
    if (!s) return;
    this.counts.lines++;
    s.info.lines++;
    s.lastAt = arrived;
    s.dirty = true;
    this.#fallbackTime = time ?? arrived;
    s.lastTime = this.#fallbackTime;
    this.#opts.onText?.(path, lineNo, text, this.#fallbackTime);
    const inner = s.peeler.peel(text, lineNo);
    if (!inner) return;
    if (!s.lines.decided && !isBlank(inner[0]) && s.held++ === 0) s.heldSince = arrived;
    s.lines.line(inner[0], inner[1]);
    if (s.lines.decided && s.held > 0) this.#decided(s);
  }

  #decided(s: SourceState): void {
    s.held = 0;
    s.info.format = s.lines.format?.name ?? 'unknown';
    s.info.kind = s.lines.format?.kind ?? 'unknown';
  }

  #access(raw: AccessEvent): void {
    const t = Number.isNaN(raw.time) ? this.#fallbackTime : raw.zoned ? raw.time : this.#toUtc(raw.time);
    const e = t === raw.time ? raw : { ...raw, time: t };
    this.counts.access++;
    this.traffic.add(Math.floor(e.time / 1000));
    this.#opts.onAccess?.(e);
    if (!(e.status >= 500 || (e.termination !== '' && terminationRule(this.#termination, e)?.midBody === true))) return;
    this.counts.failed++;
    this.#push(e);
  }

  #record(r: LogRecord): void {
    const hit = this.#classifier.classify(r);
    if (!hit) return;
    if (!r.timed || Number.isNaN(r.time)) {
      r.time = this.#fallbackTime;
      r.timeMax = this.#fallbackTime;
    } else if (!r.zoned) {
      r.time = this.#toUtc(r.time);
      if (Number.isFinite(r.timeMax)) r.timeMax = this.#toUtc(r.timeMax);
    }
    this.counts.findings++;
    this.#push({ record: r, cause: hit.cause, pattern: hit.pattern });
  }

  #push(x: Finding | AccessEvent): void {
    const [t, source] = 'record' in x ? [x.record.time, x.record.source] : [x.time, x.source];
    if (!((this.#latest[source] ?? -Infinity) >= t)) this.#latest[source] = t;
    const c = this.#correlator;
    if (!c) {
      if (this.#early.length < MAX_EARLY) this.#early.push(x);
      else this.counts.droppedEarly++;
    } else if ('record' in x) c.pushFinding(x);
    else c.pushAccess(x);
  }

  /** Starts the correlator once the sources show whether an access log is among them (or after DECIDE_MS). */
  #startCorrelator(now: number): void {
    const states = [...this.#sources.values()];
    const anyAccess = states.some((s) => s.info.kind === 'access');
    const allKnown = states.length > 0 && states.every((s) => s.lines.decided || s.info.lines === 0);
    if (!anyAccess && !allKnown && now - this.#startedAt < DECIDE_MS) return;
    if (!anyAccess && this.counts.lines === 0) return;
    this.#correlator = new Correlator({ catalog: this.#opts.catalog, gapMs: this.#opts.gapMs, hasAccessLog: anyAccess, latenessMs: LATENESS_MS, maxQueued: MAX_JOIN_QUEUE });
    // Findings first (as analyze reads error logs first), then the failed lines.
    const early = this.#early.splice(0);
    for (const x of early) if ('record' in x) this.#correlator.pushFinding(x);
    for (const x of early) if (!('record' in x)) this.#correlator.pushAccess(x);
  }

  /**
   * The wall clock moves: quiet sources are detected with the lines they have and their last record is
   * flushed, the correlator settles what it can, and the incidents quiet for the gap are handed back.
   * `behind`: the sources with more to read; the correlator's clock then stays at the latest line time
   * the most lagging of them has given, so a reader that lags does not close incidents its unread lines
   * would extend (another source read to its end, an error log, may well be ahead).
   */
  tick(now: number, behind: ReadonlySet<string> = new Set()): IncidentAggregate[] {
    for (const s of this.#sources.values()) {
      // A slow source is detected with the lines of its first second (or its first 64 lines, in feed).
      if (!s.lines.decided && s.held > 0 && now - s.heldSince >= IDLE_MS) {
        s.lines.decide();
        this.#decided(s);
      }
      if (!s.dirty || now - s.lastAt < IDLE_MS) continue;
      s.dirty = false;
      this.#fallbackTime = s.lastTime;
      // Ends the record being assembled (a trace written whole) and decides a format from what came.
      s.lines.finish();
      if (s.held > 0 || s.info.format === 'detecting') this.#decided(s);
    }
    if (!this.#correlator) this.#startCorrelator(now);
    const c = this.#correlator;
    if (!c) return [];
    let clock = now;
    for (const path of behind) {
      const t = this.#latest[this.#sources.get(path)?.index ?? -1];
      if (t !== undefined && t < clock) clock = t;
    }
    c.advance(clock);
    this.traffic.prune(Math.floor((now - TRAFFIC_MS) / 1000), Math.floor((now + TRAFFIC_MS) / 1000));
    return c.takeClosed(clock - FORGET_MS, clock - SLOT_FORGET_MS);
  }

  /** The incidents failures may still join. */
  live(): IncidentAggregate[] {
    return this.#correlator?.live() ?? [];
  }
}
