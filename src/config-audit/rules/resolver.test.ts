import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextFor } from './_fixture.ts';
import { rule } from './resolver.ts';

test('proxy_pass with a variable host and no resolver is an error; a resolver or an IP literal value clears it', async () => {
  const f = await rule.check(contextFor('nginx', 'http { server {\n  set $api api.internal;\n  location / { proxy_pass http://$api:8080; }\n  location /ip { set $ip 127.0.0.1:9; proxy_pass http://$ip; }\n  location /uri { proxy_pass http://127.0.0.1:9$request_uri; }\n} }\n'));
  assert.deepEqual(f.map((x) => [x.severity, x.line, x.cause]), [['error', 3, 'upstream.dns']]);
  assert.deepEqual(await rule.check(contextFor('nginx', 'http { resolver 127.0.0.53;\n server { location / { proxy_pass http://$host; } } }\n')), []);
});
