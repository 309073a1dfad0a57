// Writes the pages (SSI for nginx and Apache, lf-files for HAProxy, templates for Caddy) and the snippets into a folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { STATUSES } from './content.ts';
import type { Flavor } from './placeholders.ts';
import { renderHtml, renderJson, type PageOptions } from './render.ts';
import { apacheSnippet, caddySnippet, haproxySnippet, nginxSnippet } from './snippets.ts';

const FOLDERS: Record<Flavor, string> = { ssi: '', haproxy: 'haproxy', caddy: 'caddy' };

/** The files written, relative to `out`. */
export function writePages(out: string, opts: PageOptions = {}): string[] {
  const dir = resolve(out);
  const written: string[] = [];
  const put = (rel: string, text: string): void => {
    writeFileSync(join(dir, rel), text);
    written.push(rel);
  };
  for (const flavor of Object.keys(FOLDERS) as Flavor[]) {
    const sub = FOLDERS[flavor];
    mkdirSync(join(dir, sub), { recursive: true });
    for (const s of STATUSES) {
      put(join(sub, `${s}.html`), renderHtml(s, flavor, opts));
      put(join(sub, `${s}.json`), renderJson(s, flavor, opts));
    }
  }
  put('nginx.conf', nginxSnippet(dir));
  put('apache.conf', apacheSnippet(dir));
  put('haproxy.cfg', haproxySnippet(dir));
  put('Caddyfile', caddySnippet(dir));
  return written;
}
