// The resolver diagnose uses: /etc/hosts first, RFC 6761 names answered locally, search domains for short
// names as getaddrinfo applies them, and a DNS server given on the command line.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { answeringAOnly, answeringDns } from '../../test/support/dns.ts';
import { hostsLookup, resolveHost, searchNames, validDnsServer } from './resolve.ts';

test('hosts file: every address of the name, comments ignored, case-insensitive', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-hosts-'));
  try {
    const f = join(dir, 'hosts');
    writeFileSync(f, '127.0.0.1 localhost\n# 10.0.0.9 shop\n10.0.0.1 Shop shop.local # web\n::1 shop\nbogus shop\n');
    assert.deepEqual(hostsLookup('shop', f), ['10.0.0.1', '::1']);
    assert.deepEqual(hostsLookup('missing', f), []);
    assert.deepEqual(hostsLookup('shop', join(dir, 'none')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('search domains: short names are tried with each domain, as getaddrinfo would (ndots)', () => {
  const conf = { search: ['default.svc.cluster.local', 'svc.cluster.local'], ndots: 5 };
  assert.deepEqual(searchNames('api', conf), ['api.default.svc.cluster.local', 'api.svc.cluster.local', 'api']);
  assert.deepEqual(searchNames('shop.example.com', { search: ['corp'], ndots: 1 }), ['shop.example.com', 'shop.example.com.corp']);
  assert.deepEqual(searchNames('shop.example.com.', conf), ['shop.example.com']);
});

test('localhost and .invalid never reach a DNS server; a name is asked of the --dns-server given', async () => {
  assert.ok((await resolveHost('localhost', 1000)).addresses.includes('127.0.0.1'));
  await assert.rejects(resolveHost('shop.invalid', 1000), { code: 'ENOTFOUND' });
  const dns = await answeringDns(['127.0.0.9']);
  try {
    const r = await resolveHost('shop.example.test', 2000, undefined, dns.address);
    assert.deepEqual(r.addresses, ['127.0.0.9']);
    assert.equal(r.source, 'dns');
  } finally {
    await dns.close();
  }
  assert.ok(validDnsServer('127.0.0.1:5353') && validDnsServer('[::1]:53') && validDnsServer('10.0.0.2'));
  assert.ok(!validDnsServer('dns.example') && !validDnsServer('127.0.0.1:0') && !validDnsServer('127.0.0.1:99999'));
});

test('an A answer is kept when the AAAA query is never answered (the phase does not wait out its timeout)', async () => {
  const dns = await answeringAOnly(['127.0.0.7']);
  try {
    // A 5 s timeout (about the longest the resolver honours for one try) and a 3 s bound, against 0.3 s of grace:
    // waiting out the timeout fails the test, a loaded machine does not.
    const t = performance.now();
    const r = await resolveHost('a-only.example.test', 5000, undefined, dns.address);
    assert.deepEqual(r.addresses, ['127.0.0.7']);
    assert.ok(performance.now() - t < 3000, `took ${(performance.now() - t).toFixed(0)} ms`);
  } finally {
    await dns.close();
  }
});
