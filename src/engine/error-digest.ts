// The error-log fast path for runs without an access log, where each finding is itself a failure: a
// plain one-line nginx error record whose message (classified once per distinct message, message-memo.ts)
// names a cause that is no root, precursor, mid-body failure or change marker is read from bytes
// (parse/nginx-error-bytes.ts) and added to a batch of its second and cause, as the correlator would add
// it (fromFinding, batchOf): counts, one value or a sketch per scope field, and the record itself only
// when it may be evidence (the first of each message shape in the batch). Records reach the correlator
// in file order: the quiet-record scanner hands text lines to the reader only after a `flush`, and a
// batch is started only once the reader has handed on the record open before it.
import type { Cause, CausePattern } from '../catalog/causes.ts';
import type { ChangeMarker } from '../changes/log-markers.ts';
import { markerOf } from '../changes/log-markers.ts';
import type { Classifier, Finding } from '../classify/classify.ts';
import type { LiteralIndex } from '../classify/literals.ts';
import { MessageMemo } from '../classify/message-memo.ts';
import { shape } from '../correlate/evidence-text.ts';
import type { FailureBatch } from '../correlate/incident-aggregate.ts';
import { TopSketch } from '../correlate/sketch.ts';
import type { LogRecord } from '../events/types.ts';
import { nginxError } from '../parse/nginx-error.ts';
import { ByteStrings } from '../parse/byte-strings.ts';
import { pathSpan, peerSpan, readPlainRecord, SPAN } from '../parse/nginx-error-bytes.ts';
import { makeRecord } from '../parse/record.ts';
import type { RecordDigest } from '../sources/quiet-records.ts';

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
    if (markerOf(rules.markers, makeRecord(0, 0, { time: 0, producer: 'nginx', message, text: message }), '', found)) return undefined;
    return { cause: hit.cause, pattern: hit.pattern, key: `${hit.cause.id}:${shape(message)}`, precursor: rules.precursorIds.has(hit.cause.id) };
  };
}

/** Where the batches go (run-analysis): the same steps as its onRecord and keep for a timed finding. */
export interface DigestSink {
  /** The source's number (records made for evidence carry it). */
  readonly source: number;
  readonly toUtc: (localMs: number) => number;
  readonly inWindow: (utcMs: number) => boolean;
  /** Hands on the reader's open record (SourceLines.flushRecords). */
  readonly flushReader: () => void;
  /** Before timed records are handed on (findings of untimed records held for one are released). */
  readonly beforeTimed: () => void;
  /** `n` timed records read, inside the --since/--until window or not. */
  readonly counted: (n: number, inWindow: boolean) => void;
  /** How many more precursor findings the finding store lists. */
  readonly precursorRoom: () => number;
  /** Failures of `causeId` (inside the window), as findings pushed one by one would give; their precursor findings listed or dropped. */
  readonly push: (causeId: string, b: Omit<FailureBatch, 'seq'>, precursors: { readonly listed: readonly Finding[]; readonly dropped: number }) => void;
}

/** Records taken in so far by every digest of the process (tests check that the fast path was used). */
export const digestStats = { records: 0 };

/** Records a batch holds at most: its sketches then count every value exactly (TopSketch capacity). */
const BATCH_MAX = 1024;
/** Evidence keys an incident keeps (IncidentAggregate): a batch needs no more records than this. */
const EVIDENCE_KEYS = 8;
const CR = 0x0d;

/** The values of one scope field over a batch: one string while they agree, else an exact sketch. */
class BatchValues {
  private first = '';
  private n = 0;
  private sketch: TopSketch | undefined;

  add(v: string): void {
    if (this.n === 0) this.first = v;
    else if (this.sketch) this.sketch.add(v);
    else if (v !== this.first) {
      this.sketch = new TopSketch(BATCH_MAX);
      this.sketch.add(this.first, this.n);
      this.sketch.add(v);
    }
    this.n++;
  }

  get value(): TopSketch | string {
    return this.sketch ?? this.first;
  }
}

interface Taken {
  time: number;
  verdict: Verdict | undefined;
  path: string;
  peer: string;
  host: string;
  line: number;
  finding: Finding | undefined;
  /** Its finding goes to the store's precursor list. */
  listed: boolean;
}

const blank = (): Taken => ({ time: NaN, verdict: undefined, path: '', peer: '', host: '', line: 0, finding: undefined, listed: false });

class Batch {
  readonly time: number;
  readonly cause: Cause;
  count = 0;
  readonly paths = new BatchValues();
  readonly upstreams = new BatchValues();
  readonly hosts = new BatchValues();
  readonly findings: Finding[] = [];
  readonly keys: string[] = [];
  /** Precursor findings to list, and how many more the store would drop. */
  readonly listed: Finding[] = [];
  dropped = 0;

  constructor(time: number, cause: Cause) {
    this.time = time;
    this.cause = cause;
  }

  /** Whether `t` goes into this batch, and whether it needs its record (first of its key here). */
  fits(t: Taken): boolean {
    return t.time === this.time && t.verdict?.cause === this.cause && this.count < BATCH_MAX;
  }

  wantsRecord(t: Taken): boolean {
    return this.keys.length < EVIDENCE_KEYS && !this.keys.includes(t.verdict?.key ?? '');
  }
}

export class ErrorDigest implements RecordDigest {
  private readonly sink: DigestSink;
  private readonly memo: MessageMemo<Verdict | undefined>;
  private readonly spans = new Int32Array(SPAN.size);
  private readonly pair = new Int32Array(2);
  private readonly strings = new ByteStrings();
  private cand = blank();
  private held = blank();
  /** Bytes of the last taken line (valid during the `line` call that took it). */
  private b: Buffer = Buffer.alloc(0);
  private a = 0;
  private end = 0;
  private batch: Batch | undefined;
  /** Text reached the reader since the last batch: its open record comes first. */
  private readerOpen = true;

  constructor(rules: DigestRules, sink: DigestSink) {
    this.sink = sink;
    this.memo = new MessageMemo(verdictOf(rules));
  }

  /** Distinct messages classified (the rest were remembered). */
  get classified(): number {
    return this.memo.computed;
  }

  take(b: Buffer, a: number, nl: number, lineNo: number): boolean {
    const end = nl > a && b[nl - 1] === CR ? nl - 1 : nl;
    const s = this.spans;
    const time = readPlainRecord(b, a, end, s);
    if (Number.isNaN(time)) return false;
    const verdict = this.memo.get(b, s[SPAN.msgStart] ?? 0, s[SPAN.msgEnd] ?? 0);
    if (!verdict) return false;
    const c = this.cand;
    c.verdict = verdict;
    c.time = time;
    c.line = lineNo;
    c.finding = undefined;
    c.listed = false;
    const pair = this.pair;
    const strings = this.strings;
    pathSpan(b, s[SPAN.reqStart] ?? -1, s[SPAN.reqEnd] ?? -1, pair);
    c.path = strings.get(b, pair[0] ?? 0, pair[1] ?? 0);
    peerSpan(b, s[SPAN.upStart] ?? -1, s[SPAN.upEnd] ?? -1, pair);
    c.peer = strings.get(b, pair[0] ?? 0, pair[1] ?? 0);
    c.host = strings.get(b, s[SPAN.hostStart] ?? 0, s[SPAN.hostEnd] ?? 0);
    this.b = b;
    this.a = a;
    this.end = end;
    return true;
  }

  hold(): void {
    const t = this.cand;
    this.cand = this.held;
    this.held = t;
    // The batch this record will join when it stands is the batch as it is now (nothing else is added first).
    if (!this.batch?.fits(t) || this.batch.wantsRecord(t)) t.finding = this.finding(t);
    if (t.verdict?.precursor && this.precursorRoom() > 0) {
      t.finding ??= this.finding(t);
      t.listed = t.finding !== undefined;
    }
  }

  /** Room in the store's precursor list once the open batch is handed on (a batch outside the window lists none). */
  private precursorRoom(): number {
    const b = this.batch;
    const pending = b && this.sink.inWindow(this.sink.toUtc(b.time)) ? b.listed.length : 0;
    return this.sink.precursorRoom() - pending;
  }

  settle(keep: boolean): void {
    const t = this.held;
    if (!keep || !t.verdict) return;
    if (this.readerOpen) {
      this.sink.flushReader();
      this.readerOpen = false;
    }
    if (!this.batch?.fits(t)) {
      this.pushBatch();
      this.batch = new Batch(t.time, t.verdict.cause);
    }
    const batch = this.batch;
    batch.count++;
    batch.paths.add(t.path);
    batch.upstreams.add(t.peer);
    batch.hosts.add(t.host);
    if (t.finding && batch.wantsRecord(t)) {
      batch.keys.push(t.verdict.key);
      batch.findings.push(t.finding);
    }
    if (t.finding && t.listed) batch.listed.push(t.finding);
    else if (t.verdict.precursor) batch.dropped++;
    t.verdict = undefined;
  }

  flush(): void {
    this.pushBatch();
    this.readerOpen = true;
  }

  private pushBatch(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    digestStats.records += batch.count;
    const sink = this.sink;
    sink.beforeTimed();
    const time = sink.toUtc(batch.time);
    const inWindow = sink.inWindow(time);
    sink.counted(batch.count, inWindow);
    if (!inWindow) return;
    sink.push(batch.cause.id, {
      time, count: batch.count, status: 0, withAccess: 0, access: undefined, findings: batch.findings,
      paths: batch.paths.value, upstreams: batch.upstreams.value, hosts: batch.hosts.value,
    }, { listed: batch.listed, dropped: batch.dropped });
  }

  /** The record of the taken line as the reader makes it, its times in UTC as run-analysis aligns them. */
  private finding(t: Taken): Finding | undefined {
    const r: LogRecord | undefined = nginxError.parse(this.b.toString('utf8', this.a, this.end), this.sink.source, t.line);
    if (!r || !t.verdict) return undefined;
    r.time = this.sink.toUtc(r.time);
    if (Number.isFinite(r.timeMax)) r.timeMax = this.sink.toUtc(r.timeMax);
    return { record: r, cause: t.verdict.cause, pattern: t.verdict.pattern };
  }
}
