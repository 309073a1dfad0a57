// Re-scores kept lab runs (FIVEXX_LAB_KEEP=1) from a subset of their logs, as operators who lack a log have
// them: node test/lab/score-logs.ts without-error|combined DIR… (the gateway's error log left out, or the
// combined access log, with no upstream fields, read instead of the lab's own format).
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runAnalysis } from '../../src/engine/run-analysis.ts';
import { BREADTH_SCENARIOS } from './scenarios-breadth.ts';
import { APACHE_SCENARIOS, APP_SERVER_SCENARIOS, CADDY_SCENARIOS, DEPENDENCY_SCENARIOS, HAPROXY_SCENARIOS, KERNEL_SCENARIOS, MORE_APP_SCENARIOS, MORE_SCENARIOS, SCENARIOS, VARNISH_SCENARIOS } from './scenarios.ts';

const all = [...SCENARIOS, ...MORE_SCENARIOS, ...APACHE_SCENARIOS, ...HAPROXY_SCENARIOS, ...APP_SERVER_SCENARIOS, ...CADDY_SCENARIOS,
  ...VARNISH_SCENARIOS, ...DEPENDENCY_SCENARIOS, ...MORE_APP_SCENARIOS, ...KERNEL_SCENARIOS, ...BREADTH_SCENARIOS];
const [mode, ...dirs] = process.argv.slice(2);
const access = mode === 'combined' ? 'access.combined.log' : 'access.log';
const files = mode === 'without-error' ? [access, 'app.log', 'php-fpm.log', 'kern.log'] : [access, 'error.log', 'app.log', 'php-fpm.log', 'kern.log'];
for (const dir of dirs) {
  const name = /^fivexx-lab-(.+)-[A-Za-z0-9]{6}$/.exec(basename(dir))?.[1] ?? '';
  const s = all.find((x) => x.name === name);
  const exp = s?.expect[0];
  const paths = files.map((f) => join(dir, 'logs', f)).filter((p) => existsSync(p));
  const out = await runAnalysis({ paths, forced: new Map(), extraFormats: [], changes: [], tz: undefined, since: undefined, until: undefined, gapMs: 120_000, triggerWindowMs: 1_800_000 });
  if (!out.ok) {
    console.log(`${name}\tERROR\t${out.error}`);
    continue;
  }
  const got = out.analysis.incidents.map((i) => `${i.cause}${JSON.stringify(i.statuses)}`).join(' ');
  const ok = out.analysis.incidents.some((i) => i.cause === exp?.cause);
  console.log(`${name}\t${ok ? 'RIGHT' : 'WRONG'}\texpect ${exp?.cause ?? '?'}\tgot ${got || 'none'}`);
}
