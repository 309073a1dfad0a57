import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChangeEvent, ChangeKind, Layer, Producer } from '../events/types.ts';
import { findTrigger, FIT_RULES, incidentTrigger, type CauseRef } from './trigger.ts';

const ONSET = Date.UTC(2026, 10, 22, 20, 26, 25);
const WINDOW = 30 * 60_000;

function change(kind: ChangeKind, secondsBefore: number, producer?: Producer, ref = 'abc1234'): ChangeEvent {
  return { kind, time: ONSET - secondsBefore * 1000, ref, text: `${kind} shop ref=${ref}`, source: 'deploy.log', line: 1, ...(producer ? { producer } : {}) };
}

function cause(id: string): CauseRef {
  return { id, layer: id.split('.')[0] as Layer };
}

/** The fit of one change 10 s before the onset of an incident of `causeId`, or 'none'. */
function fit(kind: ChangeKind, causeId: string, producer?: Producer): string {
  return findTrigger([change(kind, 10, producer)], ONSET, WINDOW, cause(causeId))?.fit ?? 'none';
}

test('rule: a deploy before an application exception fits strongly', () => {
  assert.equal(fit('deploy', 'app.exception'), 'strong');
  assert.equal(fit('deploy', 'app.crash'), 'strong');
});

test('rule: a deploy before a database error or an upstream timeout is plausible (new code)', () => {
  assert.equal(fit('deploy', 'dependency.database'), 'plausible');
  assert.equal(fit('deploy', 'upstream.timeout'), 'plausible');
});

test('rule: a rollback before an exception is plausible, never strong, and explains no refused connection', () => {
  assert.equal(fit('rollback', 'app.exception'), 'plausible');
  assert.equal(fit('rollback', 'upstream.refused'), 'none');
});

test('rule: a git commit (change) before an exception is plausible', () => {
  assert.equal(fit('change', 'app.exception'), 'plausible');
  assert.equal(fit('change', 'upstream.refused'), 'none');
});

test('rule: a config reload before a gateway error fits strongly', () => {
  assert.equal(fit('reload', 'gateway.config'), 'strong');
  assert.equal(fit('config', 'gateway.rate_limited'), 'strong');
  assert.equal(fit('config', 'app.config'), 'strong');
});

test('rule: a config change before a refused or missing upstream is plausible (a wrong address)', () => {
  assert.equal(fit('config', 'upstream.refused'), 'plausible');
  assert.equal(fit('reload', 'upstream.socket_missing'), 'plausible');
  assert.equal(fit('reload', 'dependency.database'), 'none');
});

test('rule: a restart before refused connections fits strongly', () => {
  assert.equal(fit('restart', 'upstream.refused'), 'strong');
  assert.equal(fit('restart', 'upstream.premature_close'), 'strong');
  assert.equal(fit('restart', 'upstream.refused', 'php-fpm'), 'strong', "the app server's own restart marker");
});

test('rule: a restart before an upstream timeout or an app error is plausible', () => {
  assert.equal(fit('restart', 'upstream.timeout'), 'plausible');
  assert.equal(fit('restart', 'app.exception'), 'plausible');
  assert.equal(fit('restart', 'dependency.database'), 'none');
});

test('rule: the gateway restarting explains its own errors, not a refused upstream', () => {
  assert.equal(fit('restart', 'gateway.overloaded', 'nginx'), 'plausible');
  assert.equal(fit('restart', 'upstream.refused', 'nginx'), 'none', 'nginx starting does not stop the app');
  assert.equal(fit('restart', 'gateway.overloaded'), 'none', 'a restart in a changes log is of the app');
});

test('every rule is exercised above: each names kinds and causes that exist', () => {
  assert.equal(FIT_RULES.length, 9, 'a new rule gets its own test');
  for (const r of FIT_RULES) assert.ok(r.kinds.length > 0 && r.causes.length > 0 && r.reason.length > 10);
});

test('the README sample: the deploy triggers the exceptions; the rollback is not blamed for the refused connections', () => {
  const deploy = { ...change('deploy', 1.176, undefined, 'a1b2c3d') };
  const rollback = { ...change('rollback', -1.241, undefined, '9f8e7d6') };
  const nginxStart = { ...change('restart', 3, 'nginx', ''), source: 'error.log' };
  const all = [nginxStart, deploy, rollback];
  const bug = incidentTrigger(all, ONSET, WINDOW, cause('app.exception'));
  assert.equal(bug?.kind, 'deploy');
  assert.equal(bug?.ref, 'a1b2c3d');
  assert.equal(bug?.fit, 'strong');
  assert.equal(bug?.confidence, 0.9);
  const refusedOnset = ONSET + 4000;
  assert.equal(incidentTrigger(all, refusedOnset, WINDOW, cause('upstream.refused')), null);
  const restart = change('restart', -3.5, undefined, '');
  assert.equal(incidentTrigger([...all, restart], refusedOnset, WINDOW, cause('upstream.refused'))?.kind, 'restart');
});

test('the best fit wins over the latest change; among equal fits the latest wins', () => {
  const t = findTrigger([change('deploy', 120), change('restart', 5)], ONSET, WINDOW, cause('app.exception'));
  assert.equal(t?.kind, 'deploy', 'a strong deploy beats a plausible restart that came later');
  const u = findTrigger([change('deploy', 120, undefined, 'old'), change('deploy', 30, undefined, 'new')], ONSET, WINDOW, cause('app.exception'));
  assert.equal(u?.ref, 'new');
});

test('confidence fades with the time before onset, to half at the window start; nothing outside the window', () => {
  assert.equal(findTrigger([change('deploy', 60)], ONSET, WINDOW, cause('app.exception'))?.confidence, 0.9);
  assert.equal(findTrigger([change('deploy', WINDOW / 1000)], ONSET, WINDOW, cause('app.exception'))?.confidence, 0.45);
  const mid = findTrigger([change('deploy', 900)], ONSET, WINDOW, cause('app.exception'))?.confidence ?? 0;
  assert.ok(mid < 0.9 && mid > 0.45, String(mid));
  assert.equal(findTrigger([change('deploy', WINDOW / 1000 + 1)], ONSET, WINDOW, cause('app.exception')), undefined);
});

test('a change just after onset counts (clock skew) only when none fitting came before, and with less confidence', () => {
  const after = change('deploy', -1);
  assert.equal(findTrigger([after], ONSET, WINDOW, cause('app.exception'))?.confidence, 0.72);
  assert.equal(findTrigger([after, change('deploy', 300, undefined, 'before')], ONSET, WINDOW, cause('app.exception'))?.ref, 'before');
  assert.equal(findTrigger([change('deploy', -3)], ONSET, WINDOW, cause('app.exception')), undefined);
});
