#!/usr/bin/env node
// The installed `fivexx` command: runs the built dist/cli/bin.js on Node.js 24, re-started on the
// Node.js 24 that the package's `node` dependency brings when the `node` found first is older.
// Plain JavaScript that any Node.js since 18 can run, so an old one gets a clear message, not a crash.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NEEDED = 24;
const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const entry = join(root, 'dist', 'cli', 'bin.js');

/** One line on stderr in the shape of every fatal fivexx error, and exit 2 (bad input or usage). */
function fail(code, message) {
  process.stderr.write(`fivexx: ${code}: ${message}\n`);
  process.exit(2);
}

/** The Node.js binary of the `node` dependency (node_modules/node/bin/node), if installed. */
function bundledNode() {
  try {
    const bin = join(dirname(createRequire(import.meta.url).resolve('node/package.json')), 'bin', 'node');
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

if (!existsSync(entry)) {
  fail('FIVEXX_NOT_BUILT', `fivexx is not built (no ${entry}): run \`npm ci\` in ${root}`);
}
if (Number(process.versions.node.split('.')[0]) >= NEEDED) {
  await import(new URL('../dist/cli/bin.js', import.meta.url).href);
} else {
  const node = bundledNode();
  if (!node) {
    fail('FIVEXX_NODE_VERSION', `fivexx needs Node.js ${NEEDED}, this is ${process.version} and the package's \`node\` dependency is missing: run \`npm ci\` in ${root}`);
  }
  const r = spawnSync(node, [entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.error) fail('FIVEXX_NODE_VERSION', `cannot start ${node}: ${r.error.message}`);
  if (r.signal) process.kill(process.pid, r.signal);
  process.exitCode = r.status ?? 2;
}
