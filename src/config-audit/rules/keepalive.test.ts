import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextFor, gunicorn } from './_fixture.ts';
import { rule } from './keepalive.ts';

const conf = (extra: string): string => `http {\n upstream app {\n  server 127.0.0.1:1;\n  keepalive 16;\n }\n server { location / {\n  proxy_pass http://app;\n${extra}\n } }\n}\n`;

test('keepalive without HTTP/1.1 and a cleared Connection header has no effect', async () => {
  const f = await rule.check(contextFor('nginx', conf('  proxy_http_version 1.1;')));
  assert.deepEqual(f.map((x) => [x.line, x.cause]), [[7, 'upstream.unreachable']]);
  assert.match(f[0]?.message ?? '', /proxy_set_header Connection ""/);
});

test('keepalive in effect: an app that closes idle connections first is a race', async () => {
  const text = conf('  proxy_http_version 1.1;\n  proxy_set_header Connection "";');
  const f = await rule.check(contextFor('nginx', text, { keepalives: [gunicorn(2, 'keepalive')] }));
  assert.deepEqual(f.map((x) => [x.severity, x.line, x.cause]), [['warning', 4, 'upstream.keepalive_race']]);
  const unknown = await rule.check(contextFor('nginx', text));
  assert.deepEqual(unknown.map((x) => x.severity), ['info']);
});
