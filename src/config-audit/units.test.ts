import assert from 'node:assert/strict';
import { test } from 'node:test';
import { haproxySeconds, nginxBytes, nginxSeconds, plainSeconds, showSeconds } from './units.ts';

test('each server reads its own units', () => {
  assert.equal(nginxSeconds('75'), 75);
  assert.equal(nginxSeconds('1m30s'), 90);
  assert.equal(nginxSeconds('500ms'), 0.5);
  assert.equal(nginxSeconds('5x'), undefined);
  assert.equal(haproxySeconds('30'), 0.03);
  assert.equal(haproxySeconds('30s'), 30);
  assert.equal(plainSeconds('2m'), 120);
  assert.equal(plainSeconds('x'), undefined);
  assert.equal(nginxBytes('4k'), 4096);
  assert.equal(nginxBytes('1M'), 1048576);
  assert.equal(showSeconds(0.5), '500ms');
  assert.equal(showSeconds(60), '60s');
});
