import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressBar, type ProgressStream } from './progress.ts';

const MB = 1 << 20;

/** A terminal that keeps what is written, and a clock the test moves. */
function fakeTerminal(isTTY = true, columns = 200): { stream: ProgressStream; writes: string[]; clock: { t: number }; lines: () => string[] } {
  const writes: string[] = [];
  const clock = { t: 1_000_000 };
  const stream: ProgressStream = { isTTY, columns, write: (s: string) => writes.push(s) };
  const lines = (): string[] => writes.map((w) => w.replace(/^\r\x1b\[K/, '')).filter(Boolean);
  return { stream, writes, clock, lines };
}

test('reading shows bytes, percent and ETA, and the file being read', () => {
  const { stream, clock, lines } = fakeTerminal();
  const p = progressBar(stream, { now: () => clock.t, tickMs: 0 });
  p.phase({ phase: 'reading', file: '/var/log/nginx/access.log', index: 2, files: 3, bytes: 300 * MB });
  clock.t += 4000;
  p.update(100 * MB, 300 * MB);
  const last = lines().at(-1) ?? '';
  assert.match(last, /^1\/3 reading \[#{8}\.{16}\] 100 MB \/ 300 MB \(33%\) ETA 8s · access\.log \(2\/3\)$/);
});

test('when every byte is read but reading goes on, the line says so instead of a stuck ETA', () => {
  const { stream, clock, lines } = fakeTerminal();
  const p = progressBar(stream, { now: () => clock.t, tickMs: 0 });
  p.phase({ phase: 'reading', file: 'big.log', index: 1, files: 1, bytes: 300 * MB });
  clock.t += 4000;
  p.update(300 * MB, 300 * MB);
  clock.t += 3000;
  p.update(300 * MB, 300 * MB);
  const last = lines().at(-1) ?? '';
  assert.doesNotMatch(last, /ETA/);
  assert.match(last, /^1\/3 reading \[#{24}\] 300 MB scanned, parsing the lines that matter · big\.log \(1\/1\) · 7s$/);
});

test('correlating and writing are their own phases, each drawn as it starts', () => {
  const { stream, clock, lines } = fakeTerminal();
  const p = progressBar(stream, { now: () => clock.t, tickMs: 0 });
  p.update(300 * MB, 300 * MB);
  p.phase({ phase: 'correlating', failed: 476_321, records: 1_200 });
  assert.equal(lines().at(-1), '2/3 correlating 476,321 failed request(s) with 1,200 error record(s) · 0s');
  p.phase({ phase: 'writing' });
  assert.equal(lines().at(-1), '3/3 writing the report');
});

test('end clears the line once and nothing is drawn after it', () => {
  const { stream, writes } = fakeTerminal();
  const p = progressBar(stream, { tickMs: 0 });
  p.update(40 * MB, 300 * MB);
  p.end();
  p.end();
  p.phase({ phase: 'writing' });
  assert.equal(writes.at(-1), '\r\x1b[K');
  assert.equal(writes.filter((w) => w === '\r\x1b[K').length, 1);
});

test('nothing is drawn off a terminal or for small inputs; lines fit the terminal; file names are escaped', () => {
  const off = fakeTerminal(false);
  const p = progressBar(off.stream, { tickMs: 0 });
  p.phase({ phase: 'reading', file: 'a.log', index: 1, files: 1, bytes: 300 * MB });
  p.update(1, 300 * MB);
  assert.deepEqual(off.writes, []);
  const small = fakeTerminal();
  const q = progressBar(small.stream, { tickMs: 0 });
  q.update(1 * MB, 10 * MB);
  q.phase({ phase: 'correlating', failed: 1, records: 1 });
  assert.deepEqual(small.writes, []);
  const narrow = fakeTerminal(true, 40);
  const r = progressBar(narrow.stream, { tickMs: 0 });
  r.phase({ phase: 'reading', file: 'evil\x1b]0;owned\x07.log', index: 1, files: 1, bytes: 300 * MB });
  assert.ok(narrow.lines().every((l) => l.length <= 39), narrow.lines().join('\n'));
  const wide = fakeTerminal();
  progressBar(wide.stream, { tickMs: 0 }).phase({ phase: 'reading', file: 'evil\x1b]0;owned\x07.log', index: 1, files: 1, bytes: 300 * MB });
  assert.doesNotMatch(wide.lines().join(''), /\x07|\x1b\]/);
});
