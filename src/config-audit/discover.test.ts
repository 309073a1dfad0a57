import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sniffKind } from './discover.ts';

test('a config\'s server from its name, else from its first directives', () => {
  assert.equal(sniffKind('/etc/nginx/sites-enabled/shop', 'server { listen 80; }'), 'nginx');
  assert.equal(sniffKind('/x/site.conf', 'server {\n  listen 80;\n}\n'), 'nginx');
  assert.equal(sniffKind('/x/site.conf', '<VirtualHost *:80>\n  ProxyPass / http://127.0.0.1:1/\n</VirtualHost>\n'), 'apache');
  assert.equal(sniffKind('/x/lb.cfg', 'global\n  daemon\nbackend app\n  server a 127.0.0.1:1\n'), 'haproxy');
  assert.equal(sniffKind('/x/notes.txt', 'hello world'), undefined);
});
