// Rule: TLS to upstreams is verified, can be used at all (Apache SSLProxyEngine), and no certificate in use has expired.
import { isLoopback, showAddress } from '../addresses.ts';
import { certificateExpiry } from '../certificates.ts';
import type { Directive, Finding, ServerConfig } from '../model.ts';
import { peerValidTo } from '../probes.ts';
import { finding, type AuditContext, type Rule } from '../rule.ts';
import { inherited, topLevel } from '../scope.ts';
import { serverWords } from '../sites/haproxy.ts';
import { passSites } from '../sites/index.ts';
import type { PassSite } from '../sites/types.ts';

const FILES: Record<string, string[]> = {
  nginx: ['proxy_ssl_trusted_certificate', 'proxy_ssl_certificate', 'grpc_ssl_trusted_certificate'],
  apache: ['SSLProxyCACertificateFile', 'SSLProxyMachineCertificateFile'],
};

/** Why the site's TLS is not verified, or undefined when it is (or it is not TLS). */
function unverified(config: ServerConfig, site: PassSite): string | undefined {
  if (config.kind === 'nginx') {
    const name = site.protocol === 'grpc' ? 'grpc_ssl_verify' : 'proxy_ssl_verify';
    const d = inherited(config, site.parents, name);
    return d?.args[0] === 'on' ? undefined : `${name} ${d ? 'off' : 'is off by default'}`;
  }
  if (config.kind === 'apache') {
    const d = inherited(config, site.parents, 'SSLProxyVerify');
    return d?.args[0]?.toLowerCase() === 'require' ? undefined : `SSLProxyVerify ${d?.args[0] ?? 'none (the default)'}`;
  }
  const global = topLevel(config, 'ssl-server-verify');
  const section = site.parents[0];
  const none = site.targets.some((t) => section && serverWords(section, t.at).join(' ').includes('verify none'));
  return none ? 'verify none' : global?.args[0] === 'none' ? 'ssl-server-verify none' : undefined;
}

function fileFindings(config: ServerConfig, site: PassSite, now: Date): Finding[] {
  const out: Finding[] = [];
  const directives: Directive[] = [];
  for (const n of FILES[config.kind] ?? []) {
    const d = inherited(config, site.parents, n);
    if (d) directives.push(d);
  }
  const section = site.parents[0];
  if (config.kind === 'haproxy' && section) {
    for (const t of site.targets) {
      const w = serverWords(section, t.at);
      for (const key of ['ca-file', 'crt']) {
        const i = w.indexOf(key);
        if (i >= 0 && w[i + 1]) directives.push({ ...t.at, name: key, args: [w[i + 1] ?? ''] });
      }
    }
  }
  for (const d of directives) {
    const e = certificateExpiry(d.args[0] ?? '', /ca|trusted/i.test(d.name) ? 'bundle' : 'leaf');
    if (typeof e !== 'string' && e.validTo < now) {
      out.push(finding(d, 'error', 'upstream.tls', `${d.name} ${d.args[0] ?? ''}: ${/ca|trusted/i.test(d.name) ? 'every certificate in it has expired, the last' : 'the certificate'} ${e.subject} expired on ${e.validTo.toISOString()}`,
        'Renew the certificate (or the CA bundle) and reload the server.'));
    }
  }
  return out;
}

async function siteFindings(config: ServerConfig, site: PassSite, ctx: AuditContext): Promise<Finding[]> {
  const out: Finding[] = [];
  const why = unverified(config, site);
  if (why) {
    out.push(finding(site.at, 'warning', 'upstream.tls', `TLS to the upstream without certificate verification (${why}): a wrong or expired certificate goes unnoticed, and turning verification on later breaks with 502`,
      config.kind === 'nginx' ? 'Set proxy_ssl_verify on; proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt; proxy_ssl_name to the certificate\'s name.'
        : config.kind === 'apache' ? 'Set SSLProxyVerify require and SSLProxyCACertificateFile to the CA that signs the upstream\'s certificate.'
          : 'Replace verify none with verify required ca-file /etc/ssl/certs/ca-certificates.crt.'));
  }
  if (config.kind === 'apache' && inherited(config, site.parents, 'SSLProxyEngine')?.args[0]?.toLowerCase() !== 'on') {
    out.push(finding(site.at, 'error', 'gateway.config', 'an https upstream without SSLProxyEngine on: Apache answers 500 ("SSL Proxy requested … but not enabled")', 'Add SSLProxyEngine on to this virtual host (and load mod_ssl).'));
  }
  out.push(...fileFindings(config, site, ctx.now));
  for (const t of site.targets) {
    if (t.address.type !== 'tcp' || !isLoopback(t.address.host) || !ctx.probe) continue;
    const got = await peerValidTo(t.address, t.address.host);
    if (got instanceof Date && got < ctx.now) {
      out.push(finding(t.at, why ? 'warning' : 'error', 'upstream.tls', `${showAddress(t.address)} presents a certificate that expired on ${got.toISOString()}${why ? ' (accepted only because verification is off)' : ': every request fails the handshake (502)'}`,
        'Renew the upstream\'s certificate and restart or reload the app server.'));
    }
  }
  return out;
}

export const rule: Rule = {
  id: 'upstream-tls',
  causes: ['upstream.tls', 'gateway.config'],
  async check(ctx: AuditContext): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const config of ctx.configs) {
      for (const site of passSites(config)) {
        if (!site.targets.some((t) => t.tls) && !(config.kind === 'nginx' && /^grpcs:/.test(site.at.args[0] ?? ''))) continue;
        out.push(...(await siteFindings(config, site, ctx)));
      }
    }
    return out.filter((f, i) => out.findIndex((g) => g.file === f.file && g.line === f.line && g.message === f.message) === i);
  },
};
