// The dashboard in a real Chromium against watch probing a real nginx in front of a real Node app: log in; the
// app stops and the target goes red with an incident naming upstream.refused at the app hop; a state change
// without the CSRF token is refused; the status page shows the outage and no internals; the app comes back
// and the incident resolves. The same on SQLite and on a real PostgreSQL the test starts. With
// FIVEXX_SCREENSHOTS=1 the SQLite run's screenshots go to docs/ (else a temporary folder).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { hashPassword } from '../../src/web/auth.ts';
import { settled } from '../../src/web/http-util.ts';
import { WatchServer } from '../../src/web/server.ts';
import { parseWatchConfig } from '../../src/watch/config.ts';
import { WatchService } from '../../src/watch/service.ts';
import { openPostgresStore } from '../../src/watch/store/postgres-store.ts';
import { openSqliteStore } from '../../src/watch/store/sqlite-store.ts';
import type { Store } from '../../src/watch/store/types.ts';
import { hasGateway, Lab } from '../lab/lab.ts';
import { pgForFile } from '../watch/pg-server.ts';
import { chromiumMissing, launchChromium } from './browser.ts';

const PASSWORD = 'correct horse battery staple';
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));

const skip = chromiumMissing() || (hasGateway('nginx') ? false : 'nginx is not installed');
const pgs = pgForFile(skip);
const KINDS = [{ kind: 'sqlite', skip }, { kind: 'postgres', skip: pgs.skip }] as const;

async function shot(page: Page, dir: string, name: string): Promise<void> {
  await page.screenshot({ path: join(dir, name), fullPage: false });
}

for (const { kind, skip: why } of KINDS) {
  test(`dashboard (${kind}): log in, see a stopped backend go red with its cause and hop, CSRF enforced, status page clean, then resolved`, { skip: why, timeout: 120_000 }, async (t) => {
    await dashboardRun(t, kind);
  });
}

async function dashboardRun(t: { after: (fn: () => Promise<void>) => void }, kind: (typeof KINDS)[number]['kind']): Promise<void> {
  const lab = await Lab.create('web');
  const data = mkdtempSync(join(tmpdir(), 'fivexx-web-data-'));
  const shots = process.env.FIVEXX_SCREENSHOTS === '1' && kind === 'sqlite' ? DOCS : mkdtempSync(join(tmpdir(), 'fivexx-web-shots-'));
  t.after(async () => {
    await lab.stopAll();
    rmSync(data, { recursive: true, force: true });
    if (shots !== DOCS) rmSync(shots, { recursive: true, force: true });
  });
  await lab.startApp();
  await lab.startGateway();
  const config = parseWatchConfig(`
targets:
  - name: shop
    url: http://127.0.0.1:${lab.port}/api/orders
    upstream: http://127.0.0.1:${lab.appPort}/api/orders
    interval: 300ms
    timeout: 2s
    group: Shop
  - name: blog
    url: http://127.0.0.1:${lab.port}/
    interval: 1s
    timeout: 2s
    group: Content
rules:
  consecutiveFailures: 2
  resolveAfter: 1s
users:
  - name: ops
    passwordHash: "${await hashPassword(PASSWORD)}"
`);
  const store: Store = kind === 'postgres' ? await openPostgresStore(await pgs.db('web')) : openSqliteStore(data);
  const watch = new WatchService(config, { store, dispatch: { backoffMs: 100 } });
  const server = new WatchServer(watch);
  const base = `http://127.0.0.1:${await server.listen(0)}`;
  watch.start();
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    await watch.stop();
    await server.close();
    await store.close();
  });
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  const csp: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) csp.push(m.text());
  });

  // Not logged in: the dashboard sends us to the login form; a wrong password stays there.
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login$/);
  await page.getByLabel('Name').fill('ops');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('alert').waitFor();
  await page.getByLabel('Name').fill('ops');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${base}/`);
  const shop = page.locator('tr[data-target="shop"]');
  await shop.locator('.badge.up').waitFor({ timeout: 15_000 });

  await lab.stopApp();
  await shop.locator('.badge.down').waitFor({ timeout: 20_000 });
  const openLink = page.locator('.open [data-incident] a').filter({ hasText: 'shop:' });
  await openLink.first().waitFor({ timeout: 10_000 });
  await shot(page, shots, 'watch-dashboard.png');
  await openLink.first().click();
  await page.waitForURL(/\/incidents\/\d+$/);
  const id = Number(/(\d+)$/.exec(page.url())?.[1]);
  assert.equal(await page.locator('code[data-cause]').first().textContent(), 'upstream.refused');
  assert.equal(await page.locator('.hop.failing').getAttribute('data-hop'), 'app');
  await page.getByText('Failed checks (kept responses)').waitFor();
  assert.match(await page.locator('pre.body').first().textContent() ?? '', /502 Bad Gateway/);
  assert.equal(await page.locator('.checklist li').count(), 8);

  // A state change without the CSRF token is refused; with it (as the page sends it) it passes.
  const noToken = await page.evaluate(async (n) => (await fetch(`/api/incidents/${n}/notes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'forged' }) })).status, id);
  assert.equal(noToken, 403);
  await page.getByLabel('Add a note').fill('We are restarting the order service.');
  await page.getByLabel('Public (shown on the status page)').check();
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.locator('.notes li').filter({ hasText: 'restarting the order service' }).waitFor();
  assert.equal((await settled(watch.store.incident(id)))?.notes.some((n) => n.text === 'forged'), false);
  await page.getByRole('button', { name: 'Acknowledge' }).click();
  await page.getByRole('button', { name: 'Acknowledged' }).waitFor();
  await shot(page, shots, 'watch-incident.png');
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.equal(await page.evaluate('getComputedStyle(document.body).backgroundColor'), 'rgb(13, 17, 23)', 'dark follows the system');
  await shot(page, shots, 'watch-incident-dark.png');
  await page.emulateMedia({ colorScheme: 'light' });

  // The public page: the outage and the public note, nothing internal.
  const status = await browser.newPage({ viewport: { width: 900, height: 800 } });
  await status.goto(`${base}/status`);
  const text = await status.locator('body').innerText();
  assert.match(text, /Outage/);
  assert.match(text, /restarting the order service/);
  const html = await status.content();
  assert.doesNotMatch(html, /127\.0\.0\.1|upstream|refused|502|\/api\/orders/);
  assert.equal(await status.locator('.group').count(), 2);
  assert.equal(await status.locator('.group').first().locator('.days li').count(), 90);
  await shot(status, shots, 'watch-status.png');

  // On a phone: nothing wider than the screen, on the dashboard, the incident page or the status page.
  const phone = await browser.newPage({ viewport: { width: 390, height: 800 } });
  await phone.context().addCookies(await page.context().cookies());
  for (const path of ['/', `/incidents/${id}`, '/status']) {
    await phone.goto(`${base}${path}`);
    await phone.locator('h1').first().waitFor();
    if (path !== '/status') await phone.locator('main[aria-busy="false"]').waitFor();
    assert.equal(await phone.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1'), true, `${path} fits a phone`);
  }
  // The keyboard: the first Tab reaches the skip link.
  await phone.goto(`${base}/`);
  await phone.keyboard.press('Tab');
  assert.equal(await phone.evaluate('document.activeElement.textContent'), 'Skip to content');

  await lab.startApp();
  await page.getByText(/· resolved /).waitFor({ timeout: 20_000 });
  await page.goto(`${base}/`);
  await shop.locator('.badge.up').waitFor({ timeout: 15_000 });
  assert.equal(await settled(watch.store.openIncidentFor('shop')), undefined);
  // blog (checked every second) resolves a little later than shop.
  for (let i = 0; i < 150 && (await settled(watch.store.incidents('open'))).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await settled(watch.store.incidents('open'))).length, 0);
  assert.deepEqual(csp, [], 'no CSP violation on any page');
}
