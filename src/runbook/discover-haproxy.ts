// HAProxy: backend servers and their health checks, the stats page, and where its syslog lines land (rsyslog rules).
import { join } from 'node:path';
import type { HostRoots } from '../incident/types.ts';
import { lineDirectives } from './conf-directives.ts';
import { expandGlob, type ConfReader } from './conf-files.ts';
import { emptyFacts, logPlace, type ServiceFacts } from './discover-types.ts';

const SECTIONS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'resolvers', 'peers', 'userlist', 'program', 'cache', 'ring', 'http-errors', 'mailers']);

/** rsyslog lines that send haproxy's messages to a file: `if $programname startswith 'haproxy' then /var/log/haproxy.log`. */
async function rsyslogTargets(roots: HostRoots, reader: ConfReader, exists: (p: string) => Promise<boolean>): Promise<ServiceFacts['logs']> {
  const out: ServiceFacts['logs'] = [];
  const files = [join(roots.etc, 'rsyslog.conf'), ...(await expandGlob(join(roots.etc, 'rsyslog.d', '*.conf')))];
  for (const file of files) {
    const text = await reader.read(file);
    // A haproxy rule is one line (`… haproxy … then /var/log/haproxy.log`) or a block (`:programname, …, "haproxy" { /var/log/haproxy.log }`).
    let block = false;
    for (const [i, line] of (text ?? '').split('\n').entries()) {
      if (/^\s*#/.test(line) || /ListenSocket|input\(/i.test(line)) continue;
      const mentions = /haproxy/i.test(line);
      if (mentions && line.includes('{')) block = true;
      if (block || mentions) {
        const m = /(?:then\s+|^\s*)-?(\/[\w./-]{1,200})\s*$/.exec(line) ?? /file="(\/[^"]{1,200})"/.exec(line);
        if (m?.[1] && !m[1].startsWith('/dev/')) out.push(await logPlace('haproxy', m[1], 'log (through rsyslog)', `${file}:${i + 1}`, exists));
      }
      if (line.includes('}')) block = false;
    }
  }
  return out;
}

export async function discoverHaproxy(confDir: string, roots: HostRoots, reader: ConfReader, exists: (p: string) => Promise<boolean>): Promise<ServiceFacts> {
  const f = emptyFacts();
  const file = join(confDir, 'haproxy.cfg');
  const text = await reader.read(file);
  let logs = false;
  for (const d of lineDirectives(text ?? '', SECTIONS)) {
    const from = `${file}:${d.line}`;
    const section = d.context[0] ?? '';
    if (d.name === 'log' && d.args[0] && d.args[0] !== 'global') {
      logs = true;
      f.logs.push(await logPlace('haproxy', `syslog ${d.args.join(' ')}`, `log target in ${section}`, from, exists));
    } else if (d.name === 'server' && d.args[1]) {
      const checked = d.args.includes('check');
      f.upstreams.push({ service: 'haproxy', target: `${section}: server ${d.args[0] ?? ''} ${d.args[1]}${checked ? ' (health-checked)' : ' (no check)'}`, from });
    } else if (d.name === 'option' && d.args[0] === 'httpchk') f.checks.push({ service: 'haproxy', what: `HTTP health check in ${section}: ${d.args.slice(1).join(' ') || 'OPTIONS /'}`, from });
    else if (d.name === 'http-check') f.checks.push({ service: 'haproxy', what: `http-check ${d.args.join(' ')} in ${section}`, from });
    else if (d.name === 'stats' && d.args[0] === 'uri') f.checks.push({ service: 'haproxy', what: `stats page at ${d.args[1] ?? '?'} in ${section}`, from });
  }
  if (logs) f.logs.push(...(await rsyslogTargets(roots, reader, exists)));
  return f;
}
