// `fivexx change` against a real watch server: the change is stored, a bad token and a bad kind are refused.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import { WatchServer } from '../../src/web/server.ts';
import { parseWatchConfig } from '../../src/watch/config.ts';
import { WatchService } from '../../src/watch/service.ts';
import { openSqliteStore } from '../../src/watch/store/sqlite-store.ts';

const TOKEN = 'deploy-token-0123456789';

test('fivexx change records a deploy in a running watch; wrong token and kind are coded errors', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-change-'));
  const watch = new WatchService(parseWatchConfig(`apiTokens: [${TOKEN}]\n`), { store: openSqliteStore(dir) });
  const server = new WatchServer(watch);
  const port = await server.listen(0);
  t.after(async () => {
    await watch.stop();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await main(['change', ...argv], { out: (s) => void (out += s), warn: () => undefined, fail: (c, m) => ((err += `${c}: ${m}`), 2), color: false });
    return { code, out, err };
  };
  const ok = await run('--kind', 'deploy', '--ref', 'abc123', '--service', 'shop', '--at', '2026-11-20T14:02:07Z', '--url', `http://127.0.0.1:${port}`, '--token', TOKEN);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /^recorded deploy abc123 at 2026-11-20T14:02:07\.000Z/);
  assert.deepEqual((await watch.store.changes(0, Date.parse('2026-11-21T00:00:00Z'))).map((c) => [c.kind, c.ref, c.service, c.source]), [['deploy', 'abc123', 'shop', 'api']]);
  const bad = await run('--kind', 'deploy', '--ref', 'x', '--url', `http://127.0.0.1:${port}`, '--token', 'wrong-token-0123456789');
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^FIVEXX_USAGE: change: the watch answered 401/);
  assert.match((await run('--kind', 'redeploy', '--ref', 'x')).err, /^FIVEXX_USAGE: change: --kind is deploy/);
});
