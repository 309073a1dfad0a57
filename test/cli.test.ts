// The CLI end to end on the bundled samples and on bad input: output shape, exit codes, one-line errors.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../src/events/analysis.ts';
import { main } from '../src/cli/main.ts';
import type { CommandIo } from '../src/cli/io.ts';

const SAMPLES = fileURLToPath(new URL('../samples/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'fivexx-cli-'));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string[] }> {
  let out = '';
  const err: string[] = [];
  const io: CommandIo = {
    out: (t) => void (out += t),
    warn: (m) => void err.push(`warning: ${m}`),
    fail: (m) => {
      err.push(m);
      return 2;
    },
    color: false,
  };
  return { code: await main(argv, io), out, err };
}

test('analyze --json on the bundled composite sample: two incidents, the deploy as trigger, exit 1', async () => {
  const r = await run('analyze', '--json', join(SAMPLES, 'nginx-composite'));
  assert.equal(r.code, 1);
  const a = JSON.parse(r.out) as Analysis;
  assert.equal(a.version, 1);
  assert.deepEqual(a.incidents.map((i) => i.cause).sort(), ['app.exception', 'upstream.refused']);
  const bug = a.incidents.find((i) => i.cause === 'app.exception');
  assert.equal(bug?.trigger?.ref, 'a1b2c3d');
  assert.ok(a.sources.some((s) => s.format === 'changes'), 'deploy.log is read as a changes log');
  for (const i of a.incidents) {
    assert.match(i.start, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z$/);
    assert.ok(i.evidence.length > 0 && i.nextSteps.length > 0);
  }
});

test('the terminal report leads with the verdict; markdown is for tickets', async () => {
  const t = await run('analyze', join(SAMPLES, 'nginx-database-down'));
  assert.equal(t.code, 1);
  assert.match(t.out, /1\. dependency\.database/);
  const m = await run('analyze', '--markdown', join(SAMPLES, 'nginx-php-fatal'));
  assert.match(m.out, /^# fivexx analysis/);
  assert.match(m.out, /## 1\. `app\.exception`/);
});

test('a missing file, an empty directory, garbage and usage errors exit 2 with one line', async () => {
  const empty = join(tmp, 'empty');
  mkdirSync(empty);
  const garbage = join(tmp, 'garbage.bin');
  writeFileSync(garbage, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256)));
  for (const argv of [['analyze', join(tmp, 'nope.log')], ['analyze', empty], ['analyze', garbage], ['analyze'], ['analyze', '--bogus', garbage], ['frobnicate']]) {
    const r = await run(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    const last = r.err[r.err.length - 1] ?? '';
    assert.ok(last.length > 0 && !last.includes('\n'), `one-line error for ${argv.join(' ')}: ${last}`);
  }
});

test('garbage next to a good log is counted, not fatal', async () => {
  const garbage = join(tmp, 'junk.log');
  writeFileSync(garbage, 'not a log line\n\u0000\u0001\u0002 binary\n');
  const r = await run('analyze', '--json', garbage, join(SAMPLES, 'nginx-database-down', 'access.log'));
  assert.equal(r.code, 1);
  const a = JSON.parse(r.out) as Analysis;
  const junk = a.sources.find((s) => s.path === garbage);
  assert.equal(junk?.format, 'unknown');
  assert.equal(junk?.unparsed, 2);
});

test('a log with no server errors exits 0', async () => {
  const ok = join(tmp, 'ok.log');
  writeFileSync(ok, '127.0.0.1 - - [22/Nov/2026:20:19:30 +0000] "GET / HTTP/1.1" 200 25 "-" "x"\n');
  const r = await run('analyze', ok);
  assert.equal(r.code, 0);
  assert.match(r.out, /No server errors found/);
});
