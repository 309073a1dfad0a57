// Worker-thread entry of the parallel error-log fast path (error-digest-parallel.ts): claims pieces of an
// nginx error log in file order, a bounded way ahead of the piece the main thread hands on, reads each
// through the quiet-record scanner and the error digest, and posts, block by block and in order, the
// lines the reader must read and the batches taken in; within a piece it stays a bounded amount of
// output ahead: what waits for the main thread stays small.
import { parentPort } from 'node:worker_threads';
import { loadCauses } from '../catalog/causes.ts';
import { loadMarkers, markerLiterals, markerLiteralsFor } from '../changes/log-markers.ts';
import { buildClassifier } from '../classify/classify.ts';
import { ByteScreen, LiteralIndex } from '../classify/literals.ts';
import { plainStart } from '../parse/nginx-error.ts';
import { Feeder, feedRange } from '../sources/line-scanner.ts';
import { QuietRecords } from '../sources/quiet-records.ts';
import { WireWriter, type WireChunk } from './digest-wire.ts';
import { ErrorDigest, type DigestRules } from './error-digest.ts';
import { fixedZone, zone } from './time-zone.ts';

export interface DigestJob {
  readonly fd: number;
  /** The pieces [start, end) of the file, in order (each read as a range of its own). */
  readonly pieces: readonly (readonly [number, number])[];
  /** Shared with every party (CLAIM slots): the pieces handed on, and each piece's owner. */
  readonly claims: SharedArrayBuffer;
  /** This worker's owner mark (1, 2, …; the main thread is -1). */
  readonly me: number;
  /** The log's first bytes, to key the byte screen as the main thread does. */
  readonly head: Uint8Array;
  readonly tz: string | undefined;
  readonly offsetMinutes: number;
  /** Epoch ms bounds of --since/--until, NaN when none. */
  readonly since: number;
  readonly until: number;
  readonly maxLineBytes: number;
  /** [KiB of output consumed by the main thread]: the worker waits while it has posted AHEAD_KIB more. */
  readonly credit: SharedArrayBuffer;
}

/** `chunk`: lines for the reader and batches, in order (digest-wire.ts). */
export type DigestMessage =
  | { readonly type: 'chunk'; readonly chunk: WireChunk; readonly bytes: number; readonly kib: number }
  | { readonly type: 'done'; readonly lines: number; readonly oversize: number; readonly bytes: number };

/** Output (text, about) a worker may post ahead of the main thread within its pieces. */
export const AHEAD_KIB = 16 << 10;
/** A worker claims pieces up to this many past the one the main thread hands on. */
export const AHEAD_PIECES = 4;
/**
 * Slots of the claims array: pieces handed on; 1 once the finding store lists no more precursors (set
 * by the main thread: a worker then keeps no precursor texts); from `owners`, each piece's owner (0 while unclaimed).
 */
export const CLAIM = { handedOn: 0, listFull: 1, owners: 2 } as const;

let rules: DigestRules | undefined;
let screen: ByteScreen | undefined;

function setUp(): { rules: DigestRules; screen: ByteScreen } {
  if (!rules || !screen) {
    const catalog = loadCauses();
    const classifier = buildClassifier(catalog);
    const markers = loadMarkers();
    rules = { classifier, markers, screen: new LiteralIndex([...classifier.literals, ...markerLiterals(markers)]), precursorIds: new Set(catalog.causes.flatMap((c) => c.precursors)) };
    screen = new ByteScreen([...(classifier.literalsFor('nginx') ?? []), ...(markerLiteralsFor(markers, 'nginx') ?? [])]);
  }
  return { rules, screen };
}

/** The quiet-record scanner that posts what it has at the end of each block. */
class PostingRecords extends QuietRecords {
  onBlock: () => void = () => undefined;

  override blockDone(): void {
    super.blockDone();
    this.onBlock();
  }
}

function run(job: DigestJob): void {
  const set = setUp();
  const toUtc = job.tz ? zone(job.tz) : undefined;
  const utc = toUtc?.ok ? toUtc.toUtc : fixedZone(job.offsetMinutes);
  const inWindow = (t: number): boolean => !(t < job.since) && !(t > job.until);
  // One writer for every piece: its table of recurring strings is the main thread's reader's (one per worker).
  const events = new WireWriter();
  let size = 0;
  const claims = new Int32Array(job.claims);
  // Keyed once for the log's own text (as the main thread does), for every piece.
  const tuned = set.screen.tunedTo(job.head);
  const digest = new ErrorDigest(set.rules, { batch: (b) => (size += 256 + textSize(b.evidence) + textSize(b.precursorTexts), events.batch(b)), textComing: () => undefined, inWindowLocal: (ms) => inWindow(utc(ms)), listFull: () => Atomics.load(claims, CLAIM.listFull) !== 0 });
  const credit = new Int32Array(job.credit);
  let posted = 0;
  let bytes = 0;
  const post = (): void => {
    const kib = Math.ceil(size / 1024);
    const chunk = events.take();
    parentPort?.postMessage({ type: 'chunk', chunk, bytes, kib } satisfies DigestMessage, [chunk.nums.buffer]);
    size = 0;
    posted += kib;
    waitFor(credit, 0, (consumed) => posted - consumed <= AHEAD_KIB);
  };
  for (const [k, [start, end]] of job.pieces.entries()) {
    // Never the piece after the one being handed on (the main thread reads that one), nor too far ahead.
    waitFor(claims, CLAIM.handedOn, (handed) => k <= handed + AHEAD_PIECES);
    if (k < Atomics.load(claims, CLAIM.handedOn) + 2 || Atomics.compareExchange(claims, CLAIM.owners + k, 0, job.me) !== 0) continue;
    const sc = new PostingRecords(job.maxLineBytes, plainStart, tuned, (line, n) => (size += 16 + line.length, events.line(n, line)), true, digest, true);
    sc.onBlock = post;
    bytes = 0;
    const feeder = new Feeder(sc, job.maxLineBytes);
    const read = feedRange(job.fd, start, end, feeder, (n) => (bytes = n));
    feeder.release();
    sc.finish();
    bytes = read;
    post();
    parentPort?.postMessage({ type: 'done', lines: sc.lines, oversize: sc.oversize, bytes: read } satisfies DigestMessage);
    if (read < end - start) return;
  }
}

/** Waits until `ok` holds for credit[slot] (the main thread adds to it and notifies). */
function waitFor(credit: Int32Array, slot: number, ok: (v: number) => boolean): void {
  for (;;) {
    const v = Atomics.load(credit, slot);
    if (ok(v)) return;
    Atomics.wait(credit, slot, v, 1000);
  }
}

function textSize(list: readonly [number, string, number][]): number {
  let n = 0;
  for (const e of list) n += e[1].length;
  return n;
}

// The catalog is loaded as soon as the worker is (it may be started before its job is known: digest-workers.ts).
if (parentPort) setUp();
parentPort?.on('message', (job: DigestJob) => run(job));
