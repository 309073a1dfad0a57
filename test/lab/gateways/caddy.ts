// Caddy 2 as the lab's gateway: reverse_proxy to the app, FastCGI to PHP-FPM, JSON access log and JSON error/runtime log.
import { existsSync } from 'node:fs';
import { fillSnippet, fpmTarget, type Gateway, type Site } from './types.ts';

const CADDY = '/usr/bin/caddy';

function conf(s: Site): string {
  const timeout = s.config.proxyReadTimeout ?? '5s';
  const fpm = fpmTarget(s);
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
${fillSnippet(s, s.config.extraServer)}
  @php path *.php
  reverse_proxy @php ${'tcp' in fpm ? fpm.tcp : `unix/${fpm.unix}`} {
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
