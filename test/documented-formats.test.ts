// Sources that cannot run here, read from their documented formats (see test/fixtures/documented/README.md).
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadFormats } from '../src/catalog/formats.ts';
import { runAnalysis } from '../src/engine/run-analysis.ts';
import type { Analysis } from '../src/events/analysis.ts';

const DOC = fileURLToPath(new URL('./fixtures/documented/', import.meta.url));
const SAMPLES = fileURLToPath(new URL('../samples/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'fivexx-doc-'));

async function analyze(paths: string[]): Promise<Analysis> {
  const r = await runAnalysis({ paths, forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: undefined, until: undefined, gapMs: 120_000, triggerWindowMs: 1_800_000 });
  if (!r.ok) throw new Error(r.error);
  return r.analysis;
}

test('kern.log (Linux mm/oom_kill.c format) next to nginx "prematurely closed": the OOM kill is the root cause', async () => {
  // The nginx lines are real lab lines (premature-close scenario); the kernel and systemd lines follow
  // the kernel's __oom_kill_process format and systemd's unit messages (shared/reference §8.5, R56, R60, R61).
  const error = join(tmp, 'error.log');
  writeFileSync(error, '2026/11/22 20:19:22 [error] 9290#9290: *26 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: lab.test, request: "GET /die HTTP/1.1", upstream: "http://127.0.0.1:38209/die", host: "lab.test"\n');
  const access = join(tmp, 'access.log');
  writeFileSync(access, '127.0.0.1 - - [22/Nov/2026:20:19:22 +0000] "GET /die HTTP/1.1" 502 157 "-" "fivexx-lab/1" rt=0.006 ua="127.0.0.1:38209" us="502" uct="0.000" uht="-" urt="0.006"\n');
  const a = await analyze([access, error, join(DOC, 'kern.log')]);
  assert.equal(a.sources.find((s) => s.path.endsWith('kern.log'))?.format, 'syslog');
  assert.equal(a.incidents[0]?.cause, 'host.out_of_memory');
  assert.ok(a.incidents[0]?.evidence.some((e) => e.text.includes('Out of memory: Killed process 9290')));
});

test('journalctl -o json: kernel messages keep their time and producer', async () => {
  const formats = loadFormats();
  const { readSource } = await import('../src/sources/read-source.ts');
  const recs: { producer: string; time: number; message: string }[] = [];
  const r = await readSource(join(DOC, 'journal.json'), 0, formats, undefined, { onAccess: () => undefined, onRecord: (x) => void recs.push(x) });
  assert.equal(r.format, 'json-lines');
  assert.equal(recs[0]?.producer, 'kernel');
  assert.equal(recs[0]?.time, 1795378762601);
  assert.match(recs[0]?.message ?? '', /^Out of memory: Killed process 9290/);
});

for (const [name, want] of [['envoy', 'upstream.refused'], ['alb', 'upstream.unexplained'], ['traefik', 'upstream.unexplained']] as const) {
  test(`${name}: the access line alone names who answered and the cause its state proves`, async () => {
    const f = loadFormats().find((x) => x.name === name);
    const failing = f?.samples.find((s) => / 50[234] |"DownstreamStatus":50[234]/.test(s.text));
    assert.ok(failing, `${name} has a failing sample line`);
    const path = join(tmp, `${name}.log`);
    writeFileSync(path, failing.text + '\n');
    const a = await analyze([path]);
    assert.equal(a.sources[0]?.format, name);
    assert.equal(a.incidents[0]?.cause, want);
  });
}

test('the bundled samples still analyse with the new formats present', async () => {
  const a = await analyze([join(SAMPLES, 'nginx-php-fatal')]);
  assert.equal(a.incidents[0]?.cause, 'app.exception');
});
