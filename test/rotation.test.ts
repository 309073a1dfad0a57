// Rotation while a file is read: each file is opened once and every range (worker threads included)
// is read from that descriptor. An atomic replace (rename over the path) leaves the read whole and is
// said; a copytruncate (the file cut to 0) is said too: a FIVEXX_FILE_CHANGED source warning, never a
// silently partial count.
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, renameSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runAnalysis, type AnalyzeOptions } from '../src/engine/run-analysis.ts';

const tmp = mkdtempSync(join(tmpdir(), 'fivexx-rotation-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Writes `mib` MiB of combined access lines (one 502 in a thousand); returns the line count. */
function generate(path: string, mib: number): number {
  const lines: string[] = [];
  for (let i = 0; i < 1000; i++) {
    lines.push(`10.0.${i % 200}.${i % 250} - - [22/Nov/2026:20:${String(10 + (i % 40)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /api/orders/${i} HTTP/1.1" ${i === 500 ? 502 : 200} ${1000 + i} "-" "curl/8.0"`);
  }
  const block = Buffer.from(lines.join('\n') + '\n');
  const blocks = Math.ceil((mib << 20) / block.length);
  const fd = openSync(path, 'w');
  for (let k = 0; k < blocks; k++) writeSync(fd, block);
  closeSync(fd);
  return blocks * 1000;
}

const options = (paths: string[], fastPath: AnalyzeOptions['fastPath'], onProgress: AnalyzeOptions['onProgress']): AnalyzeOptions => ({
  paths, forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: undefined, until: undefined, gapMs: 120_000, triggerWindowMs: 1_800_000, fastPath, onProgress,
});

const rotations = {
  /** logrotate's default: the file is renamed and a new one takes its name. */
  replace: (path: string): void => {
    writeFileSync(`${path}.new`, '10.0.0.1 - - [22/Nov/2026:21:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x"\n');
    renameSync(`${path}.new`, path);
  },
  /** logrotate's copytruncate: the file is copied away and cut to nothing under the writer. */
  truncate: (path: string): void => truncateSync(path, 0),
};

const reads: { name: string; fastPath: AnalyzeOptions['fastPath']; mib: number }[] = [
  { name: 'three worker threads', fastPath: { workers: 3 }, mib: 200 },
  { name: 'the fast path in this thread', fastPath: { workers: 1 }, mib: 120 },
  { name: 'the line reader', fastPath: false, mib: 40 },
];

for (const read of reads) {
  for (const [kind, rotate] of Object.entries(rotations)) {
    test(`${kind} while ${read.name} reads a ${read.mib} MB log: said in a FIVEXX_FILE_CHANGED warning`, async () => {
      const path = join(tmp, `access-${kind}-${read.mib}.log`);
      const lines = generate(path, read.mib);
      let rotatedAt = -1;
      const out = await runAnalysis(options([path], read.fastPath, (done, total) => {
        if (rotatedAt < 0 && done > 0 && done < total) {
          rotatedAt = done;
          rotate(path);
        }
      }));
      rmSync(path, { force: true });
      assert.ok(rotatedAt > 0, 'rotated mid-read');
      assert.ok(out.ok, out.ok ? '' : out.error);
      const [source] = out.analysis.sources;
      const changed = (source?.warnings ?? []).filter((w) => w.startsWith('FIVEXX_FILE_CHANGED: '));
      assert.equal(changed.length, 1, `one warning: ${JSON.stringify(source?.warnings)}`);
      if (kind === 'replace') {
        // The descriptor still reads the file as it was: every line counted.
        assert.equal(source?.lines, lines);
        assert.match(changed[0] ?? '', /was replaced while it was read/);
        assert.equal(out.analysis.totals.requests, lines);
      } else {
        assert.ok((source?.lines ?? 0) < lines, 'the lines after the cut are gone');
        assert.match(changed[0] ?? '', /shrank from \d+ to \d+ bytes while it was read/);
      }
    });
  }
}
