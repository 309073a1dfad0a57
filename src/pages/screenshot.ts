// Renders an error page in headless Chromium to a PNG (the README's picture); the placeholders are filled with examples.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PageStatus } from './content.ts';
import { renderHtml } from './render.ts';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** The page as a visitor sees it once nginx or Apache filled in the SSI placeholders. */
export function examplePage(status: PageStatus, statusUrl?: string): string {
  return renderHtml(status, 'ssi', statusUrl ? { statusUrl } : {})
    .replace('<!--#echo var="UNIQUE_ID" -->', '5f0c2a9e8d4b7c1a3e6f9b2d4c8a1e7f')
    .replace(/<!--#config timefmt="[^"]*" --><!--#echo var="DATE_GMT" -->/, '2026-11-27 14:02:09 UTC');
}

/** Writes a PNG of the page to `png`; a string says why it could not. */
export function screenshot(status: PageStatus, png: string, opts: { dark?: boolean; statusUrl?: string } = {}): string | undefined {
  if (!CHROMIUM) return 'chromium is not installed (apt-get install -y chromium)';
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-shot-'));
  try {
    const page = join(dir, `${status}.html`);
    writeFileSync(page, examplePage(status, opts.statusUrl));
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', `--user-data-dir=${join(dir, 'profile')}`, '--hide-scrollbars', `--screenshot=${png}`, '--window-size=1000,800',
      ...(opts.dark ? ['--force-dark-mode', '--blink-settings=preferredColorScheme=0'] : []), pathToFileURL(page).href];
    const r = spawnSync(CHROMIUM, args, { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0 || !existsSync(png)) return `chromium failed (${r.status ?? r.signal ?? 'no status'}): ${(r.stderr || '').split('\n').slice(-3).join(' ')}`;
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
