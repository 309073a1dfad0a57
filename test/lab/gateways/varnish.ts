// Varnish Cache as the lab's gateway, with varnishncsa writing the access log and varnishlog
// writing the grouped records of failed requests (RespStatus >= 500), as operators run them.
import { existsSync, mkdirSync } from 'node:fs';
import type { Gateway, Site } from './types.ts';

const VARNISHD = '/usr/sbin/varnishd';

export const varnish: Gateway = {
  installed: () => existsSync(VARNISHD) && existsSync('/usr/bin/varnishncsa') && existsSync('/usr/bin/varnishlog'),
  build: (s: Site) => {
    const name = s.path('varnish');
    const fbt = Number.parseInt(s.config.proxyReadTimeout ?? '5', 10);
    return {
      conf: `# varnishd is configured on its command line (-b), no VCL file\n`,
      confPath: s.path('varnish.note'),
      cmd: VARNISHD,
      args: ['-F', '-a', `127.0.0.1:${s.port}`, '-b', `127.0.0.1:${s.appPort}`, '-n', name, '-p', `first_byte_timeout=${fbt}`, '-p', 'default_ttl=0', '-p', 'default_grace=0', '-s', 'malloc,32m'],
      stopSignal: 'SIGTERM',
      before: [() => mkdirSync(name, { recursive: true })],
      helpers: [
        { name: 'varnishncsa', cmd: '/usr/bin/varnishncsa', args: ['-n', name, '-w', s.logs.access], setup: () => undefined, after: true },
        { name: 'varnishlog', cmd: '/usr/bin/varnishlog', args: ['-n', name, '-g', 'request', '-q', 'RespStatus >= 500'], setup: () => undefined, after: true, stdoutTo: s.logs.error },
      ],
    };
  },
};
