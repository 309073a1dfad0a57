// Turns the error digest's batches (of this thread or a worker's) into the correlator's failures, with the
// same steps run-analysis takes for each timed finding: release what waits for a timed record, count the
// records in the window, align times to UTC, make the evidence and precursor records from their text.
import { requireCause, type Cause, type CauseCatalog, type CausePattern } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { UnnumberedBatch } from '../correlate/incident-aggregate.ts';
import type { KeyedFinding, ShapedFinding } from '../correlate/evidence-text.ts';
import { nginxError } from '../parse/nginx-error.ts';
import type { LogRecord } from '../events/types.ts';
import type { DigestBatch, DigestOut } from './error-digest.ts';

/** Where the batches go (run-analysis): the same steps as its onRecord and keep for a timed finding. */
export interface SinkTarget {
  readonly catalog: CauseCatalog;
  /** The source's number (records made for evidence carry it). */
  readonly source: number;
  readonly toUtc: (localMs: number) => number;
  readonly inWindow: (utcMs: number) => boolean;
  /** Before timed records are handed on (findings of untimed records held for one are released). */
  readonly beforeTimed: () => void;
  /** `n` timed records read, inside the --since/--until window or not. */
  readonly counted: (n: number, inWindow: boolean) => void;
  /** How many more precursor findings the finding store lists. */
  readonly precursorRoom: () => number;
  /** Failures of a cause (inside the window), as findings pushed one by one would give; their precursor findings listed or dropped. */
  readonly push: (causeId: string, b: UnnumberedBatch, precursors: { readonly listed: readonly Finding[]; readonly dropped: number }) => void;
}

/** No precursor findings listed (most batches). */
const NONE: readonly Finding[] = Object.freeze([]);

/** Turns batches (of this thread or a worker's) into the correlator's failures, after the reader's open record. */
export class BatchSink implements DigestOut {
  private readonly to: SinkTarget;
  private readonly flushReader: () => void;
  /** Text reached the reader since the last batch: its open record comes first. */
  private readerOpen = true;
  /** Added to the batches' line numbers (a worker counts from its range's first line). */
  lineOffset = 0;
  /**
   * Called once, as soon as the store lists no more precursors (the parallel read tells its workers at
   * once: they keep no more precursor texts, which this sink would drop).
   */
  onListFull: (() => void) | undefined;
  private fullSaid = false;

  constructor(to: SinkTarget, flushReader: () => void) {
    this.to = to;
    this.flushReader = flushReader;
  }

  textComing(): void {
    this.readerOpen = true;
  }

  listFull(): boolean {
    return this.to.precursorRoom() <= 0;
  }

  inWindowLocal(localMs: number): boolean {
    return this.to.inWindow(this.to.toUtc(localMs));
  }

  batch(d: DigestBatch): void {
    const to = this.to;
    if (this.readerOpen) {
      this.flushReader();
      this.readerOpen = false;
    }
    to.beforeTimed();
    const time = to.toUtc(d.time);
    const inWindow = to.inWindow(time);
    to.counted(d.count, inWindow);
    if (!inWindow) return;
    const cause = this.causeOf(d.causeId);
    const texts = d.precursorTexts;
    let listed: readonly Finding[] = NONE;
    if (texts.length > 0) {
      listed = texts.slice(0, Math.max(0, to.precursorRoom())).map((e) => this.precursorFinding(cause, e));
      if (!this.fullSaid && to.precursorRoom() - listed.length <= 0) {
        this.fullSaid = true;
        this.onListFull?.();
      }
    }
    const findings: Finding[] = [];
    for (let k = 0; k < d.evidence.length; k++) findings.push(this.evidenceFinding(cause, d.evidence[k], d.keys[k]));
    // Its fields in batchOf's order (one object shape for IncidentAggregate.add).
    to.push(cause.id, {
      time, seq: 0, count: d.count, status: 0, withAccess: 0,
      paths: d.paths, upstreams: d.upstreams, hosts: d.hosts, findings, access: undefined,
    }, { listed, dropped: d.precursors - listed.length });
  }

  private lastCause: Cause | undefined;

  /** The catalog's cause of `id` (the last one asked is kept: a run of batches shares one). */
  private causeOf(id: string): Cause {
    const last = this.lastCause;
    if (last !== undefined && last.id === id) return last;
    const cause = requireCause(this.to.catalog, id, 'error digest');
    this.lastCause = cause;
    return cause;
  }

  /** The record of a taken line as the reader makes it, its times in UTC as run-analysis aligns them. */
  private finding(cause: Cause, [line, text, patternAt]: [number, string, number]): Finding {
    const pattern = cause.patterns[patternAt];
    const r = recordOf(text, this.to.source, line + this.lineOffset, this.to.toUtc);
    if (!r || !pattern) throw new Error(`error digest: line ${line + this.lineOffset} no longer reads as its ${cause.id} record`);
    return { record: r, cause, pattern };
  }

  /**
   * A listed precursor finding whose record is made when first read: the store lists up to 20,000 of
   * them, and they are read only for an incident of a cause they are precursors of.
   */
  private precursorFinding(cause: Cause, [line, text, patternAt]: [number, string, number]): Finding {
    const pattern = cause.patterns[patternAt];
    if (!pattern) throw new Error(`error digest: line ${line + this.lineOffset} no longer reads as its ${cause.id} record`);
    return new LazyRecordFinding(cause, pattern, text, this.to.source, line + this.lineOffset, this.to.toUtc);
  }

  /**
   * An evidence finding whose record is made when first read: the incident keeps the first few of its
   * evidence keys, so most are never read (a batch a second each brings one). Its message shape is the
   * key's (the digest's message is the record's: nginx-error-bytes.test.ts), known without the record.
   */
  private evidenceFinding(cause: Cause, e: [number, string, number], key: string | undefined): Finding {
    const pattern = cause.patterns[e[2]];
    if (!pattern || key === undefined) return this.finding(cause, e);
    return new LazyFinding(cause, pattern, key, e[1], this.to.source, e[0] + this.lineOffset, this.to.toUtc);
  }
}

/** A Finding whose record is parsed from its text when first read (a getter: a spread copy would not carry it). */
class LazyRecordFinding implements Finding {
  readonly cause: Cause;
  readonly pattern: CausePattern;
  private readonly text: string;
  private readonly source: number;
  private readonly line: number;
  private readonly toUtc: (localMs: number) => number;
  private made: LogRecord | undefined;

  constructor(cause: Cause, pattern: CausePattern, text: string, source: number, line: number, toUtc: (localMs: number) => number) {
    this.cause = cause;
    this.pattern = pattern;
    this.text = text;
    this.source = source;
    this.line = line;
    this.toUtc = toUtc;
  }

  get record(): LogRecord {
    this.made ??= recordOf(this.text, this.source, this.line, this.toUtc);
    if (!this.made) throw new Error(`error digest: line ${this.line} no longer reads as its ${this.cause.id} record`);
    return this.made;
  }
}

/**
 * A Finding (with its shape, evidence-text.ts `ShapedFinding`) whose record is parsed from its text when
 * first read. It goes only into a FailureBatch's findings (IncidentAggregate keeps it as evidence): its
 * record is a getter, which a copy by spread ({ ...f }) would not carry.
 */
class LazyFinding extends LazyRecordFinding implements ShapedFinding, KeyedFinding {
  /** The evidence key (cause id, ":", message shape): IncidentAggregate takes it as it is. */
  readonly knownKey: string;

  constructor(cause: Cause, pattern: CausePattern, key: string, text: string, source: number, line: number, toUtc: (localMs: number) => number) {
    super(cause, pattern, text, source, line, toUtc);
    this.knownKey = key;
  }

  /** The message shape, from the key (most findings are never asked it). */
  get knownShape(): string {
    return this.knownKey.slice(this.cause.id.length + 1);
  }
}

function recordOf(text: string, source: number, lineNo: number, toUtc: (localMs: number) => number): LogRecord | undefined {
  const r = nginxError.parse(text, source, lineNo);
  if (!r) return undefined;
  r.time = toUtc(r.time);
  if (Number.isFinite(r.timeMax)) r.timeMax = toUtc(r.timeMax);
  return r;
}
