// Makes docs/pages-502.png and docs/pages-502-dark.png for the README: `node scripts/pages-screenshot.ts` (needs Debian's chromium).
import { fileURLToPath } from 'node:url';
import { screenshot } from '../src/pages/screenshot.ts';

const docs = fileURLToPath(new URL('../docs/', import.meta.url));
for (const [file, dark] of [['pages-502.png', false], ['pages-502-dark.png', true]] as const) {
  const failed = screenshot(502, docs + file, { dark, statusUrl: 'https://status.example.com/' });
  if (failed) {
    process.stderr.write(`pages-screenshot: ${failed}\n`);
    process.exit(1);
  }
  process.stdout.write(`wrote docs/${file}\n`);
}
