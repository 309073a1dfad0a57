// `fivexx check-config [options] [FILE…]`: audit nginx, Apache and HAProxy configs for 502/504 causes before they bite.
import { parseArgs } from 'node:util';
import { defaultAppFiles, readAppSettings, type AppFiles } from '../config-audit/app-servers/index.ts';
import { audit } from '../config-audit/audit.ts';
import { DEFAULT_CONFIGS, defaultConfigs, givenConfig } from '../config-audit/discover.ts';
import type { ServerConfig } from '../config-audit/model.ts';
import { renderAudit } from '../config-audit/render.ts';
import { FivexxError } from '../errors/codes.ts';
import { ansi, plain } from '../report/terminal.ts';
import type { CommandIo } from './io.ts';

export const CHECK_CONFIG_HELP = `Usage: fivexx check-config [options] [FILE…]

Audits nginx, Apache and HAProxy configurations (includes followed) for what causes 502 and 504 before it
happens: upstreams with no listener, unix sockets missing or not writable by the worker's user, proxy timeouts
not longer than the app server's, missing health checks, proxy_pass with a variable and no resolver, header
buffers smaller than the app's headers, unverified or expired upstream TLS, upstream keepalive not in effect.
Without FILE it reads ${DEFAULT_CONFIGS.map((c) => c.path).join(', ')} (those present).
It connects only to loopback upstreams (one TCP connect, one GET, one TLS handshake at most each).

Options:
  --php-fpm-conf FILE   PHP-FPM's php-fpm.conf or a pool file (request_terminate_timeout, max_execution_time)
  --gunicorn-conf FILE  a gunicorn.conf.py or a file with Gunicorn's command line (--timeout, --keep-alive)
  --uwsgi-ini FILE      a uWSGI ini file (harakiri, http-keepalive)
                        Without these, Debian's places are read (/etc/php/*/fpm, /etc/uwsgi/apps-enabled,
                        /etc/gunicorn.d and systemd units that run gunicorn).
  --no-app-defaults     do not read app-server configs from the default places
  --no-probe            connect to nothing; report loopback checks as not checked
  --json                one JSON document on stdout (contract version 1)
  --no-color            no colours even on a terminal
  -h, --help            this help

Exit status: 0 no error found, 1 at least one finding is an error, 2 bad input or usage.`;

function appFiles(v: { 'php-fpm-conf'?: string[]; 'gunicorn-conf'?: string[]; 'uwsgi-ini'?: string[]; 'no-app-defaults'?: boolean }): AppFiles {
  const given = { phpFpm: v['php-fpm-conf'] ?? [], gunicorn: v['gunicorn-conf'] ?? [], uwsgi: v['uwsgi-ini'] ?? [] };
  if (given.phpFpm.length || given.gunicorn.length || given.uwsgi.length || v['no-app-defaults']) return given;
  return defaultAppFiles();
}

export async function checkConfigCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv, allowPositionals: true,
      options: {
        json: { type: 'boolean' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, 'no-probe': { type: 'boolean' },
        'php-fpm-conf': { type: 'string', multiple: true }, 'gunicorn-conf': { type: 'string', multiple: true },
        'uwsgi-ini': { type: 'string', multiple: true }, 'no-app-defaults': { type: 'boolean' },
      },
    });
  } catch (err) {
    return io.fail('FIVEXX_USAGE', `check-config: ${(err as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values;
  io.json = v.json === true;
  if (v.help) {
    io.out(CHECK_CONFIG_HELP + '\n');
    return 0;
  }
  const configs: ServerConfig[] = [];
  for (const path of parsed.positionals) {
    const c = givenConfig(path);
    if (typeof c === 'string') return io.fail(/no such file/.test(c) ? 'FIVEXX_PATH_NOT_FOUND' : /cannot be read/.test(c) ? 'FIVEXX_PATH_UNREADABLE' : 'FIVEXX_CONFIG_INVALID', `check-config: ${c}`);
    configs.push(c);
  }
  if (!parsed.positionals.length) configs.push(...defaultConfigs());
  if (!configs.length) return io.fail('FIVEXX_PATH_NOT_FOUND', `check-config: no config given and none found at ${DEFAULT_CONFIGS.map((c) => c.path).join(', ')}`);
  const apps = readAppSettings(appFiles(v));
  for (const u of apps.unreadable) io.warn(`check-config: ${u}`);
  try {
    const report = await audit({ configs, apps, probe: v['no-probe'] !== true });
    io.out(v.json ? JSON.stringify(report, null, 2) + '\n' : renderAudit(report, io.color && !v['no-color'] ? ansi : plain));
    return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
  } catch (err) {
    if (err instanceof FivexxError) return io.fail(err.code, err.message);
    throw err;
  }
}
