// The docs point somewhere: every repository path the Markdown files name exists (and none points into
// ../shared, which a reader of the repository does not have), and every command and option the CLI
// accepts, read from the code's parseArgs options, is in the README.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { exampleBlock, readmeBlock } from '../scripts/readme-example.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', 'tmp']);
/** Copies kept word for word: docs/causes.md and docs/contract.md of shared/ (catalog.test.ts compares them), and the conformance README, whose paths are upstream's. */
const COPIES = new Set(['docs/causes.md', 'docs/contract.md', 'test/fixtures/conformance/README.md']);

function walk(dir: string, keep: (f: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : walk(p, keep);
    return keep(e.name) ? [p] : [];
  });
}

/** Paths a Markdown line names: `path/like` spans starting at a top-level folder, and relative links. */
export function namedPaths(line: string, tops: readonly string[]): string[] {
  const word = new RegExp(`(?<![\\w./-])((?:\\.\\./)?(?:${[...tops, 'shared'].map((t) => t.replace(/\./g, '\\.')).join('|')})/[A-Za-z0-9_.\\-/]{0,300}[A-Za-z0-9_])`, 'g');
  const spans = [...line.matchAll(/`([^`]{1,500})`/g)].map((m) => m[1] ?? '');
  const inSpans = spans.flatMap((s) => [...s.matchAll(word)].map((m) => m[1] ?? ''));
  const links = [...line.matchAll(/\]\(((?!https?:|#|mailto:)[^)#\s]{1,300})/g)].map((m) => m[1] ?? '');
  return [...inSpans, ...links].filter((p) => p !== '' && !/[*<>{}$]/.test(p));
}

test('every repository path named in the Markdown files exists, and none points into ../shared', () => {
  const tops = [...readdirSync(ROOT).filter((d) => !d.startsWith('.') && !SKIP_DIRS.has(d) && statSync(join(ROOT, d)).isDirectory()), '.ci'];
  const problems: string[] = [];
  for (const file of walk(ROOT, (f) => f.endsWith('.md'))) {
    const rel = relative(ROOT, file);
    if (COPIES.has(rel)) continue;
    readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
      for (const p of namedPaths(line, tops)) {
        if (/^(?:\.\.\/)?shared\//.test(p)) problems.push(`${rel}:${i + 1}: points outside the repository (../shared): ${p}`);
        else if (!existsSync(join(ROOT, p)) && !existsSync(normalize(join(dirname(file), p)))) problems.push(`${rel}:${i + 1}: no such path: ${p}`);
      }
    });
  }
  assert.deepEqual(problems, []);
});

test('the path finder sees code spans and links, and leaves globs and URLs alone', () => {
  const tops = ['src', 'docs', 'test'];
  assert.deepEqual(namedPaths('see `src/catalog/yaml-files.ts` and [the contract](docs/contract.md)', tops), ['src/catalog/yaml-files.ts', 'docs/contract.md']);
  assert.deepEqual(namedPaths('`../shared/reference/x.md`, `test/**/*.test.ts`, [web](https://example.com/src/a)', tops), ['../shared/reference/x.md']);
});

/** Each CLI source file's parseArgs options: the file's command (its base name) and `--name`s. */
export function cliOptions(): { file: string; command: string; options: string[] }[] {
  const files = walk(join(ROOT, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  return files.flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    if (!/\bparseArgs\(/.test(text)) return [];
    const names = [...text.matchAll(/(?:'([a-z][a-z0-9-]{0,40})'|\b([a-z][a-zA-Z0-9]{0,40}))\s*:\s*\{\s*type:\s*'(?:string|boolean)'/g)].map((m) => m[1] ?? m[2] ?? '');
    return [{ file: relative(ROOT, file), command: (file.split('/').pop() ?? '').replace(/\.ts$/, ''), options: [...new Set(names)].map((n) => `--${n}`) }];
  });
}

/** The README's section for a command: from its `### \`fivexx NAME` heading to the next heading of that level or above. */
function section(readme: string, command: string): string | undefined {
  const start = readme.search(new RegExp(`^### \`fivexx ${command}\\b`, 'm'));
  if (start < 0) return undefined;
  const rest = readme.slice(start + 4);
  const end = rest.search(/^##/m);
  return end < 0 ? rest : rest.slice(0, end);
}

test("every option each command accepts (its parseArgs options) is in the README, in that command's section", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const commands = cliOptions();
  assert.ok(commands.some((c) => c.command === 'analyze' && c.options.includes('--since')), 'the options are read from the code');
  const missing: string[] = [];
  for (const c of commands) {
    const where = section(readme, c.command) ?? readme;
    for (const o of c.options) {
      if (o === '--help') continue;
      if (!where.includes(`\`${o}`) && !new RegExp(`[\`, ]${o}\\b`).test(where)) missing.push(`${c.command} ${o} (${c.file})`);
    }
  }
  assert.deepEqual(missing, [], 'options missing from the README');
  assert.ok(readme.includes('`--help`'), 'the README says every command takes --help');
});

test('every command and top-level flag the CLI dispatches is in the README', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const main = readFileSync(join(ROOT, 'src', 'cli', 'main.ts'), 'utf8');
  const planned = new Set([...(/const PLANNED = new Set\(\[([^\]]*)\]\)/.exec(main)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]));
  const cases = [...main.matchAll(/case '([^']+)':/g)].map((m) => m[1] ?? '').filter((c) => !planned.has(c));
  assert.ok(cases.includes('analyze') && cases.includes('--version'));
  const missing = cases.filter((c) => !/^-[a-zA-Z]$/.test(c) && !(c.startsWith('--') ? readme.includes(`\`${c}`) || readme.includes(`fivexx ${c}`) : readme.includes(`fivexx ${c}`)));
  assert.deepEqual(missing, [], 'commands or flags missing from the README');
});

test("the README's example is the real output of its command (node scripts/readme-example.ts writes it again)", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = readmeBlock(readme);
  assert.ok(block, 'README.md has the example markers');
  assert.equal(block, exampleBlock(), 'the README example differs from a run: node scripts/readme-example.ts');
});
