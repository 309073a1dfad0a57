// The error-log fast path for runs without an access log, where each finding is itself a failure: a
// plain one-line nginx error record whose message (classified once per distinct message, message-memo.ts)
// names a cause that is no root, mid-body failure or change marker is read from bytes
// (parse/nginx-error-bytes.ts) and added to a batch of its second and cause, as the correlator would add
// it (fromFinding, batchOf): counts, one value or exact counts per scope field, and the record's text
// only when it may be evidence (the first of each message shape in the batch) or a listed precursor.
// Batches reach the correlator in file order (error-batch-sink.ts): the quiet-record scanner hands text
// lines to the reader only after a `flush`, and a batch goes on after the reader's open record.
import type { Cause, CausePattern } from '../catalog/causes.ts';
import type { ChangeMarker } from '../changes/log-markers.ts';
import { markerOf } from '../changes/log-markers.ts';
import type { Classifier } from '../classify/classify.ts';
import type { LiteralIndex } from '../classify/literals.ts';
import { MessageMemo } from '../classify/message-memo.ts';
import { shape } from '../correlate/evidence-text.ts';
import { readPlainHead, serverAfter, SPAN, stampTimeOf } from '../parse/nginx-error-bytes.ts';
import { TailCache, type TailValues } from '../parse/tail-values.ts';
import { ErrorHeadKernel, HEAD_FLAG, HEAD_NOT_PLAIN, HEAD_WORD, TAIL_SLOTS } from '../sources/error-head-kernel.ts';
import type { NewlineKernel } from '../sources/newline-kernel.ts';
import { kernelOff } from '../sources/wasm-asm.ts';
import { makeRecord } from '../parse/record.ts';
import type { RecordDigest } from '../sources/quiet-records.ts';
import type { DigestPath } from '../sources/read-source.ts';
import { readInParallel, type EarlyStart, type ParallelSetup } from './error-digest-parallel.ts';
import type { BatchSink } from './error-batch-sink.ts';
import { DEFAULT_LIMITS } from '../correlate/finding-store.ts';

/** What classifies a message, as run-analysis does for each record. */
export interface DigestRules {
  readonly classifier: Classifier;
  /** The literals of causes and change markers, looked for once per message. */
  readonly screen: LiteralIndex;
  readonly markers: readonly ChangeMarker[];
  readonly precursorIds: ReadonlySet<string>;
}

/** A message's verdict: the cause its records are failures of, with their evidence key; undefined: read them. */
interface Verdict {
  readonly cause: Cause;
  readonly pattern: CausePattern;
  /** IncidentAggregate's evidence key: cause and message shape. */
  readonly key: string;
  /** The cause is a precursor of another: the finding store lists such findings (while it has room). */
  readonly precursor: boolean;
}

/** The memo's function: a verdict only for records whose whole effect is one failure of that cause. */
export function verdictOf(rules: DigestRules): (message: string) => Verdict | undefined {
  return (message) => {
    const found = rules.screen.found(message);
    const hit = rules.classifier.classify({ producer: 'nginx', message }, found);
    if (!hit || hit.pattern.midBody || hit.cause.explains.length > 0) return undefined;
    // A cause whose usual status is below 500 is no failure alone (failsAlone): the correlator counts it.
    if ((hit.cause.statuses[0] ?? 500) < 500) return undefined;
    if (markerOf(rules.markers, makeRecord(0, 0, { time: 0, producer: 'nginx', message, text: message }), '', found)) return undefined;
    return { cause: hit.cause, pattern: hit.pattern, key: `${hit.cause.id}:${shape(message)}`, precursor: rules.precursorIds.has(hit.cause.id) };
  };
}

/**
 * A batch of taken records as plain data (it may come from a worker thread): records of one local
 * second and cause, line numbers counted from the first line read by the taker.
 */
export interface DigestBatch {
  readonly time: number;
  readonly causeId: string;
  readonly count: number;
  readonly paths: string | Map<string, number>;
  readonly upstreams: string | Map<string, number>;
  readonly hosts: string | Map<string, number>;
  /** [line, text, pattern index in its cause] of the first record of each evidence key, in order. */
  readonly evidence: [number, string, number][];
  /** The evidence keys (cause id, ":", message shape) of `evidence`, in the same order. */
  readonly keys: string[];
  /** Precursor records: how many, and [line, text, pattern index] of the first of them (see ErrorDigest). */
  readonly precursors: number;
  readonly precursorTexts: [number, string, number][];
}

/** Records taken in so far by every digest of this thread, and of them in runs (tests check that the fast paths were used). */
export const digestStats = { records: 0, ranLines: 0 };

/** Records a batch holds at most (its counts per value are exact; the TopSketch capacity). */
export const BATCH_MAX = 1024;
/** Evidence keys an incident keeps (IncidentAggregate): a batch needs no more records than this. */
const EVIDENCE_KEYS = 8;
const CR = 0x0d;

/** The values of one scope field over a batch: one string while they agree, else exact counts. */
class BatchValues {
  private first = '';
  private n = 0;
  private counts: Map<string, number> | undefined;

  /** `k` more records of value `v`. */
  add(v: string, k = 1): void {
    if (this.n === 0) this.first = v;
    else if (this.counts) this.counts.set(v, (this.counts.get(v) ?? 0) + k);
    else if (v !== this.first) this.counts = new Map([[this.first, this.n], [v, k]]);
    this.n += k;
  }

  get value(): string | Map<string, number> {
    return this.counts ?? this.first;
  }
}

interface Taken {
  time: number;
  verdict: Verdict | undefined;
  path: string;
  peer: string;
  host: string;
  line: number;
  /** The line's text, kept when it may be evidence or a listed precursor. */
  text: string | undefined;
  /** A precursor whose text is kept for the store's list. */
  listable: boolean;
}

const blank = (): Taken => ({ time: NaN, verdict: undefined, path: '', peer: '', host: '', line: 0, text: undefined, listable: false });

class Batch {
  readonly time: number;
  readonly cause: Cause;
  count = 0;
  readonly paths = new BatchValues();
  readonly upstreams = new BatchValues();
  readonly hosts = new BatchValues();
  readonly evidence: [number, string, number][] = [];
  readonly keys: string[] = [];
  precursors = 0;
  readonly precursorTexts: [number, string, number][] = [];

  constructor(time: number, cause: Cause) {
    this.time = time;
    this.cause = cause;
  }

  /** Whether `t` goes into this batch. */
  fits(t: Taken): boolean {
    return t.time === this.time && t.verdict?.cause === this.cause && this.count < BATCH_MAX;
  }

  /** Whether `t` (going into this batch) is the first of its evidence key here. */
  wantsText(t: Taken): boolean {
    return this.keys.length < EVIDENCE_KEYS && !this.keys.includes(t.verdict?.key ?? '');
  }

  data(): DigestBatch {
    return {
      time: this.time, causeId: this.cause.id, count: this.count, paths: this.paths.value, upstreams: this.upstreams.value,
      hosts: this.hosts.value, evidence: this.evidence, keys: this.keys, precursors: this.precursors, precursorTexts: this.precursorTexts,
    };
  }
}

/** How the taker hands on its work. */
export interface DigestOut {
  /** A batch, in file order. */
  batch(b: DigestBatch): void;
  /** Text is about to reach the reader. */
  textComing(): void;
  /** Whether a local time lies in the --since/--until window (precursor texts are kept only for those). */
  inWindowLocal(localMs: number): boolean;
  /** The finding store lists no more precursors (for good, in an analysis): their texts are not needed. */
  listFull(): boolean;
}

/**
 * Takes in records (RecordDigest for QuietRecords) and hands on batches in file order. It keeps the
 * texts of the first in-window precursor records up to the finding store's list limit: the store
 * lists no more than that (BatchSink lists them while it has room).
 */
export class ErrorDigest implements RecordDigest {
  private readonly out: DigestOut;
  private readonly memo: MessageMemo<Verdict | undefined>;
  private readonly spans = new Int32Array(SPAN.size);
  private readonly time = new Float64Array(1);
  private readonly tails = new TailCache();
  /** The WebAssembly head reader of the kernel last seen (error-head-kernel.ts), and what it needs kept here. */
  private headFor: NewlineKernel | undefined;
  private head: ErrorHeadKernel | null = null;
  /** The values of the tails in the head kernel's cache slots. */
  private readonly headTails: (TailValues | undefined)[] = new Array<TailValues | undefined>(TAIL_SLOTS).fill(undefined);
  private headTime = NaN;
  /** The verdict of the last message the head kernel compared, when this take looked it up (else false). */
  private lastVerdict: Verdict | undefined;
  private verdictKept = false;
  private cand = blank();
  private held = blank();
  private batch: Batch | undefined;
  /** Precursor texts kept (of records in the window). */
  private listed = 0;
  /** The store lists no more precursors: known for good once the out says so (asked once a record till then). */
  private listDone = false;
  private readonly listCap: number;
  /** The bytes of the last taken line (valid during the `line` call that took it). */
  private b: Buffer = Buffer.alloc(0);
  private a = 0;
  private end = 0;

  /** Whether `run` reads runs of records in WebAssembly (FIVEXX_WASM=off:error-run: one `take` a line). */
  private readonly runs = !kernelOff('error-run');

  constructor(rules: DigestRules, out: DigestOut, listCap = DEFAULT_LIMITS.listed) {
    this.out = out;
    this.listCap = listCap;
    this.memo = new MessageMemo(verdictOf(rules));
  }

  take(b: Buffer, a: number, nl: number, lineNo: number, kernel?: NewlineKernel | null): boolean {
    const end = nl > a && b[nl - 1] === CR ? nl - 1 : nl;
    const head = kernel && b === kernel.bytes ? this.headOf(kernel) : null;
    if (head) return this.takeRead(b, a, end, lineNo, head);
    this.verdictKept = false;
    const s = this.spans;
    const at = readPlainHead(b, a, end, s, this.time);
    // A record naming no request (nginx's stream/mail proxy, a connection-level line) is read as a record:
    // the correlator sets it aside (nginx-no-request.ts), never a failure.
    const serverAt = at >= 0 ? serverAfter(b, at, end) : -1;
    if (serverAt < 0) return false;
    const tail = this.tails.get(b, serverAt, end);
    if (!tail.request) return false;
    const verdict = this.memo.get(b, s[SPAN.msgStart] ?? 0, s[SPAN.msgEnd] ?? 0);
    if (!verdict) return false;
    this.candidate(verdict, this.time[0] ?? NaN, tail, b, a, end, lineNo);
    return true;
  }

  /** The head kernel of `kernel`'s memory, its state this digest's (reset when another used it). */
  private headOf(kernel: NewlineKernel): ErrorHeadKernel | null {
    if (kernel !== this.headFor) {
      this.headFor = kernel;
      this.head = ErrorHeadKernel.create(kernel);
      // Another kernel's slots were this digest's tail values meanwhile: start again.
      if (this.head) this.head.owner = undefined;
    }
    const head = this.head;
    if (head && head.owner !== this) {
      head.reset();
      head.owner = this;
      this.headTails.fill(undefined);
      this.verdictKept = false;
    }
    return head;
  }

  /** take, with the record's head read (and its time, message and tail compared) by the WebAssembly kernel. */
  private takeRead(b: Buffer, a: number, end: number, lineNo: number, head: ErrorHeadKernel): boolean {
    const f = head.head(a, end);
    const kept = this.verdictKept;
    this.verdictKept = false;
    if (f === HEAD_NOT_PLAIN) return false;
    const w = head.words;
    if (f & HEAD_FLAG.newTime) this.headTime = stampTimeOf(head.timeBytes);
    if (f & HEAD_FLAG.noServer) return false;
    const serverAt = w[HEAD_WORD.server] ?? 0;
    const slot = w[HEAD_WORD.slot] ?? 0;
    let tail = f & HEAD_FLAG.tailHit ? this.headTails[slot] : undefined;
    if (!tail) {
      tail = f & HEAD_FLAG.tailLong ? this.tails.get(b, serverAt, end) : this.tails.read(b, serverAt, end);
      if (!(f & HEAD_FLAG.tailLong)) {
        this.headTails[slot] = tail;
        head.good[slot] = tail.request ? 1 : 0;
      }
    }
    if (!tail.request) return false;
    const verdict = f & HEAD_FLAG.sameMessage && kept ? this.lastVerdict : this.memo.get(b, w[HEAD_WORD.msgStart] ?? 0, w[HEAD_WORD.msgEnd] ?? 0);
    this.lastVerdict = verdict;
    this.verdictKept = true;
    if (!verdict) return false;
    this.candidate(verdict, this.headTime, tail, b, a, end, lineNo);
    return true;
  }

  private candidate(verdict: Verdict, time: number, tail: TailValues, b: Buffer, a: number, end: number, lineNo: number): void {
    const c = this.cand;
    c.verdict = verdict;
    c.time = time;
    c.line = lineNo;
    c.path = tail.path;
    c.peer = tail.peer;
    c.host = tail.host;
    c.text = undefined;
    this.b = b;
    this.a = a;
    this.end = end;
  }

  hold(): void {
    const t = this.cand;
    this.cand = this.held;
    this.held = t;
    // The text is wanted when the record starts a batch or a key in it, or is a precursor to list: the
    // batch it will join is the batch as it is now (nothing is added before it is settled).
    const v = t.verdict;
    t.listable = v?.precursor === true && this.listed < this.listCap && !this.listFull() && this.out.inWindowLocal(t.time);
    if (!this.batch?.fits(t) || this.batch.wantsText(t) || t.listable) t.text = this.b.toString('utf8', this.a, this.end);
    if (t.listable) this.listed++;
  }

  private listFull(): boolean {
    if (!this.listDone && this.out.listFull()) this.listDone = true;
    return this.listDone;
  }

  settle(keep: boolean): void {
    const t = this.held;
    const v = t.verdict;
    if (!keep || !v) {
      // Read as text after all: the reader lists it, if the store has room.
      if (t.listable) this.listed--;
      t.verdict = undefined;
      return;
    }
    if (!this.batch?.fits(t)) {
      this.pushBatch();
      this.batch = new Batch(t.time, v.cause);
    }
    const batch = this.batch;
    batch.count++;
    batch.paths.add(t.path);
    batch.upstreams.add(t.peer);
    batch.hosts.add(t.host);
    if (t.text !== undefined) {
      const patternAt = v.cause.patterns.indexOf(v.pattern);
      if (batch.wantsText(t)) {
        batch.keys.push(v.key);
        batch.evidence.push([t.line, t.text, patternAt]);
      }
      if (t.listable) batch.precursorTexts.push([t.line, t.text, patternAt]);
    }
    if (v.precursor) batch.precursors++;
    t.verdict = undefined;
  }

  /** Where the last line a `run` read starts and ends (its newline). */
  ranA = 0;
  ranNl = 0;

  /**
   * After the held record (just taken from `kernel`'s bytes), reads the lines ending at the newline
   * kernel's found[k, n) in WebAssembly (ErrorHeadKernel `run`) while each is one more record of the
   * held one's batch: the same time, message (so verdict) and a cached tail naming a request. It does
   * what `settle(true)`, `take` and `hold` would do for each: the held record and all but the last
   * read are settled (counted by tail slot), the last is held. Returns how many lines it read (0: none,
   * nothing changed); `ranA`/`ranNl` the last one's bounds. Precursors whose texts may still be listed
   * are left to `take`.
   */
  run(kernel: NewlineKernel, k: number, n: number, a: number, end: number, maxLine: number, lineNo: number): number {
    const head = this.head;
    const t = this.held;
    const v = t.verdict;
    if (!this.runs || !head || kernel !== this.headFor || head.owner !== this || !v || !this.verdictKept || this.lastVerdict !== v || t.time !== this.headTime) return 0;
    // A precursor's text is kept for the store's list while it has room (`hold`): such records are read one by one.
    if (v.precursor && this.listed < this.listCap && !this.listFull()) return 0;
    const open = this.batch;
    // Every line read and the held one go into one batch (with no text: its key is in it already).
    const room = BATCH_MAX - (open?.fits(t) ? open.count + 1 : 1);
    if (room < 1) return 0;
    const m = head.run(k, n, a, end, room, maxLine);
    if (m === 0) return 0;
    const time = t.time;
    this.settle(true);
    const batch = this.batch;
    if (!batch) throw new Error('error digest: a run without the batch of its held record');
    batch.count += m - 1;
    if (v.precursor) batch.precursors += m - 1;
    const last = head.lastSlot;
    const counts = head.counts;
    const slots = head.touchedSlots;
    for (let i = 0, touched = head.touched; i < touched; i++) {
      const slot = slots[i] ?? 0;
      const c = (counts[slot] ?? 0) - (slot === last ? 1 : 0);
      counts[slot] = 0;
      const tail = this.headTails[slot];
      if (c <= 0 || !tail) continue;
      batch.paths.add(tail.path, c);
      batch.upstreams.add(tail.peer, c);
      batch.hosts.add(tail.host, c);
    }
    const tail = this.headTails[last];
    if (!tail) throw new Error('error digest: a run over a tail slot with no values');
    t.verdict = v;
    t.time = time;
    t.line = lineNo + m;
    t.path = tail.path;
    t.peer = tail.peer;
    t.host = tail.host;
    t.text = undefined;
    t.listable = false;
    this.ranA = head.lastA;
    this.ranNl = head.lastNl;
    digestStats.ranLines += m;
    return m;
  }

  flush(): void {
    this.pushBatch();
    this.out.textComing();
  }

  private pushBatch(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    digestStats.records += batch.count;
    this.out.batch(batch.data());
  }
}

/** The error-log fast path of one source: the digest in this thread, and the reading of big plain files in workers. */
export function digestPath(rules: DigestRules, setup: ParallelSetup, minBytes: number | undefined, early: EarlyStart | undefined, sink: BatchSink): DigestPath {
  return {
    digest: new ErrorDigest(rules, sink),
    parallel: (fd, size, head, maxLineBytes, handle, onBytes, readHere) => readInParallel(fd, size, head, setup, maxLineBytes, sink, handle, onBytes, readHere, minBytes, early),
  };
}
