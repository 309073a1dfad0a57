import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadFormats } from './formats.ts';
import { isBanner, loadBanners } from './lifecycle.ts';
import { parseSample } from './parse-sample.ts';
import { nestedQuantifier, worstCaseMs } from './regex-safety.ts';

const formats = loadFormats();

test('start banners recognise their real sample lines and none of their negative ones', () => {
  for (const b of loadBanners()) {
    for (const [list, want] of [[b.samples.match, true], [b.samples.noMatch, false]] as const) {
      for (const s of list) {
        const r = parseSample(formats, s.format, s.text);
        assert.ok(typeof r !== 'string' && r.kind === 'log', `lifecycle.yaml: ${typeof r === 'string' ? r : 'not a record'}: ${s.text}`);
        assert.equal(isBanner([b], r), want, `lifecycle.yaml: /${b.regex.source}/ ${want ? 'misses' : 'takes'} ${s.text}`);
      }
    }
  }
});

test('start banner regexes are safe from catastrophic backtracking', () => {
  for (const b of loadBanners()) {
    assert.ok(!nestedQuantifier(b.regex.source), `/${b.regex.source}/ nests an unbounded quantifier`);
    assert.ok(worstCaseMs(b.regex) < 100, `/${b.regex.source}/ is slow on a hostile line`);
  }
});
