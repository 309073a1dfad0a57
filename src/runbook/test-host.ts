// Test helper: a temporary host tree (etc/, var/log/, run/, srv/) with nginx, Apache, HAProxy, rsyslog and PHP-FPM configs.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const FILES: Record<string, string> = {
  'etc/nginx/nginx.conf': 'user www-data;\nerror_log /var/log/nginx/error.log warn;\nevents {}\nhttp {\n  access_log /var/log/nginx/access.log;\n  include /etc/nginx/conf.d/*.conf;\n  include sites-enabled/*;\n}\n',
  'etc/nginx/conf.d/upstream.conf': 'upstream shop {\n  server 127.0.0.1:3000 max_fails=3;\n  server 127.0.0.1:3001;\n}\n',
  'etc/nginx/sites-enabled/shop': 'server {\n  listen 80;\n  access_log /var/log/nginx/shop.access.log combined;\n  location / { proxy_pass http://shop; }\n  location /nginx_status { stub_status; }\n  location ~ \\.php$ { fastcgi_pass unix:/run/php/php8.2-fpm.sock; }\n}\n',
  'etc/apache2/envvars': 'export APACHE_RUN_USER=www-data\nexport APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n',
  'etc/apache2/apache2.conf': 'ErrorLog ${APACHE_LOG_DIR}/error.log\nIncludeOptional sites-enabled/*.conf\n',
  'etc/apache2/sites-enabled/api.conf': '<VirtualHost *:8080>\n  CustomLog ${APACHE_LOG_DIR}/api_access.log combined\n  ProxyPass /api http://127.0.0.1:4000/\n  <Location /server-status>\n    SetHandler server-status\n  </Location>\n</VirtualHost>\n',
  'etc/haproxy/haproxy.cfg': 'global\n  log /dev/log local0\ndefaults\n  log global\nbackend app\n  option httpchk GET /healthz\n  server a1 127.0.0.1:3000 check\n  server a2 127.0.0.1:3001\nlisten stats\n  bind :8404\n  stats uri /stats\n',
  'etc/rsyslog.d/49-haproxy.conf': '$AddUnixListenSocket /var/lib/haproxy/dev/log\n:programname, startswith, "haproxy" {\n  /var/log/haproxy.log\n  stop\n}\n',
  'etc/php/8.2/fpm/php-fpm.conf': '[global]\nerror_log = /var/log/php8.2-fpm.log\ninclude=/etc/php/8.2/fpm/pool.d/*.conf\n',
  'etc/php/8.2/fpm/pool.d/www.conf': '[www]\nlisten = /run/php/php8.2-fpm.sock\nslowlog = /var/log/php-fpm/$pool.slow.log\npm.status_path = /fpm-status\n',
  'var/log/nginx/error.log': '',
  'var/log/apache2/error.log': '',
  'srv/shop/.git/HEAD': 'ref: refs/heads/main\n',
};

/** A host tree under a temp folder; `extra` adds or replaces files (relative paths). */
export function makeHost(extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'fivexx-host-'));
  for (const [rel, text] of Object.entries({ ...FILES, ...extra })) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}
