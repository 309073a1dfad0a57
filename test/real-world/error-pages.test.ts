// The 40 real 5xx pages of ../shared/real-world/error-pages (never copied here): each replayed from a
// loopback server through `fivexx diagnose URL`, and read offline by `fivexx diagnose --page FILE`;
// the responder named must be the one SOURCES.md proves. Skips when ../shared is absent.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../../src/cli/main.ts';
import type { CommandIo } from '../../src/cli/io.ts';
import type { Diagnosis } from '../../src/probe/types.ts';
import { loadResponders } from '../../src/probe/responders.ts';
import { parseSavedPage } from '../../src/probe/saved-page.ts';
import { replayServer } from '../support/replay.ts';

const DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'real-world', 'error-pages');

async function run(args: string[]): Promise<Diagnosis> {
  let out = '';
  const io: CommandIo = { out: (t) => void (out += t), warn: () => undefined, fail: (code, m) => { throw new Error(`${code}: ${m}`); }, color: false };
  await main(['diagnose', '--json', ...args], io);
  return JSON.parse(out) as Diagnosis;
}

/** Right when the responder named is the expected one or of its family (openresty and Tengine are nginx builds). */
function right(named: string, expected: string): boolean {
  if (named === expected) return true;
  const family = (loadResponders().find((r) => r.id === named) as { family?: string } | undefined)?.family;
  return family === expected;
}

function pages(): { file: string; expected: string }[] {
  return readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((d) => readdirSync(join(DIR, d.name)).filter((f) => f.endsWith('.http')).sort().map((f) => ({ file: join(DIR, d.name, f), expected: d.name })));
}

test('real-world error pages: the responder is named right by diagnose URL and by diagnose --page', { timeout: 120_000 }, async (t) => {
  if (!existsSync(DIR)) {
    t.skip('../shared/real-world/error-pages is absent (a clone of the repository alone)');
    return;
  }
  const rows: string[] = [];
  let byUrl = 0;
  let byPage = 0;
  const list = pages();
  for (const { file, expected } of list) {
    const page = parseSavedPage(readFileSync(file, 'utf8'));
    const { port, server } = await replayServer(page);
    let live: Diagnosis;
    try {
      live = await run(['--timeout', '3s', `http://127.0.0.1:${port}/`]);
    } finally {
      server.close();
    }
    const offline = await run(['--page', file]).catch(() => undefined);
    const okUrl = right(live.verdict.responder, expected);
    const okPage = offline !== undefined && right(offline.verdict.responder, expected);
    byUrl += okUrl ? 1 : 0;
    byPage += okPage ? 1 : 0;
    rows.push(`${okUrl ? 'ok ' : 'BAD'} ${okPage ? 'ok ' : 'BAD'} ${expected.padEnd(10)} url=${live.verdict.responder} page=${offline?.verdict.responder ?? '-'}  ${file.slice(DIR.length + 1)}`);
  }
  t.diagnostic(`diagnose URL: ${byUrl}/${list.length} right; diagnose --page: ${byPage}/${list.length} right`);
  if (process.env.FIVEXX_REPORT) console.log([...rows, `URL ${byUrl}/${list.length}, --page ${byPage}/${list.length}`].join('\n'));
  assert.ok(byUrl >= 38, `diagnose URL names ${byUrl}/${list.length} right (target 38)\n${rows.join('\n')}`);
  assert.ok(byPage >= 38, `diagnose --page names ${byPage}/${list.length} right (target 38)\n${rows.join('\n')}`);
});
