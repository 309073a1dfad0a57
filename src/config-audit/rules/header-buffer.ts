// Rule (nginx): proxy_buffer_size holds the response headers the app really sends (one GET to each loopback upstream).
import { isLoopback, showAddress } from '../addresses.ts';
import type { Finding } from '../model.ts';
import { headerBytes } from '../probes.ts';
import { finding, type AuditContext, type Rule } from '../rule.ts';
import { inherited } from '../scope.ts';
import { nginxSites } from '../sites/nginx.ts';
import { nginxBytes } from '../units.ts';

/** nginx's default: one memory page (4 KiB on x86-64 and most arm64 kernels). */
const DEFAULT_BUFFER = 4096;

export const rule: Rule = {
  id: 'header-buffer',
  causes: ['upstream.header_too_big'],
  async check(ctx: AuditContext): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const config of ctx.configs.filter((c) => c.kind === 'nginx')) {
      for (const site of nginxSites(config)) {
        const name = site.protocol === 'fastcgi' ? 'fastcgi_buffer_size' : site.protocol === 'http' ? 'proxy_buffer_size' : '';
        if (!name) continue;
        const d = inherited(config, site.parents, name);
        const size = d ? nginxBytes(d.args[0] ?? '') ?? DEFAULT_BUFFER : DEFAULT_BUFFER;
        const target = site.targets[0];
        const probeable = site.protocol === 'http' && ctx.probe && target && (target.address.type === 'unix' || (target.address.type === 'tcp' && isLoopback(target.address.host)));
        if (!target || !probeable) {
          out.push(finding(d ?? site.at, 'info', 'upstream.header_too_big', `${name} ${size} bytes: not probed (${site.protocol === 'fastcgi' ? 'a FastCGI upstream' : !ctx.probe ? 'probes are off' : 'not a loopback HTTP upstream'})`,
            `Compare ${name} with the largest response header block the app sends (cookies, CSP, links): curl -sI URL | wc -c.`));
          continue;
        }
        const host = inherited(config, site.parents.filter((p) => p.name === 'server' || p.name === 'http'), 'server_name')?.args[0] ?? 'localhost';
        const got = await headerBytes(target.address, host === '_' ? 'localhost' : host, site.path);
        if (typeof got === 'string') {
          out.push(finding(site.at, 'info', 'upstream.header_too_big', `${name}: not probed (GET ${site.path} on ${showAddress(target.address)}: ${got})`, `Compare ${name} with the app's response headers by hand.`));
        } else if (got > size) {
          out.push(finding(d ?? site.at, 'error', 'upstream.header_too_big',
            `${showAddress(target.address)} answered GET ${site.path} with a ${got}-byte header block, larger than ${name} ${size}${d ? '' : ' (the default)'}: nginx answers 502 ("upstream sent too big header")`,
            `Set ${name} ${Math.ceil((got * 2) / 4096) * 4}k; (and proxy_buffers to match), or send smaller headers from the app.`));
        }
      }
    }
    return out;
  },
};
