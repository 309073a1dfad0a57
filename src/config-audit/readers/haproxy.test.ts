import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHaproxy, splitLine } from './haproxy.ts';

test('words: quotes, escapes and comments', () => {
  assert.deepEqual(splitLine('  http-request set-header X "a b" # c'), ['http-request', 'set-header', 'X', 'a b']);
  assert.deepEqual(splitLine("log-format 'x %[y]' a\\ b \"\""), ['log-format', 'x %[y]', 'a b', '']);
});

test('sections collect their keyword lines with line numbers', () => {
  const t = parseHaproxy('global\n  user haproxy\n\ndefaults\n  timeout server 5s\nbackend app\n  server a 127.0.0.1:1 check\n', 'h.cfg');
  assert.deepEqual(t.map((d) => [d.name, d.args, d.line]), [['global', [], 1], ['defaults', [], 4], ['backend', ['app'], 6]]);
  const server = t[2]?.children?.[0];
  assert.deepEqual([server?.name, server?.args, server?.line], ['server', ['a', '127.0.0.1:1', 'check'], 7]);
});
