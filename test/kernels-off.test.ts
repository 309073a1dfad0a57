// Each WebAssembly kernel is an accelerator that can be deleted without changing a result: the same
// analysis, byte for byte, with every kernel on, all off and each one off (FIVEXX_WASM, wasm-asm.ts),
// on the bundled samples and on generated and damaged combined and nginx error logs.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CommandIo } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';
import { combinedLine, lines, nginxErrorLine } from '../src/sources/kernel-lines.ts';

const SAMPLE = fileURLToPath(new URL('../samples/nginx-composite', import.meta.url));

async function analyze(setting: string, paths: string[]): Promise<string> {
  const before = process.env.FIVEXX_WASM;
  process.env.FIVEXX_WASM = setting;
  try {
    let out = '';
    const io: CommandIo = { out: (t) => void (out += t), warn: () => undefined, fail: (c, m) => { out += `${c}: ${m}`; return 2; }, color: false };
    const code = await main(['analyze', '--json', ...paths], io);
    return `${code}\n${out}`;
  } finally {
    if (before === undefined) delete process.env.FIVEXX_WASM;
    else process.env.FIVEXX_WASM = before;
  }
}

test('every kernel on, all off, or one off: the same analysis', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-kernels-'));
  writeFileSync(join(dir, 'access.log'), lines(41, 20_000, combinedLine).join('\n') + '\n');
  writeFileSync(join(dir, 'error.log'), lines(43, 8_000, nginxErrorLine).join('\n') + '\n');
  for (const paths of [[SAMPLE], [join(dir, 'access.log'), join(dir, 'error.log')], [join(dir, 'error.log')]]) {
    const on = await analyze('', paths);
    assert.ok(on.length > 200, on);
    for (const setting of ['off', 'off:combined', 'off:quiet', 'off:newline', 'off:error-head', 'off:error-run']) {
      assert.equal(await analyze(setting, paths), on, `FIVEXX_WASM=${setting} on ${paths.join(' ')}`);
    }
  }
});
