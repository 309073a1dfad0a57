// Rule: the gateway waits longer than the app server lets a request run (else the gateway answers 504 first).
import { servesAny } from '../app-servers/binds.ts';
import type { AppLimit, AppServer } from '../app-servers/types.ts';
import { named, type Directive, type Finding, type ServerConfig } from '../model.ts';
import { finding, type AuditContext, type Rule } from '../rule.ts';
import { inherited } from '../scope.ts';
import { passSites } from '../sites/index.ts';
import type { PassSite } from '../sites/types.ts';
import { haproxySeconds, nginxSeconds, plainSeconds, showSeconds } from '../units.ts';

interface GatewayTimeout {
  readonly name: string;
  readonly seconds: number;
  /** The directive that set it, or the pass line when the default applies. */
  readonly at: Directive;
  readonly apps: readonly AppServer[];
}

const HTTP_APPS: readonly AppServer[] = ['gunicorn', 'uwsgi'];

function nginxTimeout(config: ServerConfig, site: PassSite): GatewayTimeout | undefined {
  const name = site.protocol === 'fastcgi' ? 'fastcgi_read_timeout' : site.protocol === 'uwsgi' ? 'uwsgi_read_timeout' : site.protocol === 'http' || site.protocol === 'https' ? 'proxy_read_timeout' : '';
  if (!name) return undefined;
  const d = inherited(config, site.parents, name);
  const seconds = d ? nginxSeconds(d.args[0] ?? '') : 60;
  const apps: AppServer[] = site.protocol === 'fastcgi' ? ['php-fpm'] : site.protocol === 'uwsgi' ? ['uwsgi'] : [...HTTP_APPS];
  return seconds === undefined ? undefined : { name: d ? name : `${name} (default)`, seconds, at: d ?? site.at, apps };
}

function apacheTimeout(config: ServerConfig, site: PassSite): GatewayTimeout | undefined {
  const apps: AppServer[] = site.protocol === 'fastcgi' ? ['php-fpm'] : site.protocol === 'uwsgi' ? ['uwsgi'] : [...HTTP_APPS];
  const param = site.at.args.find((a) => a.toLowerCase().startsWith('timeout='));
  if (param) return { name: 'ProxyPass timeout=', seconds: plainSeconds(param.slice(8)) ?? 60, at: site.at, apps };
  const d = inherited(config, site.parents, 'ProxyTimeout') ?? inherited(config, site.parents, 'Timeout');
  const seconds = d ? plainSeconds(d.args[0] ?? '') : 60;
  return seconds === undefined ? undefined : { name: d ? d.name : 'Timeout (default)', seconds, at: d ?? site.at, apps };
}

function haproxyTimeout(config: ServerConfig, site: PassSite): GatewayTimeout | undefined {
  const section = site.parents[0];
  const list = [...(section?.children ?? [])];
  const own = list.findLast((d) => named(d, 'timeout') && (d.args[0] === 'server' || d.args[0] === 'srvtimeout'));
  const d = own ?? inheritedTimeout(config, section);
  const seconds = d ? haproxySeconds(d.args[1] ?? '') : undefined;
  return d && seconds !== undefined ? { name: 'timeout server', seconds, at: d, apps: site.protocol === 'fastcgi' ? ['php-fpm'] : HTTP_APPS } : undefined;
}

function inheritedTimeout(config: ServerConfig, section: Directive | undefined): Directive | undefined {
  const index = section ? config.tree.indexOf(section) : -1;
  const defaults = config.tree.slice(0, Math.max(0, index)).findLast((d) => named(d, 'defaults'));
  return defaults?.children?.findLast((d) => named(d, 'timeout') && d.args[0] === 'server');
}

function gatewayTimeout(config: ServerConfig, site: PassSite): GatewayTimeout | undefined {
  if (config.kind === 'nginx') return nginxTimeout(config, site);
  if (config.kind === 'apache') return apacheTimeout(config, site);
  return haproxyTimeout(config, site);
}

function describe(limit: AppLimit): string {
  const where = limit.line ? `${limit.file}:${limit.line}` : limit.file;
  return `${limit.server}'s ${limit.setting} ${showSeconds(limit.seconds)} (${where})`;
}

export const rule: Rule = {
  id: 'proxy-timeout',
  causes: ['upstream.timeout'],
  check(ctx: AuditContext): Promise<Finding[]> {
    const out = new Map<string, Finding>();
    for (const config of ctx.configs) {
      for (const site of passSites(config)) {
        const g = gatewayTimeout(config, site);
        if (!g) continue;
        for (const limit of ctx.apps.timeouts) {
          if (!g.apps.includes(limit.server) || g.seconds > limit.seconds || !servesAny(limit.binds, site.targets.map((t) => t.address))) continue;
          const key = `${g.at.file}:${g.at.line}:${limit.server}`;
          out.set(key, finding(g.at, 'warning', 'upstream.timeout',
            `${g.name} ${showSeconds(g.seconds)} is not longer than ${describe(limit)}: a request running that long gets a gateway timeout (504) while the app still works on it, and the app's own limit never fires to log it`,
            `Raise ${g.name.replace(' (default)', '')} above ${showSeconds(limit.seconds)} (e.g. ${showSeconds(limit.seconds + 5)}), or lower the app's ${limit.setting.replace(' (default)', '')} below ${showSeconds(g.seconds)}.`));
        }
      }
    }
    return Promise.resolve([...out.values()]);
  },
};
