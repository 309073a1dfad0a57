import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { REAL_HOST } from '../incident/types.ts';
import { parseRunbookConfig } from './config.ts';
import { discover } from './discover.ts';
import { renderRunbook } from './render-runbook.ts';
import { makeHost } from './test-host.ts';

test('the runbook holds contacts, links, health checks, restart commands, log places and rollback', async () => {
  const root = makeHost({ 'etc/nginx/sites-enabled/evil': 'server { access_log "/var/log/nginx/\u001b[31mred|x`.log"; }\n' });
  const parsed = parseRunbookConfig('site: shop\ncontacts:\n  - name: Ana\n    phone: "+1 555"\n  - name: "<img src=x onerror=alert(1)>"\ndashboards:\n  - name: Grafana\n    url: https://grafana.example.com/d/1\nstatus_page: https://status.example.com\nhealth:\n  - name: api\n    url: http://127.0.0.1:3000/healthz\napp:\n  service: shop\n', 'rb.yaml');
  assert.ok('config' in parsed);
  const roots = { ...REAL_HOST, etc: join(root, 'etc'), varLog: join(root, 'var/log'), run: join(root, 'run'), appParents: [join(root, 'srv')] };
  const md = renderRunbook(parsed.config, await discover(roots, parsed.config), new Date('2026-11-27T12:00:00Z'));
  assert.match(md, /^# Runbook: shop$/m);
  assert.match(md, /\| Ana \|  \| \+1 555 \|/);
  assert.match(md, /\[Grafana\]\(https:\/\/grafana\.example\.com\/d\/1\)/);
  assert.match(md, /`fivexx incident --url http:\/\/127\.0\.0\.1:3000\/healthz --app .*\/srv\/shop`/);
  assert.match(md, /Reload \(keeps connections\): `nginx -t && nginx -s reload`/);
  assert.match(md, /`apache2ctl configtest && apache2ctl graceful`/);
  assert.match(md, /\| `\/var\/log\/haproxy\.log` \| log \(through rsyslog\) \|/);
  assert.match(md, /HTTP health check in backend app: GET \/healthz/);
  assert.match(md, /`git -C .*\/srv\/shop revert --no-edit HEAD`, then `service shop restart`/);
  assert.ok(!md.includes('\u001b'), 'no raw control character from a config');
  assert.match(md, /\\x1b\[31mred\|x'\.log/);
  assert.match(md, /\| &lt;img src=x onerror=alert\(1\)&gt; \|/);
  assert.ok(!md.includes('<img'), 'no HTML from the config reaches the Markdown');
});
