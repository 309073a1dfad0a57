// Finds the configs to audit (Debian's default places, or the files given) and reads each with its server's reader.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ServerConfig, ServerKind } from './model.ts';
import { readApache } from './readers/apache.ts';
import { readHaproxy } from './readers/haproxy.ts';
import { readNginx } from './readers/nginx.ts';

export const DEFAULT_CONFIGS: readonly { kind: ServerKind; path: string }[] = [
  { kind: 'nginx', path: '/etc/nginx/nginx.conf' },
  { kind: 'apache', path: '/etc/apache2/apache2.conf' },
  { kind: 'haproxy', path: '/etc/haproxy/haproxy.cfg' },
];

/** The server a config file is for: by its name, else by its first directives. */
export function sniffKind(path: string, text: string): ServerKind | undefined {
  const name = basename(path).toLowerCase();
  const folder = `/${path.toLowerCase()}`;
  if (name.includes('nginx') || folder.includes('/nginx/')) return 'nginx';
  if (name.includes('haproxy') || folder.includes('/haproxy/')) return 'haproxy';
  if (name.includes('apache') || name.includes('httpd') || folder.includes('/apache2/') || folder.includes('/httpd/')) return 'apache';
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).slice(0, 200);
  if (lines.some((l) => /^(global|defaults|frontend|backend|listen)(\s|$)/.test(l)) && !lines.some((l) => l.endsWith('{'))) return 'haproxy';
  if (lines.some((l) => /^<\/?[A-Za-z]/.test(l) || /^(ServerRoot|LoadModule|Listen|ProxyPass|DocumentRoot|ServerName)\s/i.test(l)) && !lines.some((l) => l.endsWith(';'))) return 'apache';
  if (lines.some((l) => /[;{}]$/.test(l))) return 'nginx';
  return undefined;
}

export function readConfig(kind: ServerKind, path: string): ServerConfig {
  return kind === 'nginx' ? readNginx(path) : kind === 'apache' ? readApache(path) : readHaproxy(path);
}

/** The configs at Debian's default places that exist here. */
export function defaultConfigs(): ServerConfig[] {
  return DEFAULT_CONFIGS.filter((c) => existsSync(c.path)).map((c) => readConfig(c.kind, c.path));
}

/** Reads a file given on the command line; a string says why it cannot be audited. */
export function givenConfig(path: string): ServerConfig | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return `${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot be read'}`;
  }
  const kind = sniffKind(path, text);
  return kind ? readConfig(kind, path) : `${path}: not an nginx, Apache or HAProxy configuration`;
}
