// Compressed rotations (logrotate's compresscmd): gzip, zstd, xz and bzip2 files made by the system's
// own tools are told apart by their magic bytes and read like the plain file; a truncated one keeps
// what came before; a missing xz/bzip2 program is one line naming the package to install.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadFormats } from '../src/catalog/formats.ts';
import type { Analysis } from '../src/events/analysis.ts';
import { readSource } from '../src/sources/read-source.ts';
import { findProgram } from '../src/sources/decompress.ts';

const BIN = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'fivexx-compressed-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const formats = loadFormats();

const plain = join(tmp, 'access.log');
const LINES = 20_000;
writeFileSync(plain, Array.from({ length: LINES }, (_, i) =>
  `10.0.0.${i % 250} - - [22/Nov/2026:20:${String(10 + (i % 40)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /o/${i} HTTP/1.1" ${i % 97 === 0 ? 502 : 200} ${i} "-" "x"\n`).join(''));

/** The tools as logrotate's compresscmd runs them. */
const tools = { gzip: ['gzip', 'gz'], zstd: ['zstd', 'zst'], xz: ['xz', 'xz'], bzip2: ['bzip2', 'bz2'] } as const;

function compress(tool: string, ext: string): string {
  const out = `${plain}.1.${ext}`;
  const r = spawnSync(tool, ['-c', plain], { maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, `${tool}: ${String(r.stderr)}`);
  writeFileSync(out, r.stdout);
  return out;
}

async function read(path: string): Promise<{ events: number; lines: number; format: string; warnings: readonly string[] }> {
  let events = 0;
  const r = await readSource(path, 0, formats, undefined, { onAccess: () => void events++, onRecord: () => void events++ });
  return { events, lines: r.lines, format: r.format, warnings: r.warnings };
}

for (const [name, [tool, ext]] of Object.entries(tools)) {
  test(`a .${ext} rotation made by ${tool} reads like the plain file; cut short it keeps what came before`, { skip: !findProgram(tool) && `${tool} is not installed (apt-get install ${tool === 'xz' ? 'xz-utils' : tool})` }, async () => {
    const path = compress(tool, ext);
    assert.deepEqual(await read(path), { events: LINES, lines: LINES, format: 'combined', warnings: [] });
    // Through the CLI: the fast path scans the decompressed stream.
    const cli = spawnSync(process.execPath, [BIN, 'analyze', '--json', path], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(cli.status, 1, cli.stderr);
    assert.ok(cli.stdout.length > 0, `stdout of ${cli.status} ${cli.stderr} ${String(cli.error)}`);
    const a = JSON.parse(cli.stdout) as Analysis;
    assert.equal(a.totals.requests, LINES);

    const cut = `${path}.cut`;
    const bytes = readFileSync(path);
    // Past bzip2's first 900 kB block, so that something comes before the cut in every format.
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
    const r = await read(cut);
    assert.ok(r.lines > 100 && r.lines < LINES, `${name}: ${r.lines} lines before the cut`);
    assert.equal(r.warnings.length, 1, JSON.stringify(r.warnings));
    assert.match(r.warnings[0] ?? '', new RegExp(`^FIVEXX_COMPRESSED_TRUNCATED: truncated or corrupt ${name} data`));
  });
}

test('without xz or bzip2 on PATH: one line naming the package to install', { skip: !findProgram('xz') && 'xz is not installed' }, () => {
  for (const [tool, ext, pkg] of [['xz', 'xz', 'xz-utils'], ['bzip2', 'bz2', 'bzip2']] as const) {
    if (!findProgram(tool)) continue;
    const path = compress(tool, ext);
    const r = spawnSync(process.execPath, [BIN, 'analyze', path], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, PATH: '/nonexistent' } });
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `fivexx: FIVEXX_DECOMPRESSOR_MISSING: analyze: ${path}: ${tool}-compressed, and no '${tool}' program on PATH: install ${pkg} (apt-get install ${pkg}) to read it\n`);
  }
});
