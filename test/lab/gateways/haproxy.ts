// HAProxy as the lab's gateway, logging `option httplog` through a real rsyslogd (UDP on loopback)
// into a file in rsyslog's traditional format, as most hosts do.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Gateway, Site } from './types.ts';

const HAPROXY = '/usr/sbin/haproxy';
const RSYSLOGD = '/usr/sbin/rsyslogd';

function conf(s: Site, syslogPort: number): string {
  const c = s.config;
  const timeout = c.proxyReadTimeout ?? '5s';
  return `global
  log 127.0.0.1:${syslogPort} local0
  pidfile ${s.path('haproxy.pid')}
defaults
  mode http
  log global
  option httplog
  timeout connect 1s
  timeout client 10s
  timeout server ${timeout}
frontend fe
  bind 127.0.0.1:${s.port}
  use_backend raw if { path_beg /raw/ }
  default_backend app
backend app
  server app1 127.0.0.1:${s.appPort} check inter 500ms fall 2 rise 1${c.serverMaxconn ? ` maxconn ${c.serverMaxconn}` : ''}
backend raw
  server raw1 127.0.0.1:${s.spare[0] ?? 0}
`;
}

function rsyslogConf(s: Site, syslogPort: number): string {
  return `module(load="imudp")
input(type="imudp" address="127.0.0.1" port="${syslogPort}")
global(workDirectory="${s.path('rsyslog')}")
*.* action(type="omfile" file="${s.logs.access}" template="RSYSLOG_TraditionalFileFormat")
`;
}

export const haproxy: Gateway = {
  installed: () => existsSync(HAPROXY) && existsSync(RSYSLOGD),
  build: (s) => {
    const syslogPort = s.spare[1] ?? 0;
    return {
      conf: conf(s, syslogPort),
      confPath: s.path('haproxy.cfg'),
      cmd: HAPROXY,
      args: ['-f', s.path('haproxy.cfg'), '-db'],
      stopSignal: 'SIGUSR1',
      helpers: [{
        name: 'rsyslogd',
        cmd: RSYSLOGD,
        args: ['-n', '-f', s.path('rsyslog.conf'), '-i', s.path('rsyslog.pid')],
        setup: () => {
          mkdirSync(s.path('rsyslog'), { recursive: true });
          writeFileSync(s.path('rsyslog.conf'), rsyslogConf(s, syslogPort));
        },
        udpPort: syslogPort,
      }],
    };
  },
};
