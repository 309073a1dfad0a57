import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineDirectives, nginxDirectives } from './conf-directives.ts';

test('nginx: directives with lines and blocks; quotes and comments', () => {
  const d = nginxDirectives('http {\n  # access_log off;\n  error_log /var/log/nginx/error.log warn;\n  upstream app { server 127.0.0.1:3000; }\n  server {\n    location /api {\n      proxy_pass "http://app";\n    }\n  }\n}\n');
  assert.deepEqual(d.map((x) => [x.name, x.args, x.line, x.context]), [
    ['error_log', ['/var/log/nginx/error.log', 'warn'], 3, ['http']],
    ['server', ['127.0.0.1:3000'], 4, ['http', 'upstream app']],
    ['proxy_pass', ['http://app'], 7, ['http', 'server', 'location /api']],
  ]);
});

test('Apache sections and HAProxy sections', () => {
  const a = lineDirectives('ErrorLog ${APACHE_LOG_DIR}/error.log\n<VirtualHost *:80>\n  CustomLog "/var/log/apache2/shop access.log" combined\n</VirtualHost>\n');
  assert.deepEqual(a.map((x) => [x.name, x.args, x.line, x.context]), [
    ['ErrorLog', ['${APACHE_LOG_DIR}/error.log'], 1, []],
    ['CustomLog', ['/var/log/apache2/shop access.log', 'combined'], 3, ['VirtualHost *:80']],
  ]);
  const h = lineDirectives('global\n  log /dev/log local0\nbackend app\n  # off\n  server s1 127.0.0.1:3000 check\n', new Set(['global', 'backend']));
  assert.deepEqual(h.map((x) => [x.name, x.line, x.context]), [['log', 2, ['global']], ['server', 5, ['backend app']]]);
});
