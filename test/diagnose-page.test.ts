// `fivexx diagnose --page FILE|-`: a saved response read offline, from a file or stdin, with one-line coded
// errors for what is not a saved response, and text from the page escaped before it reaches a terminal.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Diagnosis } from '../src/probe/types.ts';

const bin = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url));
const run = (args: string[], input?: string): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, [bin, 'diagnose', ...args], { input, encoding: 'utf8', timeout: 30_000 });

test('curl -si … | fivexx diagnose --page -: who drew it, what it means, exit 1', () => {
  const r = run(['--json', '--page', '-'], 'HTTP/1.1 502 Bad Gateway\r\nServer: cloudflare\r\nCF-RAY: 8d2c1a7b9e3f4a22-FRA\r\n\r\n<html><body><center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.24.0</center></body></html>\r\n');
  assert.equal(r.status, 1, r.stderr);
  const d = JSON.parse(r.stdout) as Diagnosis;
  assert.equal(d.source, 'page');
  assert.equal(d.verdict.responder, 'nginx');
  assert.deepEqual(d.verdict.layers, ['cloudflare', 'nginx']);
  assert.equal(d.verdict.cause, 'upstream.unexplained');
  assert.ok(d.verdict.meaning?.operator.includes('nginx'));
});

test('a saved 200 page is not an error (exit 0); a bare body takes the status it states', () => {
  const ok = run(['--json', '--page', '-'], 'HTTP/1.1 200 OK\r\n\r\nhello');
  assert.equal(ok.status, 0);
  const bare = run(['--json', '--page', '-'], '<html><head><title>503 Service Unavailable</title></head><body>\nNo server is available to handle this request.\n</body></html>');
  const d = JSON.parse(bare.stdout) as Diagnosis;
  assert.equal(d.verdict.status, 503);
  assert.equal(d.checks[0]?.detail, 'no status line: the status is the one the page states');
});

test('what is not a saved response: a missing file, a directory, a device, binary data, nothing: one coded line, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-page-'));
  try {
    writeFileSync(join(dir, 'bin.dat'), Buffer.from([0x1f, 0x8b, 0, 0, 1, 2]));
    for (const [args, code, input] of [
      [['--page', join(dir, 'nope.http')], 'FIVEXX_PATH_NOT_FOUND'], [['--page', dir], 'FIVEXX_PAGE_UNREADABLE'],
      [['--page', '/dev/zero'], 'FIVEXX_PATH_DEVICE'], [['--page', join(dir, 'bin.dat')], 'FIVEXX_PAGE_UNREADABLE'], [['--page', '-'], 'FIVEXX_PAGE_UNREADABLE', ''],
    ] as const) {
      const r = run([...args], input);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, new RegExp(`^fivexx: ${code}: diagnose: [^\\n]+\\n$`), args.join(' '));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('escape bytes in a saved page\'s headers never reach the terminal raw', () => {
  const r = run(['--no-color', '--page', '-'], 'HTTP/1.1 502 Bad Gateway\r\nServer: nginx\x1b]0;pwned\x07\r\n\r\n<hr><center>nginx</center>');
  assert.equal(r.status, 1);
  assert.ok(!r.stdout.includes('\x1b'), 'no raw ESC');
  assert.match(r.stdout, /Drawn by: nginx/);
});
