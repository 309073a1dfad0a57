// npm's `prepare` step (npm ci, npm install, npm link, and npx, which links this clone into its cache
// and prepares it again): builds dist/ with tsc and after-build.ts on Node.js 24. Plain JavaScript any
// Node.js since 18 runs, so that a machine whose own Node.js is older gets one line saying what to do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const byNpx = process.env.npm_command === 'exec';
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

if (byNpx && existsSync(join(root, 'dist', 'cli', 'bin.js'))) process.exit(0); // built by npm ci already

if (Number(process.versions.node.split('.')[0]) < 24 || !existsSync(tsc)) {
  process.stderr.write(
    `fivexx: FIVEXX_NOT_BUILT: building fivexx needs Node.js 24 and the dev dependencies (this is Node.js ${process.version}` +
      `${existsSync(tsc) ? '' : ', without node_modules'}): run \`npm ci\` in ${root}, which installs both\n`,
  );
  // Under npx a failed prepare leaves a broken entry in npm's npx cache that fails every later call:
  // succeed, and let the command itself say the same line.
  process.exit(byNpx ? 0 : 1);
}
for (const args of [[tsc, '-p', 'tsconfig.build.json'], ['scripts/after-build.ts']]) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
