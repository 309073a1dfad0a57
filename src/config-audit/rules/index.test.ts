import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCauses } from '../../catalog/causes.ts';
import { loadRules } from './index.ts';

test('every rule is found in the folder and names only causes of the catalog', async () => {
  const rules = await loadRules();
  assert.deepEqual(rules.map((r) => r.id).sort(), ['header-buffer', 'health-checks', 'keepalive', 'proxy-timeout', 'resolver', 'unix-socket', 'upstream-listener', 'upstream-tls']);
  const ids = loadCauses().byId;
  for (const r of rules) for (const c of r.causes) assert.ok(ids.has(c), `${r.id}: ${c} is not in catalog/causes`);
});
