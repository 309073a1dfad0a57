import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { FivexxError } from '../errors/codes.ts';
import { parseWatchConfig } from './config.ts';

const EXAMPLES = new URL('../../examples/watch/', import.meta.url);

function problem(text: string): string {
  try {
    parseWatchConfig(text, 'w.yaml');
  } catch (err) {
    assert.ok(err instanceof FivexxError);
    assert.equal(err.code, 'FIVEXX_CONFIG_INVALID');
    return err.message;
  }
  assert.fail('no error');
}

test('every example config parses', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 2);
  for (const f of files) parseWatchConfig(readFileSync(new URL(f, EXAMPLES), 'utf8'), f);
});

test('the contract\'s smallest config gets every default', () => {
  const c = parseWatchConfig(readFileSync(new URL('minimal.yaml', EXAMPLES), 'utf8'));
  const t = c.targets[0];
  assert.equal(t?.interval, 5000);
  assert.equal(t?.timeout, 10_000);
  assert.equal(t?.retries, undefined);
  assert.equal(c.rules.consecutiveFailures, 2);
  assert.equal(c.rules.resolveAfter, 120_000);
  assert.equal(c.retention, 90 * 86_400_000);
  assert.deepEqual(c.logs, ['/var/log/nginx/*.log']);
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.targets[0]));
});

test('errors name file:line:col and the key', () => {
  const m = problem('targets:\n  - name: shop\n    url: http://127.0.0.1/\n    intervall: 5s\n');
  assert.match(m, /^w\.yaml:2:\d+: targets\.0: unknown key\(s\) 'intervall'/);
  assert.match(problem('targets:\n  - name: shop\n    url: ftp://x/\n'), /^w\.yaml:3:\d+: targets\.0\.url: an http/);
  assert.match(problem('targets:\n  - name: a\n    url: http://x/\n    interval: 5 minutes\n'), /w\.yaml:4:\d+: targets\.0\.interval: not a duration/);
  assert.match(problem('targets:\n  - name: a\n    url: http://x/\n    interval: 10ms\n'), /out of range/);
  assert.match(problem('alerts:\n  - type: pager\n    url: http://x/\n'), /w\.yaml:2:\d+: alerts\.0\.type/);
  assert.match(problem('targets: [\n'), /^w\.yaml:\d+:\d+: /);
});

test('names are unique and maintenance windows are sane', () => {
  assert.match(problem('targets:\n  - { name: a, url: "http://x/" }\n  - { name: a, url: "http://y/" }\n'), /w\.yaml:3:\d+: targets\.1\.name: 'a' is used twice/);
  assert.match(problem('targets:\n  - { name: a, url: "http://x/" }\nmaintenance:\n  - { targets: [b], start: "2026-01-01T00:00:00Z", end: "2026-01-01T01:00:00Z" }\n'), /no target named 'b'/);
  assert.match(problem('maintenance:\n  - { start: "2026-01-01T02:00:00Z", end: "2026-01-01T01:00:00Z" }\n'), /ends before it starts/);
});

test('short API tokens are refused', () => {
  assert.match(problem('apiTokens: [abc]\n'), /at least 16 characters/);
});
