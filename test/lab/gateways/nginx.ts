// nginx as the lab's gateway: proxy_pass to the app, fastcgi_pass to PHP-FPM, /raw/ to a misbehaving upstream.
import { existsSync } from 'node:fs';
import { fillSnippet, fpmTarget, type Gateway, type Site } from './types.ts';

const LAB_LOG_FORMAT =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" ' +
  'rt=$request_time ua="$upstream_addr" us="$upstream_status" uct="$upstream_connect_time" uht="$upstream_header_time" urt="$upstream_response_time"';

const NGINX = '/usr/sbin/nginx';

function conf(s: Site): string {
  const c = s.config;
  const servers = (c.upstreamServers ?? ((p: number) => [`server 127.0.0.1:${p};`]))(s.appPort, s.spare);
  const fpm = fpmTarget(s);
  const tmp = s.path('tmp');
  const fill = (t: string | undefined): string => fillSnippet(s, t);
  return `worker_processes 1;
daemon off;
pid ${s.path('nginx.pid')};
error_log ${s.logs.error} ${c.errorLogLevel ?? 'error'};
events { worker_connections ${c.workerConnections ?? 256}; }
http {
log_format lab '${LAB_LOG_FORMAT}';
access_log ${s.logs.access} lab;
access_log ${s.logs.combined} combined;
client_body_temp_path ${tmp}/body;
proxy_temp_path ${tmp}/proxy;
fastcgi_temp_path ${tmp}/fastcgi;
uwsgi_temp_path ${tmp}/uwsgi;
scgi_temp_path ${tmp}/scgi;
upstream app {
  ${servers.join('\n    ')}
}
${fill(c.extraHttp)}
server {
  listen 127.0.0.1:${s.port};
  server_name lab.test;
  location / {
    proxy_pass http://app;
    proxy_read_timeout ${c.proxyReadTimeout ?? '5s'};
    proxy_next_upstream error timeout;
  }
  location ~ \\.php$ {
    root ${s.path('www')};
    include /etc/nginx/fastcgi_params;
    fastcgi_param SCRIPT_FILENAME $document_root$fastcgi_script_name;
    fastcgi_pass ${'tcp' in fpm ? fpm.tcp : `unix:${fpm.unix}`};
    fastcgi_read_timeout ${c.fastcgiReadTimeout ?? '5s'};
  }
  location /raw/ {
  proxy_pass http://127.0.0.1:${s.spare[0] ?? 0};
}
${fill(c.extraServer)}
}
}
`;
}

export const nginx: Gateway = {
  installed: () => existsSync(NGINX),
  build: (s) => ({
    conf: conf(s),
    confPath: s.path('nginx.conf'),
    cmd: NGINX,
    args: ['-c', s.path('nginx.conf'), '-p', s.dir, '-e', s.logs.error],
    stopSignal: 'SIGQUIT',
  }),
};
