import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apacheToScanner, readApacheLogFormats } from './apache-conf.ts';
import { compileLogFormat } from './nginx-log-format.ts';

test('Apache LogFormat directives become scanner formats; %D gives the request time', () => {
  const conf = [
    'LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined',
    'LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\" %D" timed',
    'LogFormat "%{%Y-%m-%d}t %h" oddtime',
  ].join('\n');
  const { formats, skipped } = readApacheLogFormats(conf);
  assert.equal(formats.get('combined'), '$remote_addr $ident $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"');
  assert.deepEqual(skipped, ['oddtime']);
  const timed = compileLogFormat(formats.get('timed') ?? '');
  // A real line of the apache lab (test/lab/gateways/apache.ts, "timed" format).
  const e = timed.parse('127.0.0.1 - - [22/Nov/2026:20:41:06 +0000] "GET /api/orders HTTP/1.1" 503 339 "-" "fivexx-lab/1" 459', 0, 1);
  assert.equal(e?.status, 503);
  assert.equal(e?.requestTime, 0.000459);
  assert.equal(apacheToScanner('%v:%p %h'), '$host:$server_port $remote_addr');
});
