import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
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
