// Apache httpd 2.4 as the lab's gateway: mod_proxy_http to the app, mod_proxy_fcgi to PHP-FPM.
import { existsSync, mkdirSync } from 'node:fs';
import { fillSnippet, fpmTarget, type Gateway, type Site } from './types.ts';

const APACHE = '/usr/sbin/apache2';
const MODULES = '/usr/lib/apache2/modules';
const LOAD = ['mpm_event', 'authz_core', 'proxy', 'proxy_http', 'proxy_fcgi', 'rewrite', 'dir', 'mime', 'alias'];

function conf(s: Site): string {
  const c = s.config;
  const root = process.getuid?.() === 0;
  const fpm = fpmTarget(s);
  const timeout = Number.parseInt(c.proxyReadTimeout ?? '5', 10);
  const fill = (t: string | undefined): string => fillSnippet(s, t);
  return `ServerRoot ${s.dir}
ServerName lab.test
Listen 127.0.0.1:${s.port}
PidFile ${s.path('apache.pid')}
DefaultRuntimeDir ${s.path('tmp')}
Mutex file:${s.path('tmp')} default
${LOAD.map((m) => `LoadModule ${m}_module ${MODULES}/mod_${m}.so`).join('\n')}
${root ? 'User nobody\nGroup nogroup' : ''}
ErrorLog ${s.logs.error}
LogLevel ${c.errorLogLevel === 'notice' ? 'notice' : 'warn'}
LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\"" combined
LogFormat "%h %l %u %t \\"%r\\" %>s %b \\"%{Referer}i\\" \\"%{User-Agent}i\\" %D" timed
CustomLog ${s.logs.access} timed
CustomLog ${s.logs.combined} combined
DocumentRoot ${s.path('www')}
<Directory ${s.path('www')}>
  AllowOverride All
  Require all granted
</Directory>
<FilesMatch "\\.php$">
  SetHandler "${'tcp' in fpm ? `proxy:fcgi://${fpm.tcp}` : `proxy:unix:${fpm.unix}|fcgi://localhost`}"
</FilesMatch>
TypesConfig /etc/mime.types
ProxyTimeout ${timeout}
${fill(c.extraServer)}
ProxyPass /raw/ http://127.0.0.1:${s.spare[0] ?? 0}/
ProxyPassMatch "^/(?!.*\\.php$)(?!htaccess/)(.*)$" "http://127.0.0.1:${s.appPort}/$1"
`;
}

export const apache: Gateway = {
  installed: () => existsSync(APACHE),
  build: (s) => ({
    conf: conf(s),
    confPath: s.path('apache.conf'),
    cmd: APACHE,
    args: ['-d', s.dir, '-f', s.path('apache.conf'), '-DFOREGROUND'],
    stopSignal: 'SIGTERM',
    before: [() => mkdirSync(s.path('run'), { recursive: true })],
  }),
};
