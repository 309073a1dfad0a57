// Rule: backends are health-checked (HAProxy `check`, Apache hcmethod) and nginx never keeps sending to a dead server (max_fails=0).
import type { Finding, ServerConfig } from '../model.ts';
import { finding, type AuditContext, type Rule } from '../rule.ts';
import { serverWords } from '../sites/haproxy.ts';
import { nginxGroups } from '../sites/nginx.ts';
import { passSites } from '../sites/index.ts';

function nginxFindings(config: ServerConfig): Finding[] {
  const out: Finding[] = [];
  for (const group of nginxGroups(config).values()) {
    const servers = group.children?.filter((d) => d.name === 'server') ?? [];
    for (const s of servers) {
      if (servers.length > 1 && s.args.includes('max_fails=0')) {
        out.push(finding(s, 'warning', 'upstream.refused', `server ${s.args[0] ?? ''} has max_fails=0: nginx never marks it down and keeps sending it requests when it fails`,
          'Remove max_fails=0 (the default max_fails=1 fail_timeout=10s takes a failing server out for 10 s).'));
      }
    }
  }
  return out;
}

function haproxyFindings(config: ServerConfig): Finding[] {
  const out: Finding[] = [];
  for (const site of passSites(config)) {
    const section = site.parents[0];
    if (!section) continue;
    const unchecked = site.targets.filter((t) => !serverWords(section, t.at).includes('check'));
    for (const t of unchecked) {
      const many = site.targets.length > 1;
      out.push(finding(t.at, many ? 'warning' : 'info', 'upstream.refused',
        `server ${t.at.args[0] ?? ''} in ${section.name} ${section.args[0] ?? ''} has no health check: HAProxy keeps sending requests to it while it is down${many ? ' instead of using the other servers' : ''}`,
        'Add `check` to the server line (and `option httpchk GET /health` for an HTTP check), e.g. `server app1 127.0.0.1:8000 check inter 2s fall 3 rise 2`.'));
    }
  }
  return out;
}

function apacheFindings(config: ServerConfig): Finding[] {
  const out: Finding[] = [];
  for (const site of passSites(config)) {
    if (!site.group || site.targets.length < 2) continue;
    for (const t of site.targets) {
      if (t.at.args.some((a) => a.toLowerCase().startsWith('hcmethod='))) continue;
      out.push(finding(t.at, 'info', 'upstream.refused', 'balancer member without an active health check (hcmethod): a stopped member is found only by failing requests',
        'Load mod_proxy_hcheck and add hcmethod=GET hcuri=/health hcinterval=5 to the BalancerMember.'));
    }
  }
  return out;
}

export const rule: Rule = {
  id: 'health-checks',
  causes: ['upstream.refused'],
  check(ctx: AuditContext): Promise<Finding[]> {
    return Promise.resolve(ctx.configs.flatMap((c) => (c.kind === 'nginx' ? nginxFindings(c) : c.kind === 'haproxy' ? haproxyFindings(c) : apacheFindings(c))));
  },
};
