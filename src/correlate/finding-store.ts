// The findings the streaming correlation keeps, in bounded memory: for joins, identical findings (same
// millisecond, cause, pattern, request, client, upstream) share one slot with a count, at most a fixed
// number of slots a second and in all (past that, a second's surplus is one slot per cause with no
// request: it still explains by time); root causes, precursors and untimed findings in capped lists.
import type { Finding } from '../classify/classify.ts';
import type { CausePattern } from '../catalog/causes.ts';
import type { LogRecord } from '../events/types.ts';
import { splitRequest } from './failed-request.ts';
import type { JoinIndex, Slot } from './join.ts';

export interface StoreLimits {
  /** Slots one second may hold before its surplus is pooled by cause. */
  readonly slotsPerSecond: number;
  /** Slots in all before every new one is pooled by cause. */
  readonly slots: number;
  /** Root, precursor and untimed findings kept (each list). */
  readonly listed: number;
}

export const DEFAULT_LIMITS: StoreLimits = { slotsPerSecond: 2048, slots: 100_000, listed: 20_000 };

interface StoredSlot extends Slot {
  /** The finding's time, on the slot: a scan reads the slot alone, not finding then record (a cache miss each). */
  readonly time: number;
  available: number;
  count: number;
  readonly seq: number;
  readonly key: string;
  readonly split: { readonly method: string; readonly path: string } | undefined;
}

/** One second's slots by time then arrival: all, and the same split by the request path they name (or none). */
interface Second {
  readonly all: StoredSlot[];
  readonly byPath: Map<string, StoredSlot[]>;
  readonly bare: StoredSlot[];
}

/** Inserts `slot` (the newest) after every slot of its time or earlier: mostly an append. */
function insertByTime(list: StoredSlot[], slot: StoredSlot): void {
  const t = slot.time;
  let at = list.length;
  while (at > 0 && (list[at - 1]?.time ?? 0) > t) at--;
  if (at === list.length) list.push(slot);
  else list.splice(at, 0, slot);
}

/** True when `a` comes before `b` by time then arrival. */
function before(a: StoredSlot, b: StoredSlot): boolean {
  const ta = a.time;
  const tb = b.time;
  return ta < tb || (ta === tb && a.seq < b.seq);
}

/** What the store dropped or pooled, for the run's warnings. */
export interface StoreOverflow {
  pooled: number;
  dropped: number;
}

/** The record as plain fields (a parsed record reads some lazily), naming no request, client or upstream. */
function withoutRequest(r: LogRecord): LogRecord {
  return {
    kind: 'log', source: r.source, line: r.line, time: r.time, timeMax: r.timeMax, timed: r.timed, zoned: r.zoned, level: r.level,
    producer: r.producer, message: r.message, text: r.text, client: '', request: '', upstream: '', host: r.host, pid: r.pid,
  };
}

const EMPTY: readonly StoredSlot[] = [];

export class FindingStore implements JoinIndex {
  private readonly seconds = new Map<number, Second>();
  private readonly byKey = new Map<string, StoredSlot>();
  private readonly patternIds = new Map<CausePattern, number>();
  private slotCount = 0;
  private seq = 0;
  readonly roots: Finding[] = [];
  readonly precursors: Finding[] = [];
  readonly untimed: Finding[] = [];
  readonly overflow: StoreOverflow = { pooled: 0, dropped: 0 };
  private readonly limits: StoreLimits;
  private readonly precursorIds: ReadonlySet<string>;

  constructor(precursorIds: ReadonlySet<string>, limits: StoreLimits = DEFAULT_LIMITS) {
    this.precursorIds = precursorIds;
    this.limits = limits;
  }

  /** Keeps a finding whose time is final (aligned, in the window); `joins: false`: only in the lists. */
  add(f: Finding, joins = true): void {
    const r = f.record;
    if (f.cause.explains.length > 0 && !Number.isNaN(r.time)) this.list(this.roots, f);
    if (this.precursorIds.has(f.cause.id)) this.list(this.precursors, f);
    if (!r.timed && !f.pattern.midBody && !Number.isNaN(r.timeMax)) this.list(this.untimed, f);
    if (joins && !Number.isNaN(r.time)) this.addSlot(f);
  }

  /** How many more precursor findings the store lists before it drops them. */
  get precursorRoom(): number {
    return Math.max(0, this.limits.listed - this.precursors.length);
  }

  /** Precursor findings added as `add` would list them (the error-log fast path), and `dropped` more it would drop. */
  addPrecursors(listed: readonly Finding[], dropped: number): void {
    for (const f of listed) this.list(this.precursors, f);
    this.overflow.dropped += dropped;
  }

  private list(to: Finding[], f: Finding): void {
    if (to.length < this.limits.listed) to.push(f);
    else this.overflow.dropped++;
  }

  private patternId(p: CausePattern): number {
    let id = this.patternIds.get(p);
    if (id === undefined) {
      id = this.patternIds.size;
      this.patternIds.set(p, id);
    }
    return id;
  }

  private addSlot(f: Finding): void {
    const r = f.record;
    const second = Math.floor(r.time / 1000);
    let bucket = this.seconds.get(second);
    let key = `${r.time}|${Number(r.timed)}|${r.producer}|${this.patternId(f.pattern)}|${f.cause.id}|${r.request}|${r.client}|${r.upstream}`;
    const found = this.byKey.get(key);
    if (found) {
      found.count++;
      found.available++;
      return;
    }
    if ((bucket?.all.length ?? 0) >= this.limits.slotsPerSecond || this.slotCount >= this.limits.slots) {
      // Pooled: one slot per cause and second, naming no request, so it explains by time alone.
      this.overflow.pooled++;
      key = `pool|${second}|${f.cause.id}`;
      const pool = this.byKey.get(key);
      if (pool) {
        pool.count++;
        pool.available++;
        return;
      }
      f = { ...f, record: withoutRequest(r) };
    }
    const split = f.record.request ? splitRequest(f.record.request) : undefined;
    const slot: StoredSlot = { finding: f, time: f.record.time, available: 1, count: 1, seq: this.seq++, key, split };
    this.byKey.set(key, slot);
    this.slotCount++;
    if (!bucket) {
      bucket = { all: [], byPath: new Map(), bare: [] };
      this.seconds.set(second, bucket);
    }
    // Kept by time, then arrival: findings come nearly in time order, so this is mostly an append.
    insertByTime(bucket.all, slot);
    if (!split) insertByTime(bucket.bare, slot);
    else {
      const list = bucket.byPath.get(split.path);
      if (list) insertByTime(list, slot);
      else bucket.byPath.set(split.path, [slot]);
    }
  }

  /** The stored seconds a window [from, to] covers, in order (the stored ones alone when the window is longer). */
  private secondsIn(from: number, to: number): Second[] {
    if (!(to >= from)) return [];
    const first = Math.floor(from / 1000);
    const last = Math.floor(to / 1000);
    const out: Second[] = [];
    if (last - first > this.seconds.size) {
      for (const k of [...this.seconds.keys()].filter((s) => s >= first && s <= last).sort((a, b) => a - b)) {
        const b = this.seconds.get(k);
        if (b) out.push(b);
      }
    } else {
      for (let k = first; k <= last; k++) {
        const b = this.seconds.get(k);
        if (b) out.push(b);
      }
    }
    return out;
  }

  /** Whether `slotsIn(from, to)` holds any slot: answered without a generator or a list of seconds (a pooled second asks it). */
  hasSlotsIn(from: number, to: number): boolean {
    if (this.seconds.size === 0 || !(to >= from)) return false;
    const first = Math.floor(from / 1000);
    const last = Math.floor(to / 1000);
    if (last - first > this.seconds.size) {
      for (const s of this.slotsIn(from, to)) if (s) return true;
      return false;
    }
    for (let k = first; k <= last; k++) {
      const b = this.seconds.get(k);
      if (!b) continue;
      for (const s of b.all) {
        const t = s.finding.record.time;
        if (t >= from && t <= to && s.available > 0) return true;
      }
    }
    return false;
  }

  *slotsIn(from: number, to: number): Iterable<Slot> {
    for (const b of this.secondsIn(from, to)) {
      for (const s of b.all) {
        const t = s.time;
        if (t >= from && t <= to && s.available > 0) yield s;
      }
    }
  }

  /** `slotsIn(from, to)` less the slots naming a request for another path: the two lists of a second merged by time then arrival. */
  candidatesFor(path: string, from: number, to: number): Slot[] {
    const out: Slot[] = [];
    for (const b of this.secondsIn(from, to)) {
      const named = b.byPath.get(path) ?? EMPTY;
      const bare = b.bare;
      let i = 0;
      let j = 0;
      while (i < named.length || j < bare.length) {
        const a = named[i];
        const c = bare[j];
        let s: StoredSlot;
        if (a && (!c || before(a, c))) {
          s = a;
          i++;
        } else if (c) {
          s = c;
          j++;
        } else break;
        const t = s.time;
        if (t >= from && t <= to && s.available > 0) out.push(s);
      }
    }
    return out;
  }

  claim(slot: Slot): void {
    if (!slot.finding.record.request) return;
    const s = slot as StoredSlot;
    if (s.available > 0) s.available--;
  }

  /** Every slot, by time then arrival. */
  *allSlots(): Iterable<{ readonly finding: Finding; readonly count: number; readonly seq: number }> {
    for (const k of [...this.seconds.keys()].sort((a, b) => a - b)) yield* this.seconds.get(k)?.all ?? [];
  }

  /**
   * Watch's long runs: forgets join slots before `slotsBefore` and listed findings (roots, precursors,
   * untimed) before `listsBefore`, so memory follows the recent past, not the months.
   */
  pruneBefore(slotsBefore: number, listsBefore: number): void {
    const first = Math.floor(slotsBefore / 1000);
    for (const [second, bucket] of this.seconds) {
      if (second >= first) continue;
      for (const s of bucket.all) this.byKey.delete(s.key);
      this.slotCount -= bucket.all.length;
      this.seconds.delete(second);
    }
    for (const list of [this.roots, this.precursors, this.untimed]) {
      const kept = list.filter((f) => !(f.record.time < listsBefore));
      if (kept.length < list.length) list.splice(0, list.length, ...kept);
    }
  }

  /** Findings stored for joins (slots, not their counts). */
  get size(): number {
    return this.slotCount;
  }
}
