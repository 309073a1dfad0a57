// Apache httpd: ErrorLog and CustomLog places (with ${APACHE_LOG_DIR} from envvars), ProxyPass and BalancerMember targets.
import { join } from 'node:path';
import type { HostRoots } from '../incident/types.ts';
import { lineDirectives } from './conf-directives.ts';
import { includeTargets, type ConfReader } from './conf-files.ts';
import { emptyFacts, logPlace, type ServiceFacts } from './discover-types.ts';

/** `export APACHE_LOG_DIR=/var/log/apache2$SUFFIX` → APACHE_LOG_DIR=/var/log/apache2. */
function envvars(text: string | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of (text ?? '').split('\n')) {
    const r = /^\s*export\s+([A-Z_]{1,40})=(?:"([^"]*)"|(\S*))/.exec(line);
    if (r?.[1]) m.set(r[1], (r[2] ?? r[3] ?? '').replace(/\$SUFFIX|\$\{SUFFIX\}/g, ''));
  }
  return m;
}

export async function discoverApache(confDir: string, mainFile: string, roots: HostRoots, reader: ConfReader, exists: (p: string) => Promise<boolean>): Promise<ServiceFacts> {
  const f = emptyFacts();
  const service = mainFile === 'httpd.conf' ? 'httpd' : 'apache2';
  const env = envvars(await reader.read(join(confDir, 'envvars')));
  const expand = (s: string): string => s.replace(/\$\{(\w{1,40})\}/g, (all, k: string) => env.get(k) ?? all);
  const queue = [join(confDir, mainFile)];
  while (queue.length) {
    const file = queue.shift() ?? '';
    const text = await reader.read(file);
    if (text === undefined) continue;
    for (const d of lineDirectives(text)) {
      const from = `${file}:${d.line}`;
      const name = d.name.toLowerCase();
      const arg = expand(d.args[0] ?? '');
      const where = d.context.length ? ` in <${d.context.join('> <')}>` : '';
      if (name === 'include' || name === 'includeoptional') queue.push(...(await includeTargets(arg, confDir, roots)));
      else if (name === 'errorlog') f.logs.push(await logPlace(service, arg, `error log${where}`, from, exists));
      else if (name === 'customlog' || name === 'transferlog') f.logs.push(await logPlace(service, arg, `access log${d.args[1] ? ` (format ${d.args[1]})` : ''}${where}`, from, exists));
      else if (name === 'proxypass' && d.args[1]) f.upstreams.push({ service, target: `ProxyPass ${d.args[0] ?? ''} ${expand(d.args[1])}`, from });
      else if (name === 'balancermember') f.upstreams.push({ service, target: `BalancerMember ${arg}`, from });
      else if (name === 'sethandler' && /^(server-status|balancer-manager)$/i.test(arg)) f.checks.push({ service, what: `${arg}${where}`, from });
    }
  }
  return f;
}
