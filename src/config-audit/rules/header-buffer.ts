// Rule: the gateway's header buffer holds the response headers the app really sends (one GET to each loopback
// upstream): nginx proxy_buffer_size, HAProxy tune.bufsize minus tune.maxrewrite.
import { isLoopback, showAddress, type Address } from '../addresses.ts';
import type { Finding, ServerConfig } from '../model.ts';
import { headerBytes } from '../probes.ts';
import { finding, type AuditContext, type Rule } from '../rule.ts';
import { inherited, topLevel } from '../scope.ts';
import { passSites } from '../sites/index.ts';
import { nginxSites } from '../sites/nginx.ts';
import { nginxBytes } from '../units.ts';

/** nginx's default: one memory page (4 KiB on x86-64 and most arm64 kernels). */
const NGINX_DEFAULT = 4096;
const HAPROXY_BUFSIZE = 16384;
const HAPROXY_MAXREWRITE = 1024;

function loopback(a: Address | undefined): a is Address {
  return a !== undefined && (a.type === 'unix' || (a.type === 'tcp' && isLoopback(a.host)));
}

async function nginxFindings(config: ServerConfig, probe: boolean): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const site of nginxSites(config)) {
    const name = site.protocol === 'fastcgi' ? 'fastcgi_buffer_size' : site.protocol === 'http' ? 'proxy_buffer_size' : '';
    if (!name) continue;
    const d = inherited(config, site.parents, name);
    const size = d ? nginxBytes(d.args[0] ?? '') ?? NGINX_DEFAULT : NGINX_DEFAULT;
    const target = site.targets[0]?.address;
    if (site.protocol !== 'http' || !probe || !loopback(target)) {
      out.push(finding(d ?? site.at, 'info', 'upstream.header_too_big', `${name} ${size} bytes: not probed (${site.protocol === 'fastcgi' ? 'a FastCGI upstream' : !probe ? 'probes are off' : 'not a loopback HTTP upstream'})`,
        `Compare ${name} with the largest response header block the app sends (cookies, CSP, links): curl -sI URL | wc -c.`));
      continue;
    }
    const host = inherited(config, site.parents.filter((p) => p.name === 'server' || p.name === 'http'), 'server_name')?.args[0] ?? 'localhost';
    const got = await headerBytes(target, host === '_' ? 'localhost' : host, site.path);
    if (typeof got === 'string') {
      out.push(finding(site.at, 'info', 'upstream.header_too_big', `${name}: not probed (GET ${site.path} on ${showAddress(target)}: ${got})`, `Compare ${name} with the app's response headers by hand.`));
    } else if (got > size) {
      out.push(finding(d ?? site.at, 'error', 'upstream.header_too_big',
        `${showAddress(target)} answered GET ${site.path} with a ${got}-byte header block, larger than ${name} ${size}${d ? '' : ' (the default)'}: nginx answers 502 ("upstream sent too big header")`,
        `Set ${name} ${Math.ceil((got * 2) / 4096) * 4}k; (and proxy_buffers to match), or send smaller headers from the app.`));
    }
  }
  return out;
}

function haproxyLimit(config: ServerConfig): number {
  const bufsize = topLevel(config, 'tune.bufsize');
  const rewrite = topLevel(config, 'tune.maxrewrite');
  const size = Number(bufsize?.args[0] ?? HAPROXY_BUFSIZE) || HAPROXY_BUFSIZE;
  const reserve = Number(rewrite?.args[0] ?? Math.min(HAPROXY_MAXREWRITE, size / 2));
  return size - reserve;
}

async function haproxyFindings(config: ServerConfig, probe: boolean): Promise<Finding[]> {
  const out: Finding[] = [];
  const limit = haproxyLimit(config);
  for (const site of passSites(config)) {
    if (site.protocol !== 'http' || !probe) continue;
    for (const t of site.targets) {
      if (!loopback(t.address)) continue;
      const got = await headerBytes(t.address, 'localhost', '/');
      if (typeof got === 'number' && got > limit) {
        out.push(finding(t.at, 'error', 'upstream.header_too_big',
          `${showAddress(t.address)} answered GET / with a ${got}-byte header block; HAProxy keeps ${limit} bytes for headers (tune.bufsize minus tune.maxrewrite) and answers 502 (termination state PH)`,
          `Set tune.bufsize ${Math.ceil((got + HAPROXY_MAXREWRITE) / 16384) * 16384} in the global section, or send smaller headers from the app.`));
      }
    }
  }
  return out;
}

export const rule: Rule = {
  id: 'header-buffer',
  causes: ['upstream.header_too_big'],
  async check(ctx: AuditContext): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const config of ctx.configs) {
      if (config.kind === 'nginx') out.push(...(await nginxFindings(config, ctx.probe)));
      if (config.kind === 'haproxy') out.push(...(await haproxyFindings(config, ctx.probe)));
    }
    return out;
  },
};
