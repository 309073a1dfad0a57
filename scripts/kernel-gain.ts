// Measures what each WebAssembly kernel gains over its JavaScript reference, in this process, on a
// given combined access log and nginx error log: CPU time of the combined scan, the quiet-record scan
// and the line count, each with its kernel on and off (FIVEXX_WASM switches, see wasm-asm.ts).
// Interleaved rounds; prints the median of each and the ratio. For docs/ARCHITECTURE.md.
//   node scripts/kernel-gain.ts ACCESS.log ERROR.log [--rounds 5]
import { openSync, readSync, closeSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadCauses } from '../src/catalog/causes.ts';
import { loadMarkers, markerLiteralsFor } from '../src/changes/log-markers.ts';
import { buildClassifier } from '../src/classify/classify.ts';
import { ByteScreen } from '../src/classify/literals.ts';
import { plainStart } from '../src/parse/nginx-error.ts';
import { CombinedScanner } from '../src/sources/combined-scan.ts';
import { countLines } from '../src/sources/count-lines.ts';
import { Feeder, feedRange } from '../src/sources/line-scanner.ts';
import { QuietRecords } from '../src/sources/quiet-records.ts';

const { values, positionals } = parseArgs({ options: { rounds: { type: 'string', default: '5' } }, allowPositionals: true });
const [access, errors] = positionals;
if (!access || !errors) throw new Error('usage: node scripts/kernel-gain.ts ACCESS.log ERROR.log [--rounds N]');
const MAX_LINE = 1 << 20;

function cpuMs(fn: () => void): number {
  const t = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t);
  return (d.user + d.system) / 1000;
}

function scanCombined(): void {
  const sc = new CombinedScanner({ since: NaN, until: NaN, watchClients: [], maxLineBytes: MAX_LINE });
  feedRange(access ?? '', 0, statSync(access ?? '').size, new Feeder(sc, MAX_LINE, process.env.FIVEXX_WASM !== 'off'));
  sc.finish();
}

const classifier = buildClassifier(loadCauses());
const head = Buffer.alloc(256 << 10);
const fd = openSync(errors, 'r');
readSync(fd, head, 0, head.length, 0);
closeSync(fd);
const screen = new ByteScreen([...(classifier.literalsFor('nginx') ?? []), ...(markerLiteralsFor(loadMarkers(), 'nginx') ?? [])]).tunedTo(head);

function scanQuiet(): void {
  const sc = new QuietRecords(MAX_LINE, plainStart, screen, () => undefined, true);
  feedRange(errors ?? '', 0, statSync(errors ?? '').size, new Feeder(sc, MAX_LINE, process.env.FIVEXX_WASM !== 'off'));
  sc.finish();
}

function count(): void {
  countLines(access ?? '', 0, statSync(access ?? '').size, MAX_LINE, undefined, process.env.FIVEXX_WASM !== 'off');
}

const rows: { name: string; run: () => void; modes: string[] }[] = [
  { name: 'combined scan (access log)', run: scanCombined, modes: ['on', 'off:combined', 'off'] },
  { name: 'quiet records (error log)', run: scanQuiet, modes: ['on', 'off:quiet', 'off'] },
  { name: 'count lines (access log)', run: count, modes: ['on', 'off'] },
];
const times = new Map<string, number[]>();
for (let r = 0; r < Number(values.rounds); r++) {
  for (const row of rows) {
    for (const mode of row.modes) {
      process.env.FIVEXX_WASM = mode;
      const key = `${row.name}|${mode}`;
      times.set(key, [...(times.get(key) ?? []), cpuMs(row.run)]);
    }
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
for (const row of rows) {
  const on = median(times.get(`${row.name}|on`) ?? []);
  for (const mode of row.modes) {
    const m = median(times.get(`${row.name}|${mode}`) ?? []);
    console.log(`${row.name.padEnd(28)} ${mode.padEnd(13)} ${m.toFixed(0).padStart(7)} ms CPU  x${(m / on).toFixed(2)}  runs: ${(times.get(`${row.name}|${mode}`) ?? []).map((x) => x.toFixed(0)).join(' ')}`);
  }
}
