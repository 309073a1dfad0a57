import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readLines } from './read-lines.ts';

const dir = mkdtempSync(join(tmpdir(), 'fivexx-read-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function collect(path: string, maxLineBytes?: number): Promise<{ lines: string[]; r: Awaited<ReturnType<typeof readLines>> }> {
  const lines: string[] = [];
  const r = await readLines(path, { onLine: (l) => lines.push(l), maxLineBytes });
  return { lines, r };
}

test('lines, CRLF and a last line without newline', async () => {
  const p = join(dir, 'a.log');
  writeFileSync(p, 'one\r\ntwo\nthree');
  const { lines, r } = await collect(p);
  assert.deepEqual(lines, ['one', 'two', 'three']);
  assert.equal(r.lines, 3);
});

test('gzip is detected by its magic bytes and read', async () => {
  const p = join(dir, 'b.log.gz');
  writeFileSync(p, gzipSync('x\ny\n'));
  assert.deepEqual((await collect(p)).lines, ['x', 'y']);
});

test('a truncated gzip keeps what was read and says so in one line', async () => {
  const p = join(dir, 'c.log.gz');
  const full = gzipSync(Array.from({ length: 20000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n'));
  writeFileSync(p, full.subarray(0, Math.floor(full.length / 2)));
  const { lines, r } = await collect(p);
  assert.ok(lines.length > 100, 'lines before the damage are read');
  assert.match(r.warning ?? '', /truncated or corrupt gzip/);
});

test('a 50 MB line is skipped and counted, in bounded memory, and the next line is read', async () => {
  const p = join(dir, 'd.log');
  writeFileSync(p, `first\n${'z'.repeat(50 * 1024 * 1024)}\nlast\n`);
  const before = process.memoryUsage().rss;
  const { lines, r } = await collect(p, 1024 * 1024);
  assert.deepEqual(lines, ['first', 'last']);
  assert.equal(r.oversize, 1);
  assert.equal(r.lines, 3);
  assert.ok(process.memoryUsage().rss - before < 40 * 1024 * 1024, 'the long line was never held whole');
});

test('runs of empty lines come as counts, not one call a line, and number the lines after them right', async () => {
  const p = join(dir, 'blank.log.gz');
  writeFileSync(p, gzipSync(`a\n${'\n'.repeat(5_000_000)}b\n\n\nc`));
  const got: [string, number][] = [];
  let runs = 0;
  let blank = 0;
  const r = await readLines(p, { onLine: (l, n) => got.push([l, n]), onBlank: (count) => void (runs++, (blank += count)) });
  assert.equal(got.length, 3, 'three lines that are not empty');
  assert.deepEqual(got, [['a', 1], ['b', 5_000_002], ['c', 5_000_005]]);
  assert.equal(blank, 5_000_002);
  assert.ok(runs <= 10, `${runs} calls for 5 million empty lines`);
  assert.equal(r.lines, 5_000_005);
});
