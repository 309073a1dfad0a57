// Nginx Proxy Manager lines are detected as NPM (not as Apache's ssl_request_log, which has no status), so their 5xx count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadFormats } from '../catalog/formats.ts';
import { detectFormat } from './detect.ts';

// Lines from crowdsecurity/hub's nginx-proxy-manager-logs test (MIT).
const NPM = [
  '[01/Oct/2025:14:32:15 +0000] HIT 200 200 - GET https example.com "/api/users" [Client 192.168.1.100] [Length 1543] [Gzip 2.45] [Sent-to 10.0.0.15:8080] "Mozilla/5.0" "-"',
  '[01/Oct/2025:14:32:17 +0000] - 500 500 - POST https api.example.com "/v1/data" [Client 203.0.113.45] [Length 567] [Gzip -] [Sent-to 10.0.0.16:3000] "curl/7.68.0" "-"',
  '2022/01/24 16:33:06 [error] 334#334: *338 user "toto": password mismatch, client: 1.2.3.4, server: openresty.local, request: "GET / HTTP/1.1", host: "openresty.local"',
];

test('an NPM log, with or without nginx error lines, is read as nginx-proxy-manager and its 500 is a status', () => {
  const formats = loadFormats();
  for (const lines of [NPM.slice(0, 2), NPM]) {
    const f = detectFormat(formats, lines).format;
    assert.equal(f?.name, 'nginx-proxy-manager');
    assert.equal(f.kind === 'access' ? f.access.parse(NPM[1] ?? '', 0, 1)?.status : undefined, 500);
  }
});
