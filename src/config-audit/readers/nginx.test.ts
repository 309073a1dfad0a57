import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readNginx, tokenize } from './nginx.ts';

test('tokens: quotes, escapes, comments, ${var} braces and line numbers', () => {
  const t = tokenize('a "b c" \'d\\\'e\';  # x { ;\nproxy_pass http://${h}:1;\n"multi\nline" z;');
  assert.deepEqual(t.map((x) => x.text), ['a', 'b c', "d'e", ';', 'proxy_pass', 'http://${h}:1', ';', 'multi\nline', 'z', ';']);
  assert.deepEqual(t.map((x) => x.line), [1, 1, 1, 1, 2, 2, 2, 3, 4, 4]);
});

test('blocks nest; include globs are read relative to the main file, in order, with their own file:line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-ngx-'));
  mkdirSync(join(dir, 'sites'));
  writeFileSync(join(dir, 'nginx.conf'), 'user www-data;\nhttp {\n  include sites/*.conf;\n}\n');
  writeFileSync(join(dir, 'sites', 'b.conf'), 'server { listen 2; }\n');
  writeFileSync(join(dir, 'sites', 'a.conf'), '\nserver {\n  listen 1;\n}\n');
  const c = readNginx(join(dir, 'nginx.conf'));
  assert.equal(c.files.length, 3);
  const http = c.tree[1];
  assert.equal(http?.name, 'http');
  const servers = http?.children ?? [];
  assert.deepEqual(servers.map((s) => [s.file.endsWith('a.conf'), s.line]), [[true, 2], [false, 1]]);
  assert.equal(servers[0]?.children?.[0]?.line, 3);
  assert.deepEqual(c.notes, []);
});

test('an include loop and a missing brace are notes, not a hang or a crash', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-ngx-'));
  writeFileSync(join(dir, 'nginx.conf'), 'include loop.conf;\nhttp {\n');
  writeFileSync(join(dir, 'loop.conf'), 'include nginx.conf;\n');
  const c = readNginx(join(dir, 'nginx.conf'));
  assert.ok(c.notes.some((n) => /include loop/.test(n.message)), JSON.stringify(c.notes));
  assert.ok(c.notes.some((n) => /expecting "}"/.test(n.message)));
});
