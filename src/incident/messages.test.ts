import assert from 'node:assert/strict';
import { test } from 'node:test';
import { draftMessages } from './communicate.ts';
import { fromProbe, type Headline } from './headline.ts';
import { renderPostmortem } from './postmortem.ts';
import { planRollback, type RollbackInput } from './rollback.ts';

const H: Headline = {
  cause: 'upstream.refused', layer: 'upstream', title: 'The upstream refuses connections', statuses: [['502', 40]],
  start: '2026-11-20T14:02:09Z', end: '2026-11-20T14:09:41Z', requests: 40, share: 0.25, paths: [['/api/orders', 30], ['/cart', 10]],
  upstreams: [['127.0.0.1:3000', 40]], hosts: [], summary: 'Nothing listens there.', source: 'logs',
};

test('messages: plain words, the time, the pages and the share; a calm default when nothing is known', () => {
  const m = draftMessages(H);
  assert.equal(m.statusPage, 'Identified: Since 14:02 UTC, some requests to our site (/api/orders, /cart) fail with an error page. About 25% of requests failed in that period. The cause is found: our web server could not get answers from the application behind it. We are restoring service now and will post an update within 30 minutes.');
  assert.match(m.customer, /^Hello, between 14:02 UTC and 14:09 UTC some pages of our site \(\/api\/orders, \/cart\) showed an error page/);
  assert.match(m.customer, /not made twice/);
  assert.doesNotMatch(m.customer + m.statusPage, /upstream\.refused|502/);
  assert.match(draftMessages(fromProbe({ layer: null, cause: null, status: 200, responder: 'app', confidence: 1, summary: 'ok', nextSteps: [] }, H.start ?? '')).statusPage, /^Investigating/);
});

test('post-mortem: the sections, the numbers, the timeline in order, evidence escaped, the rollback', () => {
  const md = renderPostmortem({
    headline: H, evidence: [{ source: 'error.log', line: 7, text: 'connect() failed \u001b[2J`x`' }], trigger: 'deploy abc123 at 14:02:07Z',
    timeline: [{ at: '2026-11-20T14:02:09Z', what: 'first 502' }, { at: '2026-11-20T14:02:07Z', what: 'deploy abc123' }],
    rollback: { change: 'commit abc123', at: '2026-11-20T14:02:07Z', commands: ['git -C /srv/shop revert --no-edit abc123'], then: 'restart the app', note: 'reverts the deploy' },
    nextSteps: ['Start the app.'], detectedAt: '2026-11-20T14:12:00Z', totalRequests: 160,
  });
  const sections = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
  assert.deepEqual(sections, ['Summary', 'Impact', 'Timeline (UTC)', 'Root cause and trigger', 'Detection', 'Resolution', 'Action items']);
  assert.match(md, /\*\*Failed requests:\*\* 40 of 160 read in the logs \(502 \(40\)\)/);
  assert.match(md, /\*\*Share of traffic in the incident window:\*\* 25%/);
  assert.match(md, /\*\*Duration:\*\* .* \(8 min\)/);
  assert.match(md, /- 2026-11-20 14:02:07: deploy abc123\n- 2026-11-20 14:02:09: first 502/);
  assert.match(md, /error\.log:7: connect\(\) failed \\x1b\[2J'x'/);
  assert.match(md, /```sh\ngit -C \/srv\/shop revert --no-edit abc123\n```\n\nThen restart the app\./);
  assert.match(md, /10 min later/);
  assert.match(md, /- \[ \] Start the app\./);
});

test('rollback: the latest change before onset first (a commit by when it was pulled); changes after onset, before the window or of the deploy folder itself left out', () => {
  const at = (min: number): string => new Date(Date.parse('2026-11-20T14:00:00Z') + min * 60_000).toISOString();
  const input: RollbackInput = {
    onset: Date.parse(at(0)), from: Date.parse(at(-60)), services: [{ unit: 'nginx', kind: 'nginx', config: '/etc/nginx' }], systemd: true, etcGit: '/etc', trigger: null,
    deploy: { dir: '/srv/shop', kind: 'git', releases: [], lockfiles: [], commits: [
      { sha: 'c'.repeat(40), parent: 'b'.repeat(40), at: at(5), deployedAt: null, subject: 'after onset' },
      { sha: 'b'.repeat(40), parent: 'a'.repeat(40), at: at(-600), deployedAt: at(-2), subject: 'the bad one' },
      { sha: 'a'.repeat(40), parent: null, at: at(-900), deployedAt: null, subject: 'old' },
    ] },
    files: [{ path: '/etc/nginx/conf.d/x.conf', at: at(-10), backup: null }, { path: '/srv/shop/app.js', at: at(-2), backup: null }],
    apt: [{ at: at(-30), commandline: 'apt-get upgrade', action: 'Upgrade', packages: [{ name: 'php8.2-fpm', from: '8.2.7', to: '8.2.26' }] }],
  };
  const plans = planRollback(input);
  assert.deepEqual(plans.map((p) => p.change), ['commit bbbbbbbbbbbb "the bad one" in /srv/shop', '/etc/nginx/conf.d/x.conf changed', 'apt upgrade of php8.2-fpm']);
  assert.deepEqual(plans[0]?.commands.slice(0, 1), ['git -C /srv/shop revert --no-edit bbbbbbbbbbbb']);
  assert.equal(plans[0]?.at, at(-2), 'a commit made 10 hours ago but pulled 2 minutes before the onset is the deploy');
  assert.deepEqual(plans[1]?.commands, ['git -C /etc log -n 3 -- nginx/conf.d/x.conf', 'git -C /etc checkout HEAD~1 -- nginx/conf.d/x.conf', 'nginx -t && systemctl reload nginx']);
  assert.deepEqual(plans[2]?.commands, ['apt-get install --allow-downgrades php8.2-fpm=8.2.7']);
  const withTrigger = planRollback({ ...input, trigger: { kind: 'deploy', at: at(-2), ref: 'bbbbbbb', source: 'deploy.log', fit: 'strong', confidence: 0.9, reason: 'a deploy' } });
  assert.equal(withTrigger.length, 3, 'the trigger that is a known commit is not listed twice');
});
