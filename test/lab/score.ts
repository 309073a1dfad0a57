// Scores lab scenarios: runs each, analyses its logs and prints whether fivexx named the expected cause and
// layer (right/wrong), without asserting. node test/lab/score.ts [name…] (default: the breadth scenarios).
import { analyzeLab } from './analyze-lab.ts';
import { hasGateway, hasPhpFpm, hasTool, Lab } from './lab.ts';
import { BREADTH_SCENARIOS } from './scenarios-breadth.ts';
import { APACHE_SCENARIOS, APP_SERVER_SCENARIOS, CADDY_SCENARIOS, DEPENDENCY_SCENARIOS, HAPROXY_SCENARIOS, KERNEL_SCENARIOS, MORE_APP_SCENARIOS, MORE_SCENARIOS, SCENARIOS, VARNISH_SCENARIOS } from './scenarios.ts';

const all = [...SCENARIOS, ...MORE_SCENARIOS, ...APACHE_SCENARIOS, ...HAPROXY_SCENARIOS, ...APP_SERVER_SCENARIOS, ...CADDY_SCENARIOS,
  ...VARNISH_SCENARIOS, ...DEPENDENCY_SCENARIOS, ...MORE_APP_SCENARIOS, ...KERNEL_SCENARIOS, ...BREADTH_SCENARIOS];
const names = process.argv.slice(2);
const chosen = names.length ? names.map((n) => all.find((s) => s.name === n) ?? (() => { throw new Error(`no scenario ${n}`); })()) : BREADTH_SCENARIOS;
let right = 0;
for (const s of chosen) {
  const gw = s.config.gateway ?? 'nginx';
  if (!hasGateway(gw) || (s.needsPhp && !hasPhpFpm()) || (s.tools ?? []).some((t) => !hasTool(t))) {
    console.log(`${s.name}\tSKIP`);
    continue;
  }
  const t0 = Date.now();
  const lab = await Lab.create(s.name, s.config);
  try {
    const out = await s.run(lab);
    await lab.stopAll();
    const a = await analyzeLab(lab);
    const seen: Record<string, number> = {};
    for (const o of out) seen[o.status] = (seen[o.status] ?? 0) + 1;
    const exp = s.expect[0];
    const inc = a.incidents.find((i) => i.cause === exp?.cause);
    const layerOk = a.incidents.some((i) => i.layer === exp?.layer);
    const ok = inc !== undefined && (inc.statuses[String(exp?.status)] ?? 0) > 0;
    if (ok) right++;
    const got = a.incidents.map((i) => `${i.cause}${JSON.stringify(i.statuses)}`).join(' ');
    console.log(`${s.name}\t${ok ? 'RIGHT' : 'WRONG'}\tlayer:${layerOk ? 'ok' : 'no'}\texpect ${exp?.cause} ${exp?.status}\tgot ${got || 'none'}\tdriver ${JSON.stringify(seen)}\t${((Date.now() - t0) / 1000).toFixed(1)}s\t${lab.dir}`);
  } catch (e) {
    console.log(`${s.name}\tERROR\t${e instanceof Error ? e.message : String(e)}\t${lab.dir}`);
  } finally {
    await lab.stopAll();
    if (!process.env.FIVEXX_LAB_KEEP) lab.remove();
  }
}
console.log(`right ${right} of ${chosen.length}`);
