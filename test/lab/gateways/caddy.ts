// Caddy 2 as the lab's gateway: reverse_proxy to the app, FastCGI to PHP-FPM, JSON access log and JSON error/runtime log.
import { existsSync } from 'node:fs';
import type { Gateway, Site } from './types.ts';

const CADDY = '/usr/bin/caddy';

function conf(s: Site): string {
  const timeout = s.config.proxyReadTimeout ?? '5s';
  const sock = s.config.phpSocket === 'missing' ? s.path('run', 'php-fpm-missing.sock') : s.path('php-fpm.sock');
  return `{
  admin off
  auto_https off
  log default {
    output file ${s.logs.error}
    format json
  }
}
http://:${s.port} {
  bind 127.0.0.1
  log {
    output file ${s.logs.access}
    format json
  }
  reverse_proxy /raw/* 127.0.0.1:${s.spare[0] ?? 0}
  @php path *.php
  reverse_proxy @php unix/${sock} {
    transport fastcgi {
      root ${s.path('www')}
      split .php
    }
  }
  reverse_proxy 127.0.0.1:${s.appPort} {
    transport http {
      response_header_timeout ${timeout}
    }
  }
}
`;
}

export const caddy: Gateway = {
  installed: () => existsSync(CADDY),
  build: (s) => ({
    conf: conf(s),
    confPath: s.path('Caddyfile'),
    cmd: CADDY,
    args: ['run', '--config', s.path('Caddyfile'), '--adapter', 'caddyfile'],
    stopSignal: 'SIGTERM',
  }),
};
