// Worker-thread entry of the parallel error-log fast path (error-digest-parallel.ts): reads one byte
// range of an nginx error log through the quiet-record scanner and the error digest, and posts, block by
// block and in order, the lines the reader must read and the batches taken in. It stays at most a
// bounded number of blocks ahead of the main thread, which consumes the ranges one after another.
import { parentPort } from 'node:worker_threads';
import { loadCauses } from '../catalog/causes.ts';
import { loadMarkers, markerLiterals, markerLiteralsFor } from '../changes/log-markers.ts';
import { buildClassifier } from '../classify/classify.ts';
import { ByteScreen, LiteralIndex } from '../classify/literals.ts';
import { plainStart } from '../parse/nginx-error.ts';
import { Feeder, feedRange } from '../sources/line-scanner.ts';
import { QuietRecords } from '../sources/quiet-records.ts';
import { ErrorDigest, type DigestBatch, type DigestRules } from './error-digest.ts';
import { fixedZone, zone } from './time-zone.ts';

export interface DigestJob {
  readonly fd: number;
  readonly start: number;
  readonly end: number;
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

/** A line for the reader ([line number within the range, text]) or a batch. */
export type DigestEvent = [number, string] | DigestBatch;

export type DigestMessage =
  | { readonly type: 'chunk'; readonly events: DigestEvent[]; readonly bytes: number; readonly kib: number }
  | { readonly type: 'done'; readonly lines: number; readonly oversize: number; readonly bytes: number };

/** Output (text, about) a worker may post ahead of the main thread: an outage log's batches are small, so it runs its range through. */
export const AHEAD_KIB = 16 << 10;

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
  let events: DigestEvent[] = [];
  let size = 0;
  const digest = new ErrorDigest(set.rules, { batch: (b) => (size += 256 + textSize(b.evidence) + textSize(b.precursorTexts), events.push(b)), textComing: () => undefined, inWindowLocal: (ms) => inWindow(utc(ms)) });
  const sc = new PostingRecords(job.maxLineBytes, plainStart, set.screen.tunedTo(job.head), (line, n) => (size += 16 + line.length, events.push([n, line])), true, digest, true);
  const credit = new Int32Array(job.credit);
  let posted = 0;
  let bytes = 0;
  const post = (): void => {
    const kib = Math.ceil(size / 1024);
    parentPort?.postMessage({ type: 'chunk', events, bytes, kib } satisfies DigestMessage);
    events = [];
    size = 0;
    posted += kib;
    for (;;) {
      const consumed = Atomics.load(credit, 0);
      if (posted - consumed <= AHEAD_KIB) break;
      Atomics.wait(credit, 0, consumed, 1000);
    }
  };
  sc.onBlock = post;
  const read = feedRange(job.fd, job.start, job.end, new Feeder(sc, job.maxLineBytes), (n) => (bytes = n));
  sc.finish();
  bytes = read;
  post();
  parentPort?.postMessage({ type: 'done', lines: sc.lines, oversize: sc.oversize, bytes: read } satisfies DigestMessage);
}

function textSize(list: readonly [number, string, number][]): number {
  let n = 0;
  for (const e of list) n += e[1].length;
  return n;
}

parentPort?.on('message', (job: DigestJob) => run(job));
