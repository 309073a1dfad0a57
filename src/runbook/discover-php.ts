// PHP-FPM: its error log, each pool's socket, slow log, access log, status and ping paths.
import { join } from 'node:path';
import type { HostRoots } from '../incident/types.ts';
import { lineDirectives } from './conf-directives.ts';
import { includeTargets, type ConfReader } from './conf-files.ts';
import { emptyFacts, logPlace, type ServiceFacts } from './discover-types.ts';

/** `key = value` lines (and `[pool]` headers) as key/value with the line. */
function settings(text: string): { key: string; value: string; line: number; pool: string }[] {
  let pool = 'global';
  return lineDirectives(text).flatMap((d) => {
    const l = [d.name, ...d.args].join(' ');
    const p = /^\[([^\]]{1,100})\]$/.exec(l);
    if (p?.[1]) {
      pool = p[1];
      return [];
    }
    const m = /^([\w.[\]]{1,100})\s*=\s*(.*)$/.exec(l);
    return m?.[1] ? [{ key: m[1], value: (m[2] ?? '').replace(/^"|"$/g, '').replaceAll('$pool', pool), line: d.line, pool }] : [];
  });
}

export async function discoverPhpFpm(unit: string, confDir: string, roots: HostRoots, reader: ConfReader, exists: (p: string) => Promise<boolean>): Promise<ServiceFacts> {
  const f = emptyFacts();
  const queue = [join(confDir, 'php-fpm.conf')];
  while (queue.length) {
    const file = queue.shift() ?? '';
    const text = await reader.read(file);
    if (text === undefined) continue;
    for (const s of settings(text)) {
      const from = `${file}:${s.line}`;
      if (s.key === 'include') queue.push(...(await includeTargets(s.value, confDir, roots)));
      else if (s.key === 'error_log') f.logs.push(await logPlace(unit, s.value.startsWith('/') || s.value === 'syslog' ? s.value : `/var/log/${s.value}`, 'error log', from, exists));
      else if (s.key === 'slowlog') f.logs.push(await logPlace(unit, s.value, `slow requests of pool ${s.pool}`, from, exists));
      else if (s.key === 'access.log') f.logs.push(await logPlace(unit, s.value, `access log of pool ${s.pool}`, from, exists));
      else if (s.key === 'listen') f.upstreams.push({ service: unit, target: `pool ${s.pool} listens on ${s.value}`, from });
      else if (s.key === 'pm.status_path' || s.key === 'ping.path') f.checks.push({ service: unit, what: `${s.key} ${s.value} of pool ${s.pool}`, from });
    }
  }
  return f;
}
