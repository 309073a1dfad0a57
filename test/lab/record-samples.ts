// Records lab runs into samples/ (the README's sample data): node test/lab/record-samples.ts [scenario…]
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Lab } from './lab.ts';
import { SCENARIOS } from './scenarios.ts';

const OUT = fileURLToPath(new URL('../../samples/', import.meta.url));
const names = process.argv.slice(2).length ? process.argv.slice(2) : ['composite'];
for (const name of names) {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  const lab = await Lab.create(s.name, s.config);
  try {
    await s.run(lab);
  } finally {
    await lab.stopAll();
  }
  const dir = join(OUT, `nginx-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of [lab.logs.access, lab.logs.error, lab.logs.app, lab.logs.fpm, lab.logs.deploy]) {
    if (existsSync(f)) copyFileSync(f, join(dir, basename(f)));
  }
  lab.remove();
  console.log(`recorded ${name} into ${dir}`);
}
