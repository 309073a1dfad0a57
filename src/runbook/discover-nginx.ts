// nginx: error_log and access_log places, proxy/fastcgi targets and upstream servers, stub_status, from nginx.conf and its includes.
import { join } from 'node:path';
import type { HostRoots } from '../incident/types.ts';
import { nginxDirectives } from './conf-directives.ts';
import { includeTargets, type ConfReader } from './conf-files.ts';
import { emptyFacts, logPlace, type ServiceFacts } from './discover-types.ts';

const PASS = new Set(['proxy_pass', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'grpc_pass']);

export async function discoverNginx(confDir: string, roots: HostRoots, reader: ConfReader, exists: (p: string) => Promise<boolean>): Promise<ServiceFacts> {
  const f = emptyFacts();
  const queue = [join(confDir, 'nginx.conf')];
  let errorLog = false;
  let accessLog = false;
  while (queue.length) {
    const file = queue.shift() ?? '';
    const text = await reader.read(file);
    if (text === undefined) continue;
    for (const d of nginxDirectives(text)) {
      const from = `${file}:${d.line}`;
      const arg = d.args[0] ?? '';
      if (d.name === 'include') queue.push(...(await includeTargets(arg, confDir, roots)));
      else if (d.name === 'error_log') {
        errorLog = true;
        f.logs.push(await logPlace('nginx', arg, `error log${d.args[1] ? ` (level ${d.args[1]})` : ''}`, from, exists));
      } else if (d.name === 'access_log' && arg !== 'off') {
        accessLog = true;
        f.logs.push(await logPlace('nginx', arg, `access log${d.args[1] ? ` (format ${d.args[1]})` : ''}`, from, exists));
      } else if (PASS.has(d.name)) f.upstreams.push({ service: 'nginx', target: `${d.name} ${arg}`, from });
      else if (d.name === 'server' && d.context.some((c) => c.startsWith('upstream '))) f.upstreams.push({ service: 'nginx', target: `upstream ${d.context.find((c) => c.startsWith('upstream '))?.slice(9) ?? ''}: ${d.args.join(' ')}`, from });
      else if (d.name === 'stub_status') f.checks.push({ service: 'nginx', what: `stub_status at location ${d.context.at(-1)?.replace(/^location\s+/, '') ?? '?'}`, from });
    }
  }
  if (!errorLog) f.logs.push(await logPlace('nginx', '/var/log/nginx/error.log', 'error log (built-in default)', 'default', exists));
  if (!accessLog) f.logs.push(await logPlace('nginx', '/var/log/nginx/access.log', 'access log (built-in default)', 'default', exists));
  return f;
}
