// Rule: every unix-socket upstream exists, is a socket, and the worker's user may connect to it.
import { statSync } from 'node:fs';
import type { Finding } from '../model.ts';
import { finding, type AuditContext, type Rule } from '../rule.ts';
import { passSites } from '../sites/index.ts';
import { lookupAccount, socketDenied, workerUser } from '../users.ts';

export const rule: Rule = {
  id: 'unix-socket',
  causes: ['upstream.socket_missing', 'upstream.permission_denied', 'upstream.refused'],
  check(ctx: AuditContext): Promise<Finding[]> {
    const out: Finding[] = [];
    for (const config of ctx.configs) {
      const user = workerUser(config);
      const account = lookupAccount(user.name, ctx.etc);
      const whose = user.line ? `${user.name} (${user.file ?? ''}:${user.line})` : `${user.name} (the default)`;
      for (const site of passSites(config)) {
        for (const t of site.targets) {
          if (t.address.type !== 'unix') continue;
          const path = t.address.path;
          let isSocket: boolean;
          try {
            isSocket = statSync(path).isSocket();
          } catch {
            out.push(finding(t.at, 'error', 'upstream.socket_missing', `the socket ${path} does not exist: every request sent there fails with 502`,
              'Start the app server that creates it, or point the config at the path its `listen`/`bind` setting names.'));
            continue;
          }
          if (!isSocket) {
            out.push(finding(t.at, 'error', 'upstream.refused', `${path} exists but is not a socket`, 'Point the config at the socket the app server creates.'));
            continue;
          }
          if (!account) {
            out.push(finding(t.at, 'warning', 'upstream.permission_denied', `the worker user ${whose} is not in /etc/passwd: socket permissions not checked`, 'Fix the user directive.'));
            continue;
          }
          const denied = socketDenied(path, account);
          if (denied) {
            out.push(finding(t.at, 'error', 'upstream.permission_denied', `the worker user ${whose} cannot connect to ${path}: ${denied}`,
              `Let the app server create the socket for that user (PHP-FPM: listen.owner/listen.group = ${user.name}, listen.mode = 0660; Gunicorn: --umask), or add ${user.name} to the socket's group.`));
          }
        }
      }
    }
    return Promise.resolve(out);
  },
};
