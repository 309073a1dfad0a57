import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { combinedLine, lines, prng } from './kernel-lines.ts';
import { scanFile, scanRange } from './scan-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'fivexx-scan-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LINE = '10.0.0.1 - - [22/Nov/2026:20:19:15 +0000] "GET /a HTTP/1.1" 200 5 "-" "x"';
const cfg = { since: NaN, until: NaN, watchClients: [], maxLineBytes: 1 << 20 };

test('empty lines in a combined log are counted, never handed back as text (a billion would not fit in memory)', () => {
  const p = join(dir, 'blank.log');
  writeFileSync(p, `${LINE}\n${'\n'.repeat(1_000_000)}${LINE}\n\r\n`);
  for (const useKernel of [true, false]) {
    const t = scanRange(p, 0, 1_000_000 + 2 * LINE.length + 4, cfg, undefined, false, useKernel);
    assert.equal(t.lines, 1_000_003);
    assert.equal(t.slow.length, 1, 'one line handed back');
    assert.deepEqual(t.slow, ['']);
    assert.deepEqual(t.slowLines, [1_000_003], 'a CR alone is not empty: read as text, as the line reader would');
    assert.equal(t.statuses[200], 2);
  }
});

test('workers read the descriptor they are given, not the path (which may name another file by then)', async () => {
  const p = join(dir, 'fd.log');
  writeFileSync(p, `${LINE}\n`.repeat(3000));
  const fd = openSync(p, 'r');
  try {
    // The path now names a smaller file: the descriptor still reads the first.
    writeFileSync(`${p}.new`, `${LINE}\n`);
    renameSync(`${p}.new`, p);
    const t = await scanFile(fd, 3000 * (LINE.length + 1), cfg, { workers: 3 });
    assert.equal(t.lines, 3000);
    assert.equal(t.statuses[200], 3000);
  } finally {
    closeSync(fd);
  }
});

test('a range scanned through the kernel walk gives the tally of the JavaScript scan: counts, seconds, slow lines, cheap failures', (t) => {
  const rnd = prng(3);
  const generated = lines(7, 3000, combinedLine);
  const day = (d: number, s: number): string => `${String(d).padStart(2, '0')}/Nov/2026:00:00:${String(s % 60).padStart(2, '0')} +0000`;
  const out: string[] = [];
  for (let k = 0; k < 60_000; k++) {
    const x = rnd();
    const d = k < 30_000 ? 20 : 21;
    if (x < 0.02) out.push(generated[k % generated.length] ?? '');
    else if (x < 0.03) out.push('');
    else if (x < 0.035) out.push(`10.0.0.1 - - [${day(d, k >> 6)}] "GET /${'y'.repeat(300)} HTTP/1.1" 502 1 "-" "over-long"`);
    else out.push(`10.0.0.${k % 7} - - [${day(d, k >> 6)}] "GET /p${k % 13}?q HTTP/1.1" ${x < 0.5 ? 200 : x < 0.9 ? 502 : 504} 5 "-" "curl"${x < 0.45 ? '\r' : ''}`);
  }
  const p = join(dir, 'walk.log');
  writeFileSync(p, out.join('\n'));
  const size = Buffer.byteLength(out.join('\n'));
  const c = { ...cfg, maxLineBytes: 250, cheapFailures: true };
  const [kernel, js] = [true, false].map((useKernel) => scanRange(p, 0, size, c, undefined, false, useKernel));
  if (!kernel || !js) return t.skip('no scan');
  assert.ok(js.lines === 60_000 && js.oversize > 100 && (js.cheap?.n ?? 0) > 10_000 && js.slow.length > 500, `${js.lines} ${js.oversize} ${js.cheap?.n} ${js.slow.length}`);
  assert.deepEqual(kernel, js);
});
