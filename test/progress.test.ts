// The progress line on a real run: a generated 40 MB access log and a real error log go through the
// engine, whose phase calls (reading each file, then correlating) drive the line a terminal would show.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generate } from '../bench/generate.ts';
import { progressBar } from '../src/cli/progress.ts';
import { runAnalysis, type PhaseEvent } from '../src/engine/run-analysis.ts';

const ERROR_LOG = fileURLToPath(new URL('../samples/nginx-composite/error.log', import.meta.url));

test('a real run: reading each file, then correlating, then writing, each shown with its own progress', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-progress-'));
  try {
    const access = join(dir, 'access.log');
    const g = generate({ bytes: 40 << 20, out: access, seed: 7 });
    const phases: PhaseEvent[] = [];
    const writes: string[] = [];
    const bar = progressBar({ isTTY: true, columns: 200, write: (s: string) => writes.push(s) }, { tickMs: 0 });
    let lastBytes = 0;
    const outcome = await runAnalysis({
      paths: [access, ERROR_LOG], forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: undefined, until: undefined,
      gapMs: 120_000, triggerWindowMs: 1_800_000,
      onProgress: (d, t) => {
        lastBytes = d;
        bar.update(d, t);
      },
      onPhase: (e) => {
        phases.push(e);
        bar.phase(e);
      },
    });
    assert.ok(outcome.ok);
    bar.phase({ phase: 'writing' });
    bar.end();

    const total = statSync(access).size + statSync(ERROR_LOG).size;
    assert.deepEqual(phases.map((p) => p.phase), ['reading', 'reading', 'correlating'], 'record logs first, then the access log, then correlating');
    assert.deepEqual(phases.slice(0, 2).map((p) => (p.phase === 'reading' ? [p.file, p.index, p.files, p.bytes] : [])), [[ERROR_LOG, 1, 2, total], [access, 2, 2, total]]);
    const corr = phases[2];
    assert.ok(corr?.phase === 'correlating');
    const fivexx = Object.entries(outcome.analysis.totals.byStatus).filter(([k]) => Number(k) >= 500).reduce((s, [, n]) => s + n, 0);
    assert.equal(corr.failed, fivexx, 'every 5xx request read is handed to correlating');
    assert.ok(g.failed > 0 && corr.records > 0, 'the generated log has 5xx lines and the error log has findings');
    assert.equal(lastBytes, total, 'reading reported every byte');

    const shown = writes.map((w) => w.replace(/^\r\x1b\[K/, '')).filter(Boolean);
    const firstOf = (re: RegExp): number => shown.findIndex((l) => re.test(l));
    const reading = firstOf(/^1\/3 reading \[/);
    const correlating = firstOf(/^2\/3 correlating \d[\d,]* failed request\(s\) with \d[\d,]* error record\(s\)/);
    const writing = firstOf(/^3\/3 writing the report$/);
    assert.ok(reading >= 0 && reading < correlating && correlating < writing, shown.join('\n'));
    assert.ok(shown.slice(correlating).every((l) => !/ETA/.test(l)), 'no ETA once reading is over');
    assert.equal(writes.at(-1), '\r\x1b[K', 'the line is cleared before the report');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
