// The server snippets that serve the pages: nginx, Apache, HAProxy and Caddy, each pointing at the absolute output folder.
import { STATUSES } from './content.ts';

const CODES = STATUSES.join(' ');

export function nginxSnippet(dir: string): string {
  return `# fivexx error pages for nginx. Include this file inside each server { } block:
#   include ${dir}/nginx.conf;
# The pages use SSI for the request ID and time; the request ID is also sent as X-Request-ID
# (log it with $request_id in your log_format to find the request).
set $fivexx_ext html;
if ($http_accept ~* "application/json") {
    set $fivexx_ext json;
}
${STATUSES.map((s) => `error_page ${s} /fivexx-errors/${s}.$fivexx_ext;`).join('\n')}
add_header X-Request-ID $request_id always;
# The app's own 500/502/503/504 get the pages too (remove to pass the app's error bodies through).
proxy_intercept_errors on;
fastcgi_intercept_errors on;
uwsgi_intercept_errors on;

location ^~ /fivexx-errors/ {
    internal;
    alias ${dir}/;
    ssi on;
    ssi_types application/json;
    set $unique_id $request_id;
    types { text/html html; application/json json; }
    charset utf-8;
    add_header X-Request-ID $request_id always;
    add_header Cache-Control "no-store" always;
}
`;
}

export function apacheSnippet(dir: string): string {
  return `# fivexx error pages for Apache httpd 2.4. Include this file in each VirtualHost, before your ProxyPass lines:
#   Include ${dir}/apache.conf
# Needs: a2enmod include unique_id headers alias proxy (mod_include fills in the request ID and time).
# The request ID is UNIQUE_ID: log it with %{UNIQUE_ID}e in your LogFormat to find the request.
Alias /fivexx-errors/ "${dir}/"
<Directory "${dir}">
    Options +Includes
    AddOutputFilter INCLUDES .html .json
    AddType "text/html; charset=utf-8" .html
    AddType application/json .json
    Require all granted
    Header always set Cache-Control "no-store"
</Directory>
<IfModule mod_proxy.c>
    ProxyPass /fivexx-errors/ !
    # The app's own 5xx get the pages too (remove to pass the app's error bodies through).
    ProxyErrorOverride On
</IfModule>
Header always set X-Request-ID "%{UNIQUE_ID}e"
<If "%{HTTP:Accept} =~ m#application/json#">
${STATUSES.map((s) => `    ErrorDocument ${s} /fivexx-errors/${s}.json`).join('\n')}
</If>
<Else>
${STATUSES.map((s) => `    ErrorDocument ${s} /fivexx-errors/${s}.html`).join('\n')}
</Else>
`;
}

function haproxyErrors(dir: string, ext: 'html' | 'json'): string {
  const type = ext === 'html' ? '"text/html; charset=utf-8"' : 'application/json';
  const errors = STATUSES.map((s) => `    http-error status ${s} content-type ${type} lf-file ${dir}/haproxy/${s}.${ext}`);
  const passthrough = STATUSES.map((s) => `    http-response return status ${s} content-type ${type} lf-file ${dir}/haproxy/${s}.${ext} if { status ${s} }`);
  return [...errors, ...passthrough].join('\n');
}

export function haproxySnippet(dir: string): string {
  return `# fivexx error pages for HAProxy 2.2 or later. Copy the lines into your configuration.
# The request ID is %[unique-id]: add %ID to your log-format to find the request.
#
# 1. In your frontend (or defaults):
    unique-id-format %{+X}o%ci%cp%fi%fp%Ts%rt%pid
    http-after-response set-header X-Request-ID %[unique-id]
    # JSON for API clients: route them to a copy of your backend that answers errors in JSON,
    # e.g. for a backend named app:
    #   use_backend app_json if { req.hdr(accept) -m sub application/json }
#
# 2. In your backend (HTML pages; the http-response lines also replace the app's own 5xx bodies):
${haproxyErrors(dir, 'html')}
#
# 3. In the JSON copy of your backend (same servers, these lines instead):
${haproxyErrors(dir, 'json')}
`;
}

export function caddySnippet(dir: string): string {
  return `# fivexx error pages for Caddy 2. Import this file inside your site block:
#   import ${dir}/Caddyfile
# The pages are Caddy templates: the request ID is {http.request.uuid}, also sent as X-Request-ID
# (add it to your log with log_append or read it in the access log's request fields).
header X-Request-ID {http.request.uuid}
handle_errors {
    header X-Request-ID {http.request.uuid}
    header Cache-Control no-store
    root * ${dir}/caddy
    @json header Accept *application/json*
    rewrite @json /{err.status_code}.json
    @html not header Accept *application/json*
    rewrite @html /{err.status_code}.html
    templates {
        mime text/html application/json
    }
    file_server {
        status {err.status_code}
    }
}
# The app's own 5xx get the pages too when your reverse_proxy block has these lines:
#   reverse_proxy 127.0.0.1:8000 {
#       @fivexx_error status ${CODES}
#       handle_response @fivexx_error {
#           error {http.reverse_proxy.status_code}
#       }
#   }
`;
}
