// scrypt hashes, sessions and the login limiter.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cookies, hashPassword, LoginLimiter, sameSecret, Sessions, verifyPassword } from './auth.ts';

test('a password verifies against its own hash only; malformed or costly hashes never match', async () => {
  const h = await hashPassword('correct horse battery staple');
  assert.match(h, /^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  assert.equal(await verifyPassword('correct horse battery staple', h), true);
  assert.equal(await verifyPassword('correct horse battery stapler', h), false);
  assert.notEqual(await hashPassword('correct horse battery staple'), h, 'a fresh salt each time');
  assert.equal(await verifyPassword('x', 'plain-text'), false);
  assert.equal(await verifyPassword('x', h.replace('$16384$', '$1073741824$')), false);
  assert.equal(await verifyPassword('x', h.replace('$16384$', '$3000$')), false);
});

test('sessions expire after their lifetime and can be dropped', () => {
  let now = 1000;
  const s = new Sessions(60_000, () => now);
  const a = s.create('ops');
  assert.notEqual(a.id, a.csrf);
  assert.equal(s.get(a.id)?.user, 'ops');
  assert.equal(s.get('nope'), undefined);
  now += 60_001;
  assert.equal(s.get(a.id), undefined);
  const b = s.create('ops');
  s.drop(b.id);
  assert.equal(s.get(b.id), undefined);
});

test('the limiter allows five failures per key and window, then makes the key wait', () => {
  let now = 0;
  const l = new LoginLimiter(5, 60_000, () => now);
  for (let i = 0; i < 5; i++) {
    assert.equal(l.waitFor(['a:1', 'u:ops']), 0);
    l.fail(['a:1', 'u:ops']);
  }
  assert.equal(l.waitFor(['a:1']), 60);
  assert.equal(l.waitFor(['a:2', 'u:ops']), 60, 'the name is limited from any address');
  assert.equal(l.waitFor(['a:2', 'u:other']), 0);
  now = 60_000;
  assert.equal(l.waitFor(['a:1', 'u:ops']), 0);
});

test('cookies and secrets', () => {
  assert.equal(cookies('a=1; fivexx_session=xyz; a=2').get('fivexx_session'), 'xyz');
  assert.equal(cookies('a=1; fivexx_session=xyz; a=2').get('a'), '1');
  assert.equal(cookies(undefined).size, 0);
  assert.equal(sameSecret('abc', 'abc'), true);
  assert.equal(sameSecret('abc', 'abd'), false);
  assert.equal(sameSecret('abc', 'abcd'), false);
});
