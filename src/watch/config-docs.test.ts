// Every key of the watch config schema is documented in docs/watch.md.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { z } from 'zod';
import { watchConfigSchema } from './config-schema.ts';

function keys(schema: z.core.JSONSchema.JSONSchema, prefix: string, out: string[]): void {
  const s = schema;
  if (s.type === 'array' && s.items && typeof s.items === 'object' && !Array.isArray(s.items)) keys(s.items, `${prefix}[]`, out);
  for (const alt of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) if (typeof alt === 'object') keys(alt, prefix, out);
  for (const [k, v] of Object.entries(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${k}` : k;
    // An object's own name is only a heading: its keys are what is documented.
    if (typeof v !== 'object' || !v.properties) out.push(path);
    if (typeof v === 'object') keys(v, path, out);
  }
}

test('docs/watch.md names every config key', () => {
  const doc = readFileSync(new URL('../../docs/watch.md', import.meta.url), 'utf8');
  const all: string[] = [];
  keys(z.toJSONSchema(watchConfigSchema, { io: 'input', unrepresentable: 'any' }), '', all);
  assert.ok(all.length > 25, `only ${all.length} keys found`);
  // Alert channel keys are documented together in the `alerts` row.
  const missing = all.filter((k) => !k.startsWith('alerts[].') && !doc.includes(`\`${k}\``) && !doc.includes(`\`${k}\`,`));
  assert.deepEqual(missing, []);
  const alertsRow = doc.split('\n').find((l) => l.startsWith('| `alerts` |')) ?? '';
  for (const k of ['webhook', 'slack', 'alertmanager', 'email', 'url', 'smtp', 'from', 'to', 'name']) assert.ok(alertsRow.includes(`\`${k}\``) || alertsRow.includes(`type: ${k}`), `alerts row lacks ${k}`);
});
