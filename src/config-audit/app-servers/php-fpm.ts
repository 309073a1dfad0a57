// PHP-FPM's request limits: request_terminate_timeout and max_execution_time (pool php_*value, else php.ini), includes followed.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { IncludeReader } from '../readers/includes.ts';
import { plainSeconds } from '../units.ts';
import { iniLines, type AppLimit } from './types.ts';

interface Found {
  terminate?: AppLimit;
  execution?: AppLimit;
  binds: string[];
}

function readPool(path: string, reader: IncludeReader, found: Found, depth = 0): void {
  reader.within(path, undefined, (text) => {
    for (const l of iniLines(text)) {
      const seconds = plainSeconds(l.value);
      if (l.key === 'listen') found.binds.push(/^\d+$/.test(l.value) ? `:${l.value}` : l.value.startsWith('/') ? `unix:${l.value}` : l.value);
      else if (l.key === 'include' && depth < 4) for (const p of reader.expand(l.value, dirname(path))) readPool(p, reader, found, depth + 1);
      else if (l.key === 'request_terminate_timeout' && seconds) found.terminate = { server: 'php-fpm', setting: l.key, seconds, file: path, line: l.line };
      else if (/^php_(admin_)?value\[max_execution_time\]$/.test(l.key) && seconds) {
        found.execution = { server: 'php-fpm', setting: 'max_execution_time', seconds, file: path, line: l.line };
      }
    }
  });
}

/** The php.ini PHP-FPM reads: beside php-fpm.conf, or one folder up from a pool.d file. */
function phpIni(conf: string): string | undefined {
  const dir = dirname(conf);
  const candidates = [join(dir, 'php.ini'), basename(dir) === 'pool.d' ? join(dirname(dir), 'php.ini') : ''];
  return candidates.find((p) => p && existsSync(p));
}

/** The shortest non-zero limit PHP-FPM puts on one request, read from `conf` (php-fpm.conf or a pool file). */
export function phpFpmLimit(conf: string, reader = new IncludeReader()): AppLimit | undefined {
  const found: Found = { binds: [] };
  readPool(conf, reader, found);
  const ini = phpIni(conf);
  if (!found.execution && ini) {
    const text = reader.within(ini, undefined, (t) => t) ?? '';
    const l = iniLines(text).find((x) => x.key === 'max_execution_time');
    const seconds = l ? plainSeconds(l.value) : undefined;
    if (l && seconds) found.execution = { server: 'php-fpm', setting: 'max_execution_time', seconds, file: ini, line: l.line };
  }
  const limits = [found.terminate, found.execution].filter((x): x is AppLimit => x !== undefined);
  const shortest = limits.sort((a, b) => a.seconds - b.seconds)[0];
  return shortest ? { ...shortest, binds: found.binds } : undefined;
}
