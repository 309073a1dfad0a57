// Real nginx, Node.js and PHP-FPM on 127.0.0.1 with real faults; fivexx must name the cause, layer, onset and trigger.
import assert from 'node:assert/strict';
import { accessSync, constants, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { loadCauses } from '../../src/catalog/causes.ts';
import { loadTerminationRules, terminationRule } from '../../src/catalog/termination-states.ts';
import { haproxyHttp } from '../../src/parse/haproxy.ts';
import type { Analysis } from '../../src/events/analysis.ts';
import { analyzeLab } from './analyze-lab.ts';
import type { Outcome } from './http-driver.ts';
import { hasGateway, hasPhpFpm, hasTool, Lab } from './lab.ts';
import { breadthScenarios } from './scenarios-breadth.ts';
import { APACHE_SCENARIOS, APP_SERVER_SCENARIOS, CADDY_SCENARIOS, DEPENDENCY_SCENARIOS, HAPROXY_SCENARIOS, KERNEL_SCENARIOS, LIFECYCLE_SCENARIOS, MORE_APP_SCENARIOS, MORE_SCENARIOS, SCENARIOS, VARNISH_SCENARIOS, type Scenario } from './scenarios.ts';

const catalog = loadCauses();
// HAProxy and Apache stamp a request when it starts, the driver when it ends: allow for retries.
const ONSET_TOLERANCE_MS = 4000;

function canWrite(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function requireTool(ok: boolean, name: string): boolean {
  if (ok) return true;
  if (process.env.CI) assert.fail(`${name} is not installed, and CI must run the real-server lab (see .ci/run)`);
  return false;
}

/** Each quoted evidence line is really at that place in that file. */
function checkEvidence(a: Analysis): void {
  for (const i of a.incidents) {
    for (const e of i.evidence) {
      const line = readFileSync(e.source, 'utf8').split('\n')[e.line - 1] ?? '';
      assert.ok(line.startsWith(e.text.replace(/…$/, '')), `evidence ${e.source}:${e.line} is not that line: ${e.text.slice(0, 100)}`);
    }
  }
}

function checkScenario(s: Scenario, a: Analysis, outcomes: Outcome[]): void {
  for (const exp of s.expect) {
    const inc = a.incidents.find((i) => i.cause === exp.cause);
    assert.ok(inc, `${s.name}: expected an incident ${exp.cause}, got ${a.incidents.map((i) => i.cause).join(', ') || 'none'}`);
    assert.equal(inc.layer, exp.layer);
    assert.ok((inc.statuses[String(exp.status)] ?? 0) > 0, `${s.name}: ${exp.cause} should count ${exp.status}s: ${JSON.stringify(inc.statuses)}`);
    const first = outcomes.find((o) => o.status === exp.status);
    assert.ok(first !== undefined, `${s.name}: the driver saw no ${exp.status}`);
    // A log stamps a request when it starts (Apache, HAProxy) or ends (nginx): the onset is measured from
    // the nearer end of the first failed request, which under load may take seconds.
    const onset = Date.parse(inc.start);
    const onsetGap = onset >= first.sent && onset <= first.at ? 0 : Math.min(Math.abs(onset - first.sent), Math.abs(onset - first.at));
    assert.ok(onsetGap <= ONSET_TOLERANCE_MS, `${s.name}: onset ${inc.start} is ${onsetGap} ms from the first ${exp.status} (sent ${new Date(first.sent).toISOString()}, ended ${new Date(first.at).toISOString()})`);
    const cause = catalog.byId.get(exp.cause);
    const byState = (text: string): boolean => {
      const ev = haproxyHttp.parse(text, 0, 0);
      return ev !== undefined && terminationRule(loadTerminationRules(), ev)?.cause === exp.cause;
    };
    /** A JSON log line proves by its message, a text line by itself. */
    const message = (text: string): string => {
      try {
        const o = JSON.parse(text) as { msg?: unknown };
        return typeof o.msg === 'string' ? o.msg : text;
      } catch {
        return text;
      }
    };
    const varnishTag = (text: string): string => text.replace(/^-{1,3}\s+(\w+)\s+/, '$1: ');
    const proves = inc.evidence.some((e) => cause?.patterns.some((p) => p.regex.test(message(e.text)) || p.regex.test(e.text) || p.regex.test(varnishTag(e.text))) ||
      byState(e.text) || e.text.includes('"status":500') || e.text.includes('"level":50'));
    assert.ok(proves, `${s.name}: no evidence line proves ${exp.cause}: ${JSON.stringify(inc.evidence)}`);
  }
  checkEvidence(a);
}

for (const s of [...SCENARIOS, ...MORE_SCENARIOS, ...APACHE_SCENARIOS, ...HAPROXY_SCENARIOS, ...APP_SERVER_SCENARIOS, ...CADDY_SCENARIOS, ...VARNISH_SCENARIOS, ...DEPENDENCY_SCENARIOS, ...MORE_APP_SCENARIOS, ...KERNEL_SCENARIOS, ...LIFECYCLE_SCENARIOS,
  ...breadthScenarios(process.env.FIVEXX_LAB_BREADTH === '1')]) {
  test(`lab ${s.name}: ${s.what}`, { timeout: 120_000 }, async (t) => {
    const gateway = s.config.gateway ?? 'nginx';
    if (!requireTool(hasGateway(gateway), gateway)) return t.skip(`${gateway} is not installed`);
    if (s.needsPhp && !requireTool(hasPhpFpm(), 'php-fpm')) return t.skip('php-fpm is not installed');
    for (const tool of s.tools ?? []) if (!requireTool(hasTool(tool), tool)) return t.skip(`${tool} is not installed`);
    for (const w of s.writable ?? []) if (!canWrite(w)) return t.skip(`${w} is not writable here (a kernel feature, not a package)`);
    const lab = await Lab.create(s.name, s.config);
    try {
      const outcomes = await s.run(lab);
      await lab.stopAll();
      const a = await analyzeLab(lab);
      checkScenario(s, a, outcomes);
      if (s.name === 'composite') {
        const bug = a.incidents.find((i) => i.cause === 'app.exception');
        assert.equal(bug?.trigger?.ref, 'a1b2c3d', 'the buggy deploy triggered the 500s');
        assert.equal(bug?.trigger?.kind, 'deploy');
        assert.equal(bug?.trigger?.fit, 'strong', 'a deploy before exceptions fits strongly');
        assert.ok(a.incidents.length >= 2);
        const down = a.incidents.find((i) => i.cause === 'upstream.refused');
        assert.equal(down?.trigger, null, 'neither the rollback nor nginx starting explains the refused connections (the app was stopped)');
      }
      if (s.name === 'rollback-restart') {
        const bug = a.incidents.find((i) => i.cause === 'app.exception');
        assert.deepEqual([bug?.trigger?.kind, bug?.trigger?.ref, bug?.trigger?.fit], ['rollback', '9f8e7d6', 'plausible'], 'the rollback stays a rollback');
        const down = a.incidents.find((i) => i.cause === 'upstream.refused');
        assert.deepEqual([down?.trigger?.kind, down?.trigger?.fit], ['restart', 'strong'], 'the restart, not the rollback, explains the refused connections');
      }
      if (s.name === 'crash-loop') {
        const crash = a.incidents.find((i) => i.cause === 'app.crash');
        assert.equal(a.sources.find((x) => x.path === lab.logs.app)?.format, 'app-text', 'untimed console output is read as app text');
        assert.deepEqual(crash?.lifecycle, { crashes: 3, restarts: 3, placement: 'inferred' }, 'three crashes, each followed by a start banner, placed by order');
        // The request that crashed it is closed (or, under load, reset); those that came while it restarted are refused.
        const symptoms = crash?.symptoms?.map((x) => x.cause) ?? [];
        assert.ok(symptoms.includes('upstream.refused') && symptoms.some((c) => c === 'upstream.premature_close' || c === 'upstream.reset'), `the refused and closed connections are its symptoms: ${symptoms.join(', ')}`);
        assert.ok(crash?.evidence.some((e) => e.placement === 'inferred' && e.source === lab.logs.app), 'the untimed crash line is quoted, marked inferred');
        assert.deepEqual([crash?.trigger?.kind, crash?.trigger?.ref], ['deploy', 'c0ffee1'], 'the deploy that shipped the crashing code');
      }
      if (s.name === 'premature-close') {
        const inc = a.incidents.find((i) => i.cause === 'upstream.premature_close');
        assert.ok((inc?.truncated ?? 0) > 0, 'truncated 200s from a mid-body death count in the incident');
      }
      if (s.name === 'caddy-socket-missing') {
        const errorLogOnly = await analyzeLab(lab, { errorOnly: true });
        assert.equal(errorLogOnly.incidents[0]?.cause, 'upstream.socket_missing', "Caddy's error log alone: its lines are the failures");
      }
      if (s.name === 'proxy-loop') {
        assert.deepEqual(a.incidents.map((i) => i.cause), ['gateway.overloaded'], 'the resets nginx causes itself are part of the overload');
      }
      if (s.name === 'varnish-gunicorn-boot-failure') {
        const noVarnishlog = await analyzeLab(lab, { withoutError: true });
        assert.equal(noVarnishlog.incidents[0]?.cause, 'app.startup', "varnishncsa's bare 503s and Gunicorn's boot failure: the app did not start");
      }
      if (s.name === 'refused') {
        const only = await analyzeLab(lab, { accessOnly: true });
        assert.equal(only.incidents[0]?.cause, 'upstream.refused', 'access-only: $upstream_status and timings prove a refused connect');
        assert.ok((only.incidents[0]?.confidence ?? 1) < 0.9, 'access-only evidence is weaker');
        const combined = await analyzeLab(lab, { accessOnly: true, combined: true });
        assert.equal(combined.incidents[0]?.cause, 'upstream.unexplained', 'combined format alone cannot name the cause');
      }
    } finally {
      await lab.stopAll();
      lab.remove();
    }
  });
}
