// The dashboard's own files (web/ at the package root: HTML, CSS, JS, no build step), read once and served
// with an ETag; only names listed here are served, so no path from a request reaches the file system.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };
const FILES = ['app.html', 'login.html', 'app.js', 'login.js', 'style.css', 'status.css', 'icon.svg'] as const;
export type StaticName = (typeof FILES)[number];

export interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** web/ beside src/ and dist/ alike (both sit one level under the package root). */
export const WEB_DIR = new URL('../../web/', import.meta.url);

export function loadStatic(dir: URL = WEB_DIR): Map<string, StaticFile> {
  const out = new Map<string, StaticFile>();
  for (const name of FILES) {
    const body = readFileSync(new URL(name, dir));
    out.set(name, { body, type: TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream', etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` });
  }
  return out;
}
