// Writes the README's example again from a real run of its command (`fivexx analyze samples/nginx-composite`,
// from the sources, without colours): the text between the example markers. `--check` only compares.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const START = '<!-- example: the output of `fivexx analyze samples/nginx-composite`, written by `node scripts/readme-example.ts` -->';
export const END = '<!-- end of example -->';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const README = `${ROOT}README.md`;

/** The example block as a run gives it now. */
export function exampleBlock(): string {
  const r = spawnSync(process.execPath, ['src/cli/bin.ts', 'analyze', 'samples/nginx-composite'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000,
  });
  if (r.status !== 1) throw new Error(`the example run exited ${String(r.status)}, not 1: ${r.stderr}`);
  return `${START}\n\`\`\`text\n${r.stdout}\`\`\`\n${END}`;
}

/** The README's current example block (markers included), or undefined without markers. */
export function readmeBlock(text: string): string | undefined {
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  return a < 0 || b < a ? undefined : text.slice(a, b + END.length);
}

if (import.meta.main) {
  const text = readFileSync(README, 'utf8');
  const old = readmeBlock(text);
  if (!old) throw new Error(`README.md has no example markers (${START} … ${END})`);
  const now = exampleBlock();
  if (process.argv.includes('--check')) {
    console.log(old === now ? 'README example: up to date' : 'README example: differs from a run (node scripts/readme-example.ts)');
    process.exitCode = old === now ? 0 : 1;
  } else {
    writeFileSync(README, text.replace(old, now));
    console.log(old === now ? 'README example: already up to date' : 'README example: written from a run');
  }
}
