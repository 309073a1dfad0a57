// Every parser survives garbage, truncated records, mixed formats and records cut at the end of a
// file: no exception, every line accounted for, skips counted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadFormats } from '../src/catalog/formats.ts';
import { readSource } from '../src/sources/read-source.ts';

const formats = loadFormats();
const tmp = mkdtempSync(join(tmpdir(), 'fivexx-bad-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A deterministic byte soup: control characters, invalid UTF-8, quotes and brackets. */
function garbage(n: number, seed: number): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out += String.fromCharCode([0, 1, 27, 34, 91, 93, 123, 125, 0xfffd, 0xd800][x % 10] ?? 63, 32 + (x % 90));
  }
  return out;
}

async function read(path: string, forced?: string): Promise<{ events: number; unparsed: number; lines: number; format: string }> {
  let events = 0;
  const f = forced ? formats.find((x) => x.name === forced) : undefined;
  const r = await readSource(path, 0, formats, f, { onAccess: () => void events++, onRecord: () => void events++ });
  return { events, unparsed: r.unparsed, lines: r.lines, format: r.format };
}

for (const format of formats) {
  const samples = format.samples.map((s) => s.text);
  if (samples.length === 0) continue;
  test(`${format.name}: garbage, cut lines and foreign lines are counted, never thrown`, async () => {
    const lines: string[] = [];
    for (const [i, s] of samples.entries()) {
      lines.push(s);
      lines.push(garbage(40 + i * 7, i + 1));
      lines.push(s.slice(0, Math.max(1, Math.floor(s.length / 3))));
    }
    lines.push('2026/11/22 20:19:15 [error] 1#1: *1 a line of another format');
    lines.push('{"level":50,"msg":"a JSON line"}');
    const cut = samples[samples.length - 1] ?? '';
    const path = join(tmp, `${format.name}.log`);
    const text = lines.join('\n') + '\n' + cut.slice(0, Math.floor(cut.length / 2));
    writeFileSync(path, text);
    const r = await read(path, format.name);
    assert.equal(r.lines, text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length);
    assert.ok(r.events >= 1, 'the good lines still parse');
    assert.ok(r.events + r.unparsed <= r.lines, 'no line counted twice');
    const gz = join(tmp, `${format.name}.log.gz`);
    const zipped = gzipSync(lines.join('\n'));
    writeFileSync(gz, zipped.subarray(0, Math.floor(zipped.length * 0.6)));
    const z = await read(gz, format.name);
    assert.ok(z.lines <= text.split('\n').length, 'a truncated gzip gives what it holds');
  });
}

test('a file mixing nginx access and error lines is read with nginx-mixed, each line by its own parser', async () => {
  const path = join(tmp, 'mixed.log');
  writeFileSync(path, [
    '127.0.0.1 - - [22/Nov/2026:20:19:15 +0000] "GET /a HTTP/1.1" 502 157 "-" "x"',
    '127.0.0.1 - - [22/Nov/2026:20:19:16 +0000] "GET /b HTTP/1.1" 200 10 "-" "x"',
    '2026/11/22 20:19:15 [error] 9183#9183: *26 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.test',
    '127.0.0.1 - - [22/Nov/2026:20:19:17 +0000] "GET /c HTTP/1.1" 200 10 "-" "x"',
  ].join('\n'));
  const r = await read(path);
  assert.equal(r.format, 'nginx-mixed');
  assert.equal(r.events, 4);
  assert.equal(r.unparsed, 0);
});

test('a multi-line record cut at the end of the file is still one record', async () => {
  const path = join(tmp, 'cut-trace.log');
  writeFileSync(path, '2026-11-22 20:37:11,992 ERROR [shop.web] Internal Server Error: /py/orders\nTraceback (most recent call last):\n  File "/srv/app.py", line 23, in do_GET');
  const r = await read(path);
  assert.equal(r.format, 'app-text');
  assert.equal(r.events, 1);
  assert.equal(r.unparsed, 0);
});
