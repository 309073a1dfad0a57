// Rule: every loopback TCP upstream has a listener now (a refused connection is a 502/503 waiting to happen).
import { isLoopback, showAddress } from '../addresses.ts';
import type { Finding } from '../model.ts';
import { listening } from '../probes.ts';
import { finding, type AuditContext, type Rule } from '../rule.ts';
import { passSites } from '../sites/index.ts';

export const rule: Rule = {
  id: 'upstream-listener',
  causes: ['upstream.refused', 'upstream.unreachable'],
  async check(ctx: AuditContext): Promise<Finding[]> {
    const out: Finding[] = [];
    const seen = new Map<string, Promise<string>>();
    for (const config of ctx.configs) {
      for (const site of passSites(config)) {
        for (const t of site.targets) {
          if (t.address.type !== 'tcp') continue;
          const shown = showAddress(t.address);
          if (!isLoopback(t.address.host) || !ctx.probe) {
            out.push(finding(t.at, 'info', 'upstream.refused', `upstream ${shown}: not checked (${ctx.probe ? 'only loopback addresses are connected to' : 'probes are off'})`,
              `Check from this host that something listens there: nc -z ${t.address.host} ${t.address.port}`));
            continue;
          }
          const key = `${t.address.host === 'localhost' ? '127.0.0.1' : t.address.host}:${t.address.port}`;
          const probe = seen.get(key) ?? listening(t.address.host === 'localhost' ? { ...t.address, host: '127.0.0.1' } : t.address);
          seen.set(key, probe);
          const r = await probe;
          if (r === 'refused') {
            out.push(finding(t.at, 'error', 'upstream.refused', `nothing listens on ${shown}: requests sent there fail at once (502 from nginx, 503 from Apache and HAProxy)`,
              `Start the app (or fix the port): ss -ltnp 'sport = :${t.address.port}' must show it listening on ${shown}.`));
          } else if (r !== 'open') {
            out.push(finding(t.at, 'warning', 'upstream.unreachable', `connecting to ${shown} failed (${r})`, `Check that ${shown} is the right address and that no firewall drops the connection.`));
          }
        }
      }
    }
    return out;
  },
};
