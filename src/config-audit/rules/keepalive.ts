// Rule (nginx): upstream keepalive is really used (HTTP/1.1, Connection cleared) and the app keeps idle connections
// open longer than nginx reuses them (else the app closes one just as nginx sends on it: a steady trickle of 502s).
import { servesAny } from '../app-servers/binds.ts';
import type { Finding } from '../model.ts';
import { finding, type AuditContext, type Rule } from '../rule.ts';
import { inherited, inheritedAll } from '../scope.ts';
import { nginxSites } from '../sites/nginx.ts';
import { nginxSeconds, showSeconds } from '../units.ts';

export const rule: Rule = {
  id: 'keepalive',
  causes: ['upstream.unreachable', 'upstream.keepalive_race'],
  check(ctx: AuditContext): Promise<Finding[]> {
    const out: Finding[] = [];
    const raced = new Set<string>();
    for (const config of ctx.configs.filter((c) => c.kind === 'nginx')) {
      for (const site of nginxSites(config)) {
        const pool = site.group?.children?.find((d) => d.name === 'keepalive');
        if (!site.group || !pool || site.protocol !== 'http') continue;
        const version = inherited(config, site.parents, 'proxy_http_version')?.args[0];
        const connection = inheritedAll(config, site.parents, 'proxy_set_header').find((d) => d.args[0]?.toLowerCase() === 'connection');
        const cleared = connection !== undefined && connection.args[1] === '';
        if (version !== '1.1' || !cleared) {
          const missing = [version !== '1.1' ? '`proxy_http_version 1.1;`' : '', cleared ? '' : '`proxy_set_header Connection "";`'].filter(Boolean).join(' and ');
          out.push(finding(site.at, 'warning', 'upstream.unreachable', `upstream ${site.group.args[0] ?? ''} has keepalive ${pool.args[0] ?? ''} (line ${pool.line}) but this location lacks ${missing}: every request opens a new connection, and under load the host runs out of ports ("Cannot assign requested address")`,
            `Add ${missing} next to this proxy_pass.`));
          continue;
        }
        const timeout = site.group.children?.find((d) => d.name === 'keepalive_timeout');
        const nginxIdle = timeout ? nginxSeconds(timeout.args[0] ?? '') ?? 60 : 60;
        const key = `${pool.file}:${pool.line}`;
        if (raced.has(key)) continue;
        raced.add(key);
        const app = ctx.apps.keepalives.filter((k) => k.seconds <= nginxIdle && servesAny(k.binds, site.targets.map((t) => t.address))).sort((a, b) => a.seconds - b.seconds)[0];
        if (app) {
          out.push(finding(timeout ?? pool, 'warning', 'upstream.keepalive_race', `nginx keeps idle upstream connections for ${showSeconds(nginxIdle)}${timeout ? '' : ' (keepalive_timeout default)'}, but ${app.server} closes them after ${showSeconds(app.seconds)} (${app.setting}, ${app.file}${app.line ? `:${app.line}` : ''}): nginx sometimes sends on a connection the app is closing (502, "upstream prematurely closed")`,
            `Set keepalive_timeout ${Math.max(1, app.seconds - 1)}s; in upstream ${site.group.args[0] ?? ''}, or raise the app's ${app.setting.replace(' (default)', '')} above ${showSeconds(nginxIdle)}.`));
        } else if (!ctx.apps.keepalives.length) {
          out.push(finding(timeout ?? pool, 'info', 'upstream.keepalive_race', `nginx reuses idle upstream connections for ${showSeconds(nginxIdle)}: the app must keep them open longer (Node.js closes them after 5 s, Gunicorn after 2 s)`,
            `Give the app an idle keep-alive timeout above ${showSeconds(nginxIdle)} (Node.js: server.keepAliveTimeout), or lower keepalive_timeout in upstream ${site.group.args[0] ?? ''} below the app's.`));
        }
      }
    }
    return Promise.resolve(out);
  },
};
