// Rule (nginx): a pass directive whose host is a variable needs a `resolver` (else 502 "no resolver defined").
import { walk, type Finding, type ServerConfig } from '../model.ts';
import { finding, type AuditContext, type Rule } from '../rule.ts';
import { inherited } from '../scope.ts';
import { nginxGroups, nginxSites } from '../sites/nginx.ts';

/** The values `set $name …;` gives the variable anywhere in the config. */
function setValues(config: ServerConfig, variable: string): string[] {
  const out: string[] = [];
  for (const { d } of walk(config.tree)) if (d.name === 'set' && d.args[0] === variable && d.args[1] !== undefined) out.push(d.args[1]);
  return out;
}

function hostVariable(target: string): string | undefined {
  // Variables that always start with '/' end the host part rather than belong to it.
  const host = target.replace(/^[a-z]+:\/\//i, '').replace(/\$(request_uri|uri|document_uri)\b.*$/, '').split('/')[0] ?? '';
  const m = /\$\{?(\w{1,64})/.exec(host);
  return m?.[1] ? `$${m[1]}` : undefined;
}

export const rule: Rule = {
  id: 'resolver',
  causes: ['upstream.dns'],
  check(ctx: AuditContext): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const config of ctx.configs.filter((c) => c.kind === 'nginx')) {
      const groups = nginxGroups(config);
      for (const site of nginxSites(config)) {
        const variable = hostVariable(site.at.args[0] ?? '');
        if (!variable || inherited(config, site.parents, 'resolver')) continue;
        const values = setValues(config, variable);
        if (values.length && values.every((v) => /^(unix:|\[?[\d.:]+\]?(:\d+)?$)/.test(v.replace(/^[a-z]+:\/\//i, '')))) continue;
        const severity = groups.size === 0 ? 'error' : 'warning';
        out.push(finding(site.at, severity, 'upstream.dns',
          `${site.at.name} takes its host from ${variable} and no resolver is set here: nginx resolves such names per request and answers 502 ("no resolver defined to resolve …")${groups.size ? ' unless the variable always names an upstream block' : ''}`,
          'Add `resolver 127.0.0.53 valid=30s;` (your DNS server) in this server or http block, or use a fixed upstream block.'));
      }
    }
    return Promise.resolve(out);
  },
};
