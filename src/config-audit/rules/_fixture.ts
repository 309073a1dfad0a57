// Test support for the rules: a config text written to a temporary file and read as the server would, in a context.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppLimit } from '../app-servers/types.ts';
import { readConfig } from '../discover.ts';
import type { ServerKind } from '../model.ts';
import type { AuditContext } from '../rule.ts';

export function contextFor(kind: ServerKind, text: string, apps: { timeouts?: AppLimit[]; keepalives?: AppLimit[] } = {}): AuditContext {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-rule-'));
  const file = join(dir, kind === 'haproxy' ? 'haproxy.cfg' : kind === 'apache' ? 'apache2.conf' : 'nginx.conf');
  writeFileSync(file, text);
  return { configs: [readConfig(kind, file)], apps: { timeouts: apps.timeouts ?? [], keepalives: apps.keepalives ?? [], files: [] }, probe: true, now: new Date(), etc: '/etc' };
}

export function gunicorn(seconds: number, setting = 'timeout'): AppLimit {
  return { server: 'gunicorn', setting, seconds, file: 'gunicorn.conf.py', line: 1 };
}
