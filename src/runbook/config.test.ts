import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRunbookConfig } from './config.ts';

const GOOD = `site: shop
app:
  dir: /srv/shop
  service: shop
contacts:
  - name: Ana Lopez
    role: on-call
    phone: "+44 20 7946 0000"
  - name: Ops channel
    chat: "#ops"
dashboards:
  - name: Grafana 5xx
    url: https://grafana.example.com/d/5xx
status_page: https://status.example.com
health:
  - name: api
    url: http://127.0.0.1:3000/healthz
`;

test('a valid config reads into typed values', () => {
  const r = parseRunbookConfig(GOOD, 'runbook.yaml');
  assert.ok('config' in r);
  assert.equal(r.config.site, 'shop');
  assert.equal(r.config.app?.dir, '/srv/shop');
  assert.deepEqual(r.config.contacts.map((c) => c.name), ['Ana Lopez', 'Ops channel']);
  assert.equal(r.config.statusPage, 'https://status.example.com');
  assert.deepEqual(r.config.health, [{ name: 'api', url: 'http://127.0.0.1:3000/healthz' }]);
  assert.deepEqual(parseRunbookConfig('', 'empty.yaml'), { config: { contacts: [], dashboards: [], health: [] } });
});

test('unknown keys, wrong types, bad URLs and missing names: errors with file:line:col', () => {
  const errs = (text: string): string[] => {
    const r = parseRunbookConfig(text, 'rb.yaml');
    return 'errors' in r ? r.errors : [];
  };
  assert.deepEqual(errs('site: shop\ncontact:\n  - name: x\n'), ["rb.yaml:2:1: unknown key 'contact' (expected site, app, contacts, dashboards, status_page, health)"]);
  assert.deepEqual(errs('contacts:\n  - name: Ana\n    pager: 123\n'), ["rb.yaml:3:5: contacts[0]: unknown key 'pager' (expected name, role, phone, email, chat)"]);
  assert.deepEqual(errs('dashboards:\n  - name: g\n    url: grafana\n'), ["rb.yaml:3:10: dashboards[0].url: expected an http:// or https:// URL, got 'grafana'"]);
  assert.deepEqual(errs('health:\n  - url: http://x/\n'), ["rb.yaml:2:5: health[0]: 'name' is required"]);
  assert.deepEqual(errs('contacts: Ana\n'), ['rb.yaml:1:11: contacts: expected a list']);
  assert.deepEqual(errs('- a\n'), ['rb.yaml:1:1: expected a mapping with keys site, app, contacts, dashboards, status_page, health']);
  assert.match(errs('site: [unclosed\n')[0] ?? '', /^rb\.yaml:\d+:\d+: /);
  assert.match(errs('site: a\nsite: b\n')[0] ?? '', /^rb\.yaml:2:1: .*[Uu]nique/);
});
