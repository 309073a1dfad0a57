// Turns the error digest's batches (of this thread or a worker's) into the correlator's failures, with the
// same steps run-analysis takes for each timed finding: release what waits for a timed record, count the
// records in the window, align times to UTC, make the evidence and precursor records from their text.
import { requireCause, type Cause, type CauseCatalog } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { FailureBatch } from '../correlate/incident-aggregate.ts';
import { nginxError } from '../parse/nginx-error.ts';
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
  readonly push: (causeId: string, b: Omit<FailureBatch, 'seq'>, precursors: { readonly listed: readonly Finding[]; readonly dropped: number }) => void;
}

/** Turns batches (of this thread or a worker's) into the correlator's failures, after the reader's open record. */
export class BatchSink implements DigestOut {
  private readonly to: SinkTarget;
  private readonly flushReader: () => void;
  /** Text reached the reader since the last batch: its open record comes first. */
  private readerOpen = true;
  /** Added to the batches' line numbers (a worker counts from its range's first line). */
  lineOffset = 0;

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
    const cause = requireCause(to.catalog, d.causeId, 'error digest');
    const listed = d.precursorTexts.slice(0, Math.max(0, to.precursorRoom())).map((e) => this.finding(cause, e));
    to.push(cause.id, {
      time, count: d.count, status: 0, withAccess: 0, access: undefined, findings: d.evidence.map((e) => this.finding(cause, e)),
      paths: d.paths, upstreams: d.upstreams, hosts: d.hosts,
    }, { listed, dropped: d.precursors - listed.length });
  }

  /** The record of a taken line as the reader makes it, its times in UTC as run-analysis aligns them. */
  private finding(cause: Cause, [line, text, patternAt]: [number, string, number]): Finding {
    const r = nginxError.parse(text, this.to.source, line + this.lineOffset);
    const pattern = cause.patterns[patternAt];
    if (!r || !pattern) throw new Error(`error digest: line ${line + this.lineOffset} no longer reads as its ${cause.id} record`);
    r.time = this.to.toUtc(r.time);
    if (Number.isFinite(r.timeMax)) r.timeMax = this.to.toUtc(r.timeMax);
    return { record: r, cause, pattern };
  }
}
