import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execReason, findProgram, runBounded } from './bounded-exec.ts';

test('runBounded: runs by absolute path, keeps at most maxBytes, stops at the timeout', async () => {
  const found = findProgram('sh', ['/nonexistent', '/bin', '/usr/bin']);
  assert.ok(found?.startsWith('/'));
  const sh = found ?? '/bin/sh';
  const ok = await runBounded(sh, ['-c', 'echo hello']);
  assert.equal(ok.outcome, 'ok');
  assert.equal(ok.stdout, 'hello\n');
  const big = await runBounded(sh, ['-c', 'yes | head -c 100000'], { timeoutMs: 5000, maxBytes: 1000 });
  assert.equal(big.stdout.length, 1000);
  assert.equal(big.truncated, true);
  const oneChunk = await runBounded(sh, ['-c', 'printf %01001d 0'], { timeoutMs: 5000, maxBytes: 1000 });
  assert.deepEqual([oneChunk.stdout.length, oneChunk.truncated], [1000, true]);
  const exact = await runBounded(sh, ['-c', 'printf %01000d 0'], { timeoutMs: 5000, maxBytes: 1000 });
  assert.deepEqual([exact.stdout.length, exact.truncated], [1000, false]);
  const t0 = Date.now();
  // A 60 s command and a 20 s bound: waiting for it fails the test, a loaded machine does not.
  const slow = await runBounded(sh, ['-c', 'sleep 60'], { timeoutMs: 200, maxBytes: 100 });
  assert.equal(slow.outcome, 'timeout');
  assert.ok(Date.now() - t0 < 20_000, `${Date.now() - t0} ms`);
  const bad = await runBounded(sh, ['-c', 'echo nope >&2; exit 3']);
  assert.equal(bad.outcome, 'exit');
  assert.equal(execReason(bad), 'exit 3: nope');
});

test('runBounded refuses a bare name (no PATH lookup) and reports a missing program', async () => {
  const bare = await runBounded('sh', ['-c', 'true']);
  assert.equal(bare.outcome, 'error');
  const missing = await runBounded('/nonexistent/prog', []);
  assert.equal(missing.outcome, 'error');
  assert.match(execReason(missing), /ENOENT/);
  assert.equal(findProgram('no-such-program-here', ['/bin', '/usr/bin']), undefined);
});
