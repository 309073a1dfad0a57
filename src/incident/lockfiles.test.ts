import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffVersions, readLockfile } from './lockfiles.ts';

const npmLock = (express: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'shop' }, 'node_modules/express': { version: express }, 'node_modules/@scope/x': { version: '1.0.0' }, 'node_modules/debug': { version: '4.3.4' }, 'node_modules/express/node_modules/debug': { version: '2.6.9' }, ...extra } });

test('package-lock.json: versions by package name, the top-level copy wins over nested ones', () => {
  const v = readLockfile('package-lock.json', npmLock('4.18.2'));
  assert.equal(v?.get('express'), '4.18.2');
  assert.equal(v?.get('@scope/x'), '1.0.0');
  assert.equal(v?.get('debug'), '4.3.4');
  const after = readLockfile('package-lock.json', npmLock('5.0.0', { 'node_modules/left-pad': { version: '1.3.0' } }));
  assert.deepEqual(diffVersions(v ?? new Map<string, string>(), after ?? new Map<string, string>()), [
    { name: 'express', from: '4.18.2', to: '5.0.0' },
    { name: 'left-pad', from: null, to: '1.3.0' },
  ]);
});

test('composer.lock, requirements.txt, Gemfile.lock and poetry.lock', () => {
  assert.equal(readLockfile('composer.lock', JSON.stringify({ packages: [{ name: 'monolog/monolog', version: '3.5.0' }], 'packages-dev': [] }))?.get('monolog/monolog'), '3.5.0');
  const req = readLockfile('requirements.txt', '# pinned\nDjango==4.2.7\nrequests[socks] == 2.31.0 ; python_version > "3"\nflask>=2\n');
  assert.deepEqual([...(req ?? [])], [['django', '4.2.7'], ['requests', '2.31.0']]);
  const gem = readLockfile('Gemfile.lock', 'GEM\n  remote: https://rubygems.org/\n  specs:\n    rack (3.0.8)\n      base64 (>= 0)\n    rails (7.1.2)\n\nDEPENDENCIES\n  rails\n');
  assert.deepEqual([...(gem ?? [])], [['rack', '3.0.8'], ['rails', '7.1.2']]);
  const po = readLockfile('poetry.lock', '[[package]]\nname = "flask"\nversion = "3.0.0"\n\n[package.dependencies]\nversion = "9"\n\n[[package]]\nname = "jinja2"\nversion = "3.1.2"\n');
  assert.deepEqual([...(po ?? [])], [['flask', '3.0.0'], ['jinja2', '3.1.2']]);
});

test('a damaged JSON lockfile reads as undefined, not a crash; removals are listed', () => {
  assert.equal(readLockfile('package-lock.json', '{ nope'), undefined);
  assert.deepEqual(diffVersions(new Map([['a', '1']]), new Map()), [{ name: 'a', from: '1', to: null }]);
});
