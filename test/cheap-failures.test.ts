// The cheap path for failed requests (src/sources/cheap-failures.ts, src/correlate/cheap-failure.ts)
// must change no result: a whole analysis with the fast path (cheap failures pooled without their full
// reading, in this thread and across workers) equals the line-by-line reference (fast path off), byte
// for byte, on generated outage logs (alone, and with an error log whose findings make the correlator
// read failed lines in full) and on the bundled lab samples.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generate } from '../bench/generate.ts';
import { runAnalysis, type AnalyzeOptions } from '../src/engine/run-analysis.ts';

const SAMPLES = fileURLToPath(new URL('../samples', import.meta.url));

async function analysis(paths: string[], fastPath: AnalyzeOptions['fastPath'], window: { since?: number; until?: number } = {}): Promise<string> {
  const r = await runAnalysis({
    paths, forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: window.since, until: window.until,
    gapMs: 120_000, triggerWindowMs: 30 * 60_000, fastPath,
  });
  return JSON.stringify(r, null, 1);
}

test('cheap failures: the same analysis as the line-by-line reference', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-cheap-'));
  try {
    const half = join(dir, 'half.log');
    const halfErr = join(dir, 'half-error.log');
    generate({ bytes: 3 << 20, out: half, errorBytes: 1 << 20, errorOut: halfErr, failShare: 0.5, seed: 7 });
    const outage = join(dir, 'outage.log');
    generate({ bytes: 4 << 20, out: outage, outageMinutes: 20, seed: 9 });
    // combined with nginx's upstream fields as key=value after the agent (the format reads them): such a
    // 5xx line is plain up to its agent but not cheap, its verdict reads them.
    const kv = join(dir, 'kv.log');
    const kvTail = [' rt=0.002 uct="-" urt="0.001" us="502" ua="127.0.0.1:9"', ' rt=2.5 us="504" ua="10.0.0.2:80" uht="-"', ' us="200"', ' x'];
    writeFileSync(kv, readFileSync(half, 'utf8').split('\n').slice(0, 20_000).map((l, k) => (/" 50\d /.test(l) && k % 3 > 0 ? l + (kvTail[k % kvTail.length] ?? '') : l)).join('\n'));
    // Out of order: a block of lines written minutes late (each comes long after the clock passed its time).
    const late = join(dir, 'late.log');
    const lines = readFileSync(half, 'utf8').split('\n');
    writeFileSync(late, [...lines.slice(0, 4000), ...lines.slice(7000, 12000), ...lines.slice(4000, 7000), ...lines.slice(12000)].join('\n'));
    const cases: string[][] = [[half], [half, halfErr], [outage], [kv], [late], [late, halfErr], ...readdirSync(SAMPLES).map((d) => [join(SAMPLES, d)])];
    for (const paths of cases) {
      const reference = await analysis(paths, false);
      assert.ok(reference.includes('"ok": true'), reference.slice(0, 300));
      for (const workers of [1, 3]) {
        assert.equal(await analysis(paths, { workers }), reference, `${paths.join(' ')} with ${workers} worker(s)`);
      }
    }
    // A window: failed lines outside it are dropped by the scan as the reference drops them.
    const since = Date.UTC(2026, 10, 20, 14, 0);
    const until = Date.UTC(2026, 10, 20, 14, 10);
    assert.equal(await analysis([half, halfErr], { workers: 3 }, { since, until }), await analysis([half, halfErr], false, { since, until }), 'with --since/--until');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
