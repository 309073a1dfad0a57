import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunicornLimits } from './gunicorn.ts';
import { readAppSettings } from './index.ts';
import { phpFpmLimit } from './php-fpm.ts';
import { uwsgiLimits } from './uwsgi.ts';

test('gunicorn: conf.py assignments, command-line flags, defaults', () => {
  assert.deepEqual(gunicornLimits('bind = "127.0.0.1:8000"\ntimeout = 120\n', 'g.py').timeout, { server: 'gunicorn', setting: 'timeout', seconds: 120, file: 'g.py', line: 2, binds: ['127.0.0.1:8000'] });
  assert.deepEqual(gunicornLimits('bind = ["unix:/run/a.sock", "0.0.0.0:80"]', 'g.py').timeout.binds, ['unix:/run/a.sock', '0.0.0.0:80']);
  assert.deepEqual(gunicornLimits('ExecStart=/usr/bin/gunicorn -b 127.0.0.1:9 app:app', 'u').timeout.binds, ['127.0.0.1:9']);
  assert.equal(gunicornLimits('ExecStart=/usr/bin/gunicorn --timeout=90 --keep-alive 7 app:app', 'u').timeout.seconds, 90);
  assert.equal(gunicornLimits('ExecStart=/usr/bin/gunicorn -t 45 app:app', 'u').keepalive.seconds, 2);
  assert.equal(gunicornLimits('', 'u').timeout.setting, 'timeout (default)');
});

test('php-fpm: the shortest of request_terminate_timeout and max_execution_time, pool includes and php.ini followed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-fpm-'));
  mkdirSync(join(dir, 'pool.d'));
  writeFileSync(join(dir, 'php-fpm.conf'), '[global]\ninclude=pool.d/*.conf\n');
  writeFileSync(join(dir, 'pool.d', 'www.conf'), '[www]\n;request_terminate_timeout = 5\nrequest_terminate_timeout = 2m\n');
  writeFileSync(join(dir, 'php.ini'), '[PHP]\nmax_execution_time = 300\n');
  const l = phpFpmLimit(join(dir, 'php-fpm.conf'));
  assert.deepEqual([l?.setting, l?.seconds, l?.line], ['request_terminate_timeout', 120, 3]);
  assert.deepEqual(l?.binds, []);
  writeFileSync(join(dir, 'pool.d', 'www.conf'), '[www]\nphp_admin_value[max_execution_time] = 20\n');
  assert.equal(phpFpmLimit(join(dir, 'php-fpm.conf'))?.seconds, 20);
});

test('uwsgi: harakiri in [uwsgi] only; settings gathered, unreadable files named', () => {
  assert.equal(uwsgiLimits('[other]\nharakiri = 5\n[uwsgi]\nharakiri = 60\n', 'u.ini').timeout?.line, 4);
  const s = readAppSettings({ phpFpm: [], gunicorn: ['/nonexistent/g.py'], uwsgi: [] });
  assert.equal(s.timeouts.length, 0);
  assert.equal(s.unreadable.length, 1);
});
