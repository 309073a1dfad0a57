// HTML character references are decoded before bodies are matched (Akamai escapes its Reference line).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuMs } from '../../test/support/cpu-time.ts';
import { decodeEntities } from './entities.ts';

test('numeric, hexadecimal and named references are decoded; unknown and invalid ones are kept', () => {
  assert.equal(decodeEntities('Reference&#32;&#35;179&#46;8c346d68'), 'Reference #179.8c346d68');
  assert.equal(decodeEntities('a&#x3D;b &amp; &lt;p&gt; &rsquo;'), 'a=b & <p> ’');
  assert.equal(decodeEntities('&bogus; &#0; &#xD800; &#99999999;'), '&bogus; &#0; &#xD800; &#99999999;');
  assert.equal(decodeEntities('no references'), 'no references');
});

test('decoding is linear on a long run of ampersands', () => {
  // CPU time of this process, not wall time: load elsewhere on the machine does not count.
  const ms = cpuMs(() => decodeEntities('&#'.repeat(500_000) + '&amp'.repeat(200_000)));
  assert.ok(ms < 1000, `${ms.toFixed(0)} CPU ms`);
});
