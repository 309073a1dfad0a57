import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { logicalLines, readApache, readEnvvars, splitWords } from './apache.ts';

test('words: quotes group, escaped quotes stay; continuation lines join and keep the first line number', () => {
  assert.deepEqual(splitWords('SetHandler "proxy:unix:/run/a b.sock|fcgi://localhost" x'), ['SetHandler', 'proxy:unix:/run/a b.sock|fcgi://localhost', 'x']);
  assert.deepEqual(splitWords('Header "a \\"b\\""'), ['Header', 'a "b"']);
  assert.deepEqual(logicalLines('# c\n  ProxyPass / \\\n   http://127.0.0.1:1/\n\nX'), [{ text: 'ProxyPass /    http://127.0.0.1:1/', line: 2 }, { text: 'X', line: 5 }]);
});

test('sections nest, IncludeOptional globs read from ServerRoot, ${VAR} from envvars and Define', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-apache-'));
  mkdirSync(join(dir, 'sites'));
  writeFileSync(join(dir, 'envvars'), 'export APACHE_RUN_USER=www-data\nexport APACHE_LOG_DIR=/var/log/apache2$SUFFIX\n');
  writeFileSync(join(dir, 'apache2.conf'), `ServerRoot ${dir}\nDefine PORT 8000\nUser \${APACHE_RUN_USER}\nIncludeOptional sites/*.conf\nIncludeOptional none/*.conf\n`);
  writeFileSync(join(dir, 'sites', 'a.conf'), '<VirtualHost *:80>\n  <Location /api>\n    ProxyPass http://127.0.0.1:${PORT}/\n  </Location>\n</VirtualHost>\n');
  const c = readApache(join(dir, 'apache2.conf'));
  assert.equal(c.files.length, 2);
  assert.deepEqual(c.tree[2]?.args, ['www-data']);
  const vhost = c.tree[3];
  assert.equal(vhost?.name, 'VirtualHost');
  const pass = vhost?.children?.[0]?.children?.[0];
  assert.deepEqual([pass?.name, pass?.args, pass?.line], ['ProxyPass', ['http://127.0.0.1:8000/'], 3]);
  assert.equal(readEnvvars('export APACHE_LOG_DIR=/var/log/apache2$SUFFIX').get('APACHE_LOG_DIR'), '/var/log/apache2');
});

test('<IfModule x> is read as true (its lines join the parent), <IfModule !x> as false', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-apache-'));
  writeFileSync(join(dir, 'apache2.conf'), '<IfModule mod_proxy.c>\n  ProxyTimeout 30\n</IfModule>\n<IfModule !mod_proxy.c>\n  ProxyTimeout 99\n</IfModule>\n<VirtualHost *:80>\n</VirtualHost>\n');
  const c = readApache(join(dir, 'apache2.conf'));
  assert.deepEqual(c.tree.map((d) => [d.name, d.args, d.line]), [['ProxyTimeout', ['30'], 2], ['VirtualHost', ['*:80'], 7]]);
});
