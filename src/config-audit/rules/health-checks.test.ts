import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextFor } from './_fixture.ts';
import { rule } from './health-checks.ts';

test('HAProxy servers without check; default-server check counts', async () => {
  const f = await rule.check(contextFor('haproxy', 'backend a\n  server a1 127.0.0.1:1 check\n  server a2 127.0.0.1:2\nbackend b\n  default-server check\n  server b1 127.0.0.1:3\nbackend c\n  server c1 127.0.0.1:4\n'));
  assert.deepEqual(f.map((x) => [x.severity, x.line]), [['warning', 3], ['info', 8]]);
});

test('nginx max_fails=0 in a group of several; Apache balancer members without hcmethod', async () => {
  const n = await rule.check(contextFor('nginx', 'http { upstream u {\n server 127.0.0.1:1 max_fails=0;\n server 127.0.0.1:2;\n} }\n'));
  assert.deepEqual(n.map((x) => [x.severity, x.line]), [['warning', 2]]);
  const a = await rule.check(contextFor('apache', '<Proxy balancer://c>\n  BalancerMember http://127.0.0.1:1 hcmethod=GET\n  BalancerMember http://127.0.0.1:2\n</Proxy>\nProxyPass / balancer://c/\n'));
  assert.deepEqual(a.map((x) => x.line), [3]);
});
