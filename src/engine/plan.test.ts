// The plan stage reads each file's head once and detects its format once, for the whole analysis:
// the readers (fast paths included) take the planned head and format and neither read nor detect again.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { loadFormats } from '../catalog/formats.ts';
import { headStats } from '../sources/sniff-head.ts';
import { planSources } from './plan.ts';
import { runAnalysis } from './run-analysis.ts';

const SAMPLE = fileURLToPath(new URL('../../samples/nginx-composite', import.meta.url));

/** A folder with an access log (plain and gzip), an error log, an app log and a deploy log from the lab sample. */
function files(): { dir: string; paths: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-plan-'));
  for (const f of ['access.log', 'error.log', 'app.log', 'deploy.log']) copyFileSync(join(SAMPLE, f), join(dir, f));
  writeFileSync(join(dir, 'old-access.log.gz'), gzipSync(readFileSync(join(SAMPLE, 'access.log'))));
  return { dir, paths: ['access.log', 'error.log', 'app.log', 'deploy.log', 'old-access.log.gz'].map((f) => join(dir, f)) };
}

test('the plan reads each head once, detects once, sets the deploy log aside and takes the zone from the access logs', async () => {
  const { dir, paths } = files();
  try {
    const formats = loadFormats();
    const before = { ...headStats };
    const plan = await planSources(paths, formats, new Map(), undefined);
    assert.equal(headStats.reads - before.reads, paths.length, 'one head read a file');
    // The deploy log is detected too (its format decides nothing), and set aside as changes.
    assert.equal(headStats.detections - before.detections, paths.length, 'one detection a file');
    const by = new Map(plan.sources.map((s) => [s.path.slice(dir.length + 1), s]));
    assert.equal(by.get('access.log')?.planned?.format?.name, 'combined');
    assert.equal(by.get('old-access.log.gz')?.planned?.head.compressed, true);
    assert.equal(by.get('error.log')?.planned?.format?.name, 'nginx-error');
    // The nginx error log keeps head bytes to tune its byte screen; the access log keeps none.
    assert.ok((by.get('error.log')?.planned?.head.bytes.length ?? 0) > 0);
    assert.equal(by.get('access.log')?.planned?.head.bytes.length, 0);
    assert.equal(by.get('deploy.log')?.isChangeLog, true);
    assert.ok(typeof plan.zone !== 'string' && !plan.zone.guessed && plan.zone.offsetMinutes === 0);
    // --format skips detection; a bad --tz is the zone's message.
    const forced = await planSources([paths[0] ?? ''], formats, new Map([[paths[0] ?? '', 'combined']]), 'Not/AZone');
    assert.equal(typeof forced.zone, 'string');
    assert.equal(forced.sources[0]?.planned?.format?.name, 'combined');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a whole analysis reads each head once and detects each format once, fast paths included', async () => {
  const { dir, paths } = files();
  try {
    for (const fastPath of [{ workers: 1 }, { workers: 3 }, false] as const) {
      const before = { ...headStats };
      const r = await runAnalysis({
        paths, forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: undefined, until: undefined,
        gapMs: 120_000, triggerWindowMs: 30 * 60_000, fastPath,
      });
      assert.ok(r.ok && r.analysis.incidents.length > 0, JSON.stringify(r).slice(0, 300));
      assert.equal(headStats.reads - before.reads, paths.length, `head reads (fast path ${JSON.stringify(fastPath)})`);
      assert.equal(headStats.detections - before.detections, paths.length, `detections (fast path ${JSON.stringify(fastPath)})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
