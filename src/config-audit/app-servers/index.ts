// Collects the app servers' limits from the files given (--php-fpm-conf, --gunicorn-conf, --uwsgi-ini) or Debian's default places.
import { globSync, readFileSync } from 'node:fs';
import { IncludeReader } from '../readers/includes.ts';
import { gunicornLimits, mentionsGunicorn } from './gunicorn.ts';
import { phpFpmLimit } from './php-fpm.ts';
import type { AppLimit, AppSettings } from './types.ts';
import { uwsgiLimits } from './uwsgi.ts';

export interface AppFiles {
  readonly phpFpm: readonly string[];
  readonly gunicorn: readonly string[];
  readonly uwsgi: readonly string[];
}

/** Debian's places: PHP-FPM's php-fpm.conf, uWSGI's apps-enabled, systemd units and /etc/gunicorn.d that run Gunicorn. */
export function defaultAppFiles(root = '/etc'): AppFiles {
  const g = (p: string): string[] => {
    try {
      return globSync(`${root}/${p}`).sort();
    } catch {
      return [];
    }
  };
  const gunicorn = [...g('gunicorn.d/*'), ...g('systemd/system/*.service')].filter((p) => {
    try {
      return mentionsGunicorn(readFileSync(p, 'utf8'));
    } catch {
      return false;
    }
  });
  return { phpFpm: g('php/*/fpm/php-fpm.conf'), gunicorn, uwsgi: g('uwsgi/apps-enabled/*.ini') };
}

/** The limits in the files; an unreadable file is skipped and named in `unreadable`. */
export function readAppSettings(files: AppFiles): AppSettings & { unreadable: string[] } {
  const reader = new IncludeReader();
  const timeouts: AppLimit[] = [];
  const keepalives: AppLimit[] = [];
  for (const f of files.phpFpm) {
    const limit = phpFpmLimit(f, reader);
    if (limit) timeouts.push(limit);
  }
  for (const f of files.gunicorn) {
    const g = reader.within(f, undefined, (text) => gunicornLimits(text, f));
    if (g) {
      timeouts.push(g.timeout);
      keepalives.push(g.keepalive);
    }
  }
  for (const f of files.uwsgi) {
    const u = reader.within(f, undefined, (text) => uwsgiLimits(text, f));
    if (u?.timeout) timeouts.push(u.timeout);
    if (u?.keepalive) keepalives.push(u.keepalive);
  }
  return { timeouts, keepalives, files: reader.files, unreadable: reader.notes.map((n) => n.message) };
}
