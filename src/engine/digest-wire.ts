// The form in which a worker (error-digest-worker.ts) posts a chunk of its output, lines for the reader and
// digest batches, to the main thread: numbers in one Float64Array (moved, not copied), the chunk's texts in
// one array, and the short strings that recur (cause ids, paths, upstreams, hosts, evidence keys) sent once
// and named by number after that. Cloning it costs far less than cloning the batches' objects and Maps,
// and the main thread's copies of the recurring strings are one string each, not one per batch.
// `WireReader` gives back the very events `WireWriter` was given (digest-wire.test.ts).
import type { DigestBatch } from './error-digest.ts';

/** A chunk as posted: `fresh` extends the reader's table of recurring strings (in order) before `nums` is read. */
export interface WireChunk {
  readonly nums: Float64Array<ArrayBuffer>;
  readonly texts: string[];
  readonly fresh: string[];
}

/** Recurring strings the table holds at most (on each side); past it, strings go as texts (memory stays bounded). */
export const TABLE_MAX = 4096;
/** Strings longer than this are never put in the table (a path of a unique URL is no recurring string). */
const TABLE_CHARS = 256;

const LINE = 0;
const BATCH = 1;
/** A scope field holding one string, not counts. */
const ONE = -1;

type Triple = [number, string, number];

/** Encodes events into chunks (one writer per worker: its table lives as long as the worker). */
export class WireWriter {
  /** The chunk's numbers so far: nums[0, len). */
  private nums = new Float64Array(1024);
  private len = 0;
  private texts: string[] = [];
  private fresh: string[] = [];
  private readonly table = new Map<string, number>();
  private readonly tableMax: number;

  constructor(tableMax = TABLE_MAX) {
    this.tableMax = tableMax;
  }

  /** A line for the reader: [line number within the range, text]. */
  line(n: number, text: string): void {
    this.put(LINE);
    this.put(n);
    this.put(this.text(text));
  }

  batch(b: DigestBatch): void {
    this.put(BATCH);
    this.put(b.time);
    this.put(this.short(b.causeId));
    this.put(b.count);
    this.put(b.precursors);
    this.put(b.evidence.length);
    this.put(b.keys.length);
    this.put(b.precursorTexts.length);
    this.values(b.paths);
    this.values(b.upstreams);
    this.values(b.hosts);
    this.triples(b.evidence);
    for (const k of b.keys) this.put(this.short(k));
    this.triples(b.precursorTexts);
  }

  /** True when nothing was written since the last `take`. */
  get empty(): boolean {
    return this.len === 0;
  }

  /** The chunk written so far (its `nums` buffer to be moved by postMessage); the writer starts a new one. */
  take(): WireChunk {
    const chunk = { nums: this.nums.slice(0, this.len), texts: this.texts, fresh: this.fresh };
    this.len = 0;
    this.texts = [];
    this.fresh = [];
    return chunk;
  }

  private put(v: number): void {
    if (this.len === this.nums.length) {
      const more = new Float64Array(this.nums.length * 2);
      more.set(this.nums);
      this.nums = more;
    }
    this.nums[this.len++] = v;
  }

  private values(v: string | Map<string, number>): void {
    if (typeof v === 'string') {
      this.put(ONE);
      this.put(this.short(v));
      return;
    }
    this.put(v.size);
    v.forEach((n, k) => {
      this.put(this.short(k));
      this.put(n);
    });
  }

  private triples(list: readonly Triple[]): void {
    for (const [line, text, at] of list) {
      this.put(line);
      this.put(this.text(text));
      this.put(at);
    }
  }

  /** A text of this chunk: its index (0, 1, …). */
  private text(s: string): number {
    return this.texts.push(s) - 1;
  }

  /** A string that may recur: -1 - its table number (added to the table while it has room), else as a text. */
  private short(s: string): number {
    const id = this.table.get(s);
    if (id !== undefined) return -1 - id;
    if (this.table.size >= this.tableMax || s.length > TABLE_CHARS) return this.text(s);
    const next = this.table.size;
    this.table.set(s, next);
    this.fresh.push(s);
    return -1 - next;
  }
}

/** Decodes a writer's chunks, in the order they were taken (one reader per writer). */
export class WireReader {
  private readonly table: string[] = [];
  private nums: Float64Array = new Float64Array(0);
  private texts: string[] = [];
  private at = 0;

  /** Hands each event of `chunk` on, in order. */
  read(chunk: WireChunk, onLine: (n: number, text: string) => void, onBatch: (b: DigestBatch) => void): void {
    for (const s of chunk.fresh) this.table.push(s);
    this.nums = chunk.nums;
    this.texts = chunk.texts;
    this.at = 0;
    const nums = this.nums;
    while (this.at < nums.length) {
      const kind = nums[this.at++];
      if (kind === LINE) {
        const n = this.num();
        onLine(n, this.str());
      } else if (kind === BATCH) onBatch(this.batch());
      else throw new Error(`digest wire: unknown event kind ${kind} at ${this.at - 1}`);
    }
  }

  private batch(): DigestBatch {
    const time = this.num();
    const causeId = this.str();
    const count = this.num();
    const precursors = this.num();
    const nEvidence = this.num();
    const nKeys = this.num();
    const nPrecursors = this.num();
    const paths = this.values();
    const upstreams = this.values();
    const hosts = this.values();
    const evidence = this.triples(nEvidence);
    const keys: string[] = [];
    for (let k = 0; k < nKeys; k++) keys.push(this.str());
    const precursorTexts = this.triples(nPrecursors);
    return { time, causeId, count, paths, upstreams, hosts, evidence, keys, precursors, precursorTexts };
  }

  private num(): number {
    const v = this.nums[this.at++];
    if (v === undefined) throw new Error('digest wire: chunk ends inside an event');
    return v;
  }

  private str(): string {
    const r = this.num();
    const s = r < 0 ? this.table[-1 - r] : this.texts[r];
    if (s === undefined) throw new Error(`digest wire: no string ${r}`);
    return s;
  }

  private values(): string | Map<string, number> {
    const size = this.num();
    if (size === ONE) return this.str();
    const m = new Map<string, number>();
    for (let k = 0; k < size; k++) {
      const key = this.str();
      m.set(key, this.num());
    }
    return m;
  }

  private triples(n: number): Triple[] {
    const out: Triple[] = [];
    for (let k = 0; k < n; k++) {
      const line = this.num();
      const text = this.str();
      out.push([line, text, this.num()]);
    }
    return out;
  }
}
