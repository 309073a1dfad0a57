// Renders the 502 page in Debian's headless Chromium (as scripts/pages-screenshot.ts does for the README): a PNG of the window's size.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHROMIUM, screenshot } from '../src/pages/screenshot.ts';

test('the 502 page renders in headless Chromium, light and dark', (t) => {
  if (!CHROMIUM) return t.skip('chromium is not installed (apt-get install -y chromium); scripts/pages-screenshot.ts needs it too');
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-png-'));
  for (const dark of [false, true]) {
    const png = join(dir, `502-${dark}.png`);
    assert.equal(screenshot(502, png, { dark }), undefined);
    const b = readFileSync(png);
    assert.equal(b.subarray(1, 4).toString('latin1'), 'PNG');
    assert.deepEqual([b.readUInt32BE(16), b.readUInt32BE(20)], [1000, 800], 'IHDR width and height');
  }
});
