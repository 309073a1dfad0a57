// Runs one lab scenario by name and keeps its logs: node test/lab/try.ts refused
import { Lab } from './lab.ts';
import { BREADTH_SCENARIOS } from './scenarios-breadth.ts';
import { APACHE_SCENARIOS, APP_SERVER_SCENARIOS, CADDY_SCENARIOS, DEPENDENCY_SCENARIOS, HAPROXY_SCENARIOS, KERNEL_SCENARIOS, LIFECYCLE_SCENARIOS, MORE_APP_SCENARIOS, MORE_SCENARIOS, SCENARIOS, VARNISH_SCENARIOS } from './scenarios.ts';

const name = process.argv[2] ?? 'refused';
const s = [...SCENARIOS, ...MORE_SCENARIOS, ...APACHE_SCENARIOS, ...HAPROXY_SCENARIOS, ...APP_SERVER_SCENARIOS, ...CADDY_SCENARIOS, ...VARNISH_SCENARIOS, ...DEPENDENCY_SCENARIOS, ...MORE_APP_SCENARIOS, ...KERNEL_SCENARIOS, ...LIFECYCLE_SCENARIOS, ...BREADTH_SCENARIOS].find((x) => x.name === name);
if (!s) throw new Error(`no scenario ${name}`);
const lab = await Lab.create(s.name, s.config);
try {
  const out = await s.run(lab);
  const counts: Record<string, number> = {};
  for (const o of out) counts[o.status] = (counts[o.status] ?? 0) + 1;
  console.log(JSON.stringify(counts), lab.dir);
} finally {
  await lab.stopAll();
}
