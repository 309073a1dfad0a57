// Every sample of catalog/responders/*.yaml is replayed as a real HTTP response (its status line with its
// reason phrase, its headers, its body) from a loopback server through the real probe and diagnose's
// verdict; the same bytes saved to a file give the same responder through `diagnose --page`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadCauses } from '../src/catalog/causes.ts';
import { main } from '../src/cli/main.ts';
import type { CommandIo } from '../src/cli/io.ts';
import { DEFAULT_PROBE, probeUrl } from '../src/probe/http-probe.ts';
import { responderSamples } from '../src/probe/responder-samples.ts';
import type { Diagnosis } from '../src/probe/types.ts';
import { decide } from '../src/probe/verdict.ts';
import { rawResponse, replayServer } from './support/replay.ts';

test('every responder sample, replayed from a loopback server, is named as the file expects (live and --page)', { timeout: 120_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-samples-'));
  const catalog = loadCauses();
  try {
    for (const [i, s] of responderSamples().entries()) {
      const page = { status: s.status, reason: s.reason ?? '', headers: s.headers, body: s.body, statusFrom: 'status-line' as const };
      const { port, server } = await replayServer(page);
      let checks;
      try {
        checks = await probeUrl(new URL(`http://127.0.0.1:${port}/`), { ...DEFAULT_PROBE, timeoutMs: 3000 });
      } finally {
        server.close();
      }
      const v = decide(catalog, checks, undefined, '');
      const what = `${s.file} sample ${i}: ${s.note ?? s.status}`;
      assert.equal(v.responder, s.expect.responder, what);
      if (s.expect.cause) assert.equal(v.cause, s.expect.cause, what);
      if (s.expect.relays) assert.deepEqual(v.layers?.slice(0, -1), s.expect.relays, what);
      const file = join(dir, `${i}.http`);
      writeFileSync(file, rawResponse(page));
      let out = '';
      const io: CommandIo = { out: (x) => void (out += x), warn: () => undefined, fail: (c, m) => assert.fail(`${c}: ${m}`), color: false };
      await main(['diagnose', '--json', '--page', file], io);
      const offline = JSON.parse(out) as Diagnosis;
      assert.equal(offline.verdict.responder, s.expect.responder, `${what} (--page)`);
      assert.equal(offline.verdict.cause, v.cause, `${what}: --page gives the live verdict's cause`);
    }
    t.diagnostic(`${responderSamples().length} samples replayed`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
