// Correlation as a streaming stage, with the clock handed in and no I/O: findings and failed access
// lines go in (`pushFinding`, `pushAccess`), `advance(clock)` settles what can no longer change (a
// request nothing explained borrows its neighbours' cause once the clock is 30 s past it), `close()`
// gives the incident aggregates, refined to root causes and merged. Memory: the finding store's caps,
// the neighbour window and one bounded aggregate per incident; never one object per line.
import type { CauseCatalog } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { AccessEvent } from '../events/types.ts';
import { accessVerdict } from './access-evidence.ts';
import { accessOf, bareAccess, type CheapFailure, type CheapLines } from './cheap-failure.ts';
import { causeOf, failsAlone, fromAccess, fromFinding, type FailedRequest } from './failed-request.ts';
import { FindingStore, type StoreLimits } from './finding-store.ts';
import { batchOf, IncidentAggregate, type FailureBatch, type UnnumberedBatch } from './incident-aggregate.ts';
import { adoptRoot, overlapsWindow } from './incidents.ts';
import { joinAccess, SLACK_MS } from './join.ts';
import { JoinQueue, type Queued } from './join-queue.ts';
import { LifecycleLog } from './lifecycle-log.ts';
import { symptomOf } from './lifecycle.ts';
import type { Cause } from '../catalog/causes.ts';
import { Neighbours, NEIGHBOUR_MS } from './neighbours.ts';
import { PendingQueue } from './pending.ts';
import { SetAside } from './set-aside.ts';
import { noRequestKind } from '../parse/nginx-no-request.ts';

export interface CorrelatorOptions {
  readonly catalog: CauseCatalog;
  readonly gapMs: number;
  /** With no access log, the findings themselves are the failures. */
  readonly hasAccessLog: boolean;
  /**
   * How far behind the clock a failed request may still arrive and find its explained neighbours
   * (nginx logs a request when it ends, and parallel ranges are read in order): settle after 30 s + this.
   * Infinity: settle only at close (several access logs over the same hours, read one after another).
   */
  readonly latenessMs: number;
  readonly limits?: StoreLimits;
  /**
   * Failed lines (or groups of cheap ones) held for the join at most: past it the oldest (down to 7/8 of it) are joined at once,
   * before their JOIN_DELAY_MS (counted in `joinedEarly`), so memory is bounded by a count, not by time × rate.
   */
  readonly maxQueued?: number;
}

/** The default of `maxQueued`: far above what analyze's inputs queue (5 s of a log's failures). */
export const MAX_QUEUED = 1_000_000;

/** How far the clock must pass a failed line before it is joined (findings may follow it by the join slack and a little). */
const JOIN_DELAY_MS = 5000;

/** A failure is a root-cause finding when its cause explains other causes (OOM kill, worker timeout…). */
const isRoot = (f: Finding): boolean => f.cause.explains.length > 0;

export class Correlator {
  readonly store: FindingStore;
  private readonly opts: CorrelatorOptions;
  private readonly neighbours = new Neighbours();
  private readonly pending = new PendingQueue();
  /** Open incidents by cause, and every incident (the batch run closes them all at the end). */
  private readonly byCause = new Map<string, IncidentAggregate[]>();
  private seq = 0;
  private clock = -Infinity;
  /** Failed lines joined before their delay because the queue was full (`maxQueued`). */
  joinedEarly = 0;
  /** Start banners and fatal records of app logs (lifecycle.ts): restarts, untimed records placed by order. */
  readonly lifecycle: LifecycleLog;

  constructor(opts: CorrelatorOptions) {
    this.opts = opts;
    const precursorIds = new Set(opts.catalog.causes.flatMap((c) => c.precursors));
    this.store = new FindingStore(precursorIds, opts.limits);
    this.lifecycle = new LifecycleLog(opts.catalog);
  }

  /** A finding, its time final (aligned to UTC, inside --since/--until). */
  pushFinding(f: Finding): void {
    this.findingsPushed++;
    // nginx's stream/mail proxy (and HTTP before any request) write records no visitor got a status from.
    const noRequest = f.record.producer === 'nginx' ? noRequestKind(f.record.text) : undefined;
    if (noRequest) {
      this.setAside.addNoRequest(noRequest, f.record.source, f.record.line);
      return;
    }
    this.store.add(f, this.opts.hasAccessLog);
    this.lifecycle.noteFinding(f);
    if (!this.opts.hasAccessLog && !isRoot(f) && !Number.isNaN(f.record.time)) this.failureAlone(f, 1);
  }

  /** What was read and is no failed request, counted for the analysis' notes. */
  readonly setAside = new SetAside();

  private failureAlone(f: Finding, count: number, seq?: number): void {
    if (!failsAlone(f)) this.setAside.addBelow500(f.cause.id, f.record.source, f.record.line, count);
    else if (seq === undefined) this.addFailure(fromFinding(f));
    else this.addBatch(f.cause.id, batchOf(fromFinding(f), seq, count), 0.8);
  }

  /**
   * Failures of timed findings gathered by the error-log fast path (src/engine/error-digest.ts), for a
   * run without access log: the same as pushing those findings one by one (none a root; precursors
   * listed while the store has room, as it would list them).
   */
  pushFailures(causeId: string, b: UnnumberedBatch, confidence: number, precursors: { readonly listed: readonly Finding[]; readonly dropped: number }): void {
    if (precursors.listed.length > 0 || precursors.dropped > 0) this.store.addPrecursors(precursors.listed, precursors.dropped);
    // The batch is the caller's to number (no copy of it made for its arrival number).
    b.seq = this.seq++;
    this.addBatch(causeId, b, confidence);
  }

  /**
   * A failed access line (5xx, or a 2xx that a mid-body finding or a termination state names). It is
   * joined once the clock is JOIN_DELAY_MS past it: a log holding both kinds (Caddy's) may write the
   * finding just after the line.
   */
  pushAccess(e: AccessEvent | CheapFailure): void {
    if (Number.isNaN(e.time)) return;
    this.enqueue(e, -1, 1, e.time);
    this.advance(e.time);
  }

  /**
   * Cheap failures [from, to) of a run of columns (file order), as `pushAccess` of each, with no object per
   * line: lines of one time that do not come late (at or after the clock) are queued and joined as one group
   * (equal times keep their arrival order, so the group is joined as its lines would be, one after another).
   */
  pushCheapRun(xs: CheapLines, from: number, to: number): void {
    const time = xs.time;
    for (let k = from; k < to;) {
      const t = time[k] ?? NaN;
      let end = k + 1;
      if (t >= this.clock) while (end < to && time[end] === t) end++;
      if (!Number.isNaN(t)) {
        this.enqueue(xs, k, end - k, t);
        this.advance(t);
      }
      k = end;
    }
  }

  /** Queues a failed line (or `n` cheap ones of one time) by time, after those of the same time, with its arrival numbers. */
  private enqueue(x: Queued, k: number, n: number, t: number): void {
    this.toJoin.add(x, k, n, t, this.seq);
    this.seq += n;
  }

  /** Failed lines waiting to be joined (join-queue.ts). */
  private readonly toJoin = new JoinQueue();

  private joinUpTo(t: number): void {
    // Past the cap, the oldest are joined now: counted, never dropped.
    this.joinedEarly += this.toJoin.takeUpTo(t, this.opts.maxQueued ?? MAX_QUEUED, (x, k, n, seq) => {
      if (k < 0) this.join(x as AccessEvent | CheapFailure, seq);
      else this.joinCheap(x as CheapLines, k, k + n, seq);
    });
  }

  /** The verdict of a bare line of a status that has one (made once: a pooled second asks it). */
  private readonly verdictOf = (status: number): { cause: Cause; confidence: number } => this.bareVerdict(status) as { cause: Cause; confidence: number };

  /** Cheap failures [from, to) of one time: pooled from their columns when nothing can explain them, else joined as lines. */
  private joinCheap(xs: CheapLines, from: number, to: number, seq: number): void {
    const quiet = this.quietNear(xs.time[from] ?? NaN);
    let bare = quiet;
    for (let k = from; k < to && bare; k++) bare = this.bareVerdict(xs.status[k] ?? 0) !== undefined;
    if (bare) return this.pending.pushCheapGroup(xs, from, to, this.verdictOf, seq);
    for (let k = from; k < to; k++) {
      const v = quiet ? this.bareVerdict(xs.status[k] ?? 0) : undefined;
      if (v) this.pending.pushCheapAt(xs, k, v.cause, v.confidence, seq + k - from);
      else this.join(xs.at(k), seq + k - from);
    }
  }

  private join(x: AccessEvent | CheapFailure, seq: number): void {
    if (x.kind === 'cheap' && this.quietNear(x.time)) {
      // Nothing can explain it: pooled as its full reading would be (cheap-failure.ts), read in full only as evidence.
      const v = this.bareVerdict(x.status);
      if (v) return this.pending.pushCheap(x, v.cause, v.confidence, seq);
    }
    const e = accessOf(x);
    const j = joinAccess(e, this.store);
    const lead = j?.findings[0];
    const own = e.termination ? accessVerdict(e) : undefined;
    const catalog = this.opts.catalog;
    if (own && !own.causeId.endsWith('.unexplained')) {
      this.explained(fromAccess(e, causeOf(catalog, own.causeId), own.confidence, j?.findings ?? []), seq);
    } else if (j && lead) this.explained(fromAccess(e, lead.cause, j.confidence, j.findings), seq);
    else if (e.status >= 500 || e.termination) {
      const v = accessVerdict(e);
      const f = fromAccess(e, causeOf(catalog, v.causeId), v.confidence, []);
      if (v.causeId.endsWith('.unexplained')) this.pending.push(f, seq);
      else this.addFailure(f, seq);
    }
  }

  /** Findings pushed so far: a join window found empty stays empty until this changes (claims only empty it more). */
  private findingsPushed = 0;
  private quietAt = NaN;
  private quietPushed = -1;

  /** True when no finding lies in the join window of a line at `t` with no request time. */
  private quietNear(t: number): boolean {
    if (t === this.quietAt && this.quietPushed === this.findingsPushed) return true;
    if (this.store.hasSlotsIn(t - SLACK_MS, t + SLACK_MS)) return false;
    this.quietAt = t;
    this.quietPushed = this.findingsPushed;
    return true;
  }

  private readonly bareVerdicts = new Map<number, { cause: Cause; confidence: number } | undefined>();

  /** The verdict of a bare access line of `status` (no upstream fields), when it leaves it unexplained; by status, once. */
  private bareVerdict(status: number): { cause: Cause; confidence: number } | undefined {
    if (!this.bareVerdicts.has(status)) {
      const v = accessVerdict(bareAccess(status));
      this.bareVerdicts.set(status, v.causeId.endsWith('.unexplained') ? { cause: causeOf(this.opts.catalog, v.causeId), confidence: v.confidence } : undefined);
    }
    return this.bareVerdicts.get(status);
  }

  /** Reads in full the cheap failures still held (before their file closes): those waiting to be joined and pooled buckets' first lines. */
  readCheapInFull(): void {
    this.toJoin.readCheapInFull();
    this.pending.readCheapInFull();
  }

  private explained(f: FailedRequest, seq: number): void {
    if (f.findings.length > 0) this.neighbours.add(f, seq);
    this.addFailure(f, seq);
  }

  /** Moves the clock: requests 30 s (and the lateness) behind it take their neighbours' cause. */
  advance(clockMs: number): void {
    if (clockMs > this.clock) this.clock = clockMs;
    this.joinUpTo(this.clock - JOIN_DELAY_MS);
    const settled = this.clock - NEIGHBOUR_MS - this.opts.latenessMs;
    if (!(settled > -Infinity)) return;
    this.pending.drainUpTo(settled, this.settleBound);
    if (Number.isFinite(this.opts.latenessMs)) this.neighbours.pruneBefore(settled - NEIGHBOUR_MS);
  }

  /** The incidents failures may still join (watch describes them while they grow); do not change them. */
  live(): IncidentAggregate[] {
    return [...this.byCause.values()].flat();
  }

  /**
   * For a stream that never ends (watch): takes out the incidents no failure can reach any more, their last
   * failure more than `gap` before what the clock has settled (a request nothing explained may still borrow
   * a cause 30 s and the lateness back), and forgets the findings older than `forgetBefore` (joins look a few
   * seconds back; the root and precursor lists keep what the open incidents may still adopt).
   * Returns them refined to root causes, as `close` would. `slotsBefore`: forgets join slots from there.
   */
  takeClosed(forgetBefore: number, slotsBefore = forgetBefore): IncidentAggregate[] {
    const before = this.clock - JOIN_DELAY_MS - NEIGHBOUR_MS - this.opts.latenessMs - this.opts.gapMs;
    const closed: IncidentAggregate[] = [];
    for (const [id, list] of this.byCause) {
      const keep = list.filter((a) => a.end >= before);
      if (keep.length === list.length) continue;
      closed.push(...list.filter((a) => a.end < before));
      if (keep.length > 0) this.byCause.set(id, keep);
      else this.byCause.delete(id);
    }
    this.refine(closed);
    const oldest = Math.min(forgetBefore, ...this.live().map((a) => a.start - NEIGHBOUR_MS));
    this.store.pruneBefore(slotsBefore, oldest);
    return closed;
  }

  /** `settle`, made once (advance runs once a group of lines). */
  private readonly settleBound = (b: FailureBatch & { readonly upstream: string }, causeId: string, confidence: number): void => this.settle(b, causeId, confidence);

  private settle(b: FailureBatch & { readonly upstream: string }, causeId: string, confidence: number): void {
    const borrowed = this.neighbours.borrow(b.time, b.status, b.upstream);
    this.addBatch(borrowed ? borrowed.id : causeId, b, borrowed ? 0.6 : confidence);
  }

  private addFailure(f: FailedRequest, seq = this.seq++): void {
    this.addBatch(f.cause.id, batchOf(f, seq), f.confidence);
  }

  /** Adds failures to the incident of their cause they fall within `gap` of, joining incidents they bridge. */
  private addBatch(causeId: string, b: FailureBatch, confidence: number): void {
    this.lifecycle.noteFailure(causeId, b.time);
    const list = this.byCause.get(causeId) ?? [];
    if (list.length === 0) this.byCause.set(causeId, list);
    const into = this.incidentFor(list, causeId, b.time);
    into.add(b, confidence);
    const symptom = symptomOf(into.cause, b.findings);
    if (symptom) into.symptoms.set(symptom, (into.symptoms.get(symptom) ?? 0) + b.count);
  }

  /** The incident of `list` a failure at `time` joins (within `gap`; those it bridges merged into the first), or a new one. */
  private incidentFor(list: IncidentAggregate[], causeId: string, time: number): IncidentAggregate {
    const gap = this.opts.gapMs;
    const only = list.length === 1 ? list[0] : undefined;
    // One open incident (the usual case): no list to filter.
    if (only && time >= only.start - gap && time <= only.end + gap) return only;
    const near = list.filter((a) => time >= a.start - gap && time <= a.end + gap);
    let into = near[0];
    if (!into) {
      into = new IncidentAggregate(causeOf(this.opts.catalog, causeId), time);
      list.push(into);
    }
    for (const other of near.slice(1)) {
      into.absorb(other, false);
      list.splice(list.indexOf(other), 1);
    }
    return into;
  }

  /**
   * Ends the stream: settles every pending request, refines symptoms to root causes, merges touching
   * incidents. `hasAccessLog`: what reading found, when the plan could not tell (a source of unknown kind).
   */
  close(hasAccessLog = this.opts.hasAccessLog): IncidentAggregate[] {
    this.joinUpTo(Infinity);
    this.pending.drainUpTo(Infinity, (b, cause, confidence) => this.settle(b, cause, confidence));
    if (this.opts.hasAccessLog && !hasAccessLog) {
      // No access line came after all: the stored findings are the failures.
      for (const slot of this.store.allSlots()) {
        if (isRoot(slot.finding)) continue;
        this.failureAlone(slot.finding, slot.count, slot.seq);
      }
    }
    const drafts = [...this.byCause.values()].flat().sort((a, b) => a.start - b.start || a.requests - b.requests);
    this.store.roots.push(...this.lifecycle.settle());
    const used = this.refine(drafts);
    this.explainFromUntimed(drafts);
    if (!hasAccessLog) drafts.push(...this.loneRoots(used));
    return mergeTouching(drafts, this.opts.gapMs);
  }

  /** Symptoms become their root cause where a root finding explains them (close() and watch use it). */
  refine(drafts: IncidentAggregate[]): Set<Finding> {
    const used = new Set<Finding>();
    for (const d of drafts) {
      const symptom = d.cause.id;
      const near = this.store.roots.filter((r) => r.cause.explains.includes(symptom) && overlapsWindow(r, d.start, d.end));
      const root = adoptRoot(near, this.opts.catalog);
      if (!root) continue;
      d.symptoms.set(symptom, (d.symptoms.get(symptom) ?? 0) + d.requests);
      d.cause = root;
      d.roots = near.filter((r) => r.cause.id === root.id);
      d.mapConfidence((c) => Math.max(c, 0.85));
      for (const r of d.roots) used.add(r);
    }
    return used;
  }

  private explainFromUntimed(drafts: IncidentAggregate[]): void {
    for (const d of drafts) {
      if (!d.cause.id.endsWith('.unexplained')) continue;
      const near = this.store.untimed.filter((f) => overlapsWindow(f, d.start, d.end));
      const root = adoptRoot(near, this.opts.catalog);
      if (!root) continue;
      d.symptoms.set(d.cause.id, (d.symptoms.get(d.cause.id) ?? 0) + d.requests);
      d.cause = root;
      d.roots = near.filter((r) => r.cause.id === root.id);
      d.mapConfidence(() => 0.6);
    }
  }

  /** Without an access log, root-cause findings no symptom took become incidents of their own. */
  private loneRoots(used: ReadonlySet<Finding>): IncidentAggregate[] {
    const lone = new Correlator({ ...this.opts, hasAccessLog: true });
    for (const f of this.store.roots) if (!used.has(f)) lone.addFailure(fromFinding(f));
    return [...lone.byCause.values()].flat();
  }
}

/** After refinement two incidents of the same cause may touch: merge those within `gapMs` (the later appended). */
export function mergeTouching(drafts: IncidentAggregate[], gapMs: number): IncidentAggregate[] {
  const sorted = [...drafts].sort((a, b) => a.start - b.start);
  const out: IncidentAggregate[] = [];
  for (const d of sorted) {
    const prev = [...out].reverse().find((o) => o.cause.id === d.cause.id);
    if (prev && d.start - prev.end <= gapMs) prev.absorb(d, true);
    else out.push(d);
  }
  return out;
}
