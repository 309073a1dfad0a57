import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STATUSES } from './content.ts';
import { PALETTES, renderHtml, renderJson } from './render.ts';

/** WCAG relative luminance and contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string): number => {
    const [r, g, bl] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

test('text colours pass WCAG AA (4.5:1) on the page and on the boxes, in light and dark', () => {
  for (const [name, p] of Object.entries(PALETTES)) {
    for (const fg of [p.fg, p.muted, p.accent]) {
      for (const bg of [p.bg, p.card]) assert.ok(contrast(fg, bg) >= 4.5, `${name}: ${fg} on ${bg} is ${contrast(fg, bg).toFixed(2)}:1`);
    }
  }
});

test('accessible, self-contained pages; only 502/503/504 retry by themselves', () => {
  for (const s of STATUSES) {
    const html = renderHtml(s, 'ssi', { statusUrl: 'https://status.example.com/?a=1&b="2"' });
    assert.match(html, /<html lang="en">/);
    assert.equal(html.match(/<h1>/g)?.length, 1);
    assert.match(html, /prefers-color-scheme: dark/);
    assert.match(html, /<meta name="viewport"/);
    assert.doesNotMatch(html, /<script|<link|<img|src=|url\(|@import/i, 'no scripts or external assets');
    assert.match(html, /href="https:\/\/status\.example\.com\/\?a=1&amp;b=&quot;2&quot;"/, 'the status URL is escaped');
    assert.equal(/http-equiv="refresh"/.test(html), s !== 500);
    assert.match(html, /do not send it again/);
    assert.match(html, /private window/);
    assert.match(html, /another network/);
  }
});

test('each server\'s placeholders, and HAProxy\'s literal % doubled', () => {
  assert.match(renderHtml(502, 'ssi'), /<dd><!--#echo var="UNIQUE_ID" --><\/dd>/);
  const lf = renderHtml(502, 'haproxy', { statusUrl: 'https://s.example/?q=100%' });
  assert.match(lf, /<dd>%\[unique-id\]<\/dd>/);
  assert.match(lf, /q=100%%/);
  assert.match(renderHtml(503, 'caddy'), /\{\{placeholder "http\.request\.uuid"\}\}/);
});

test('the JSON variant is valid JSON once the server fills it in', () => {
  for (const s of STATUSES) {
    const filled = renderJson(s, 'haproxy').replace('%[unique-id]', 'abc').replace('%T', '27/Nov/2026:13:00:00 +0000');
    const doc = JSON.parse(filled) as { error: { status: number; requestId: string; retryAfterSeconds?: number } };
    assert.deepEqual([doc.error.status, doc.error.requestId, doc.error.retryAfterSeconds !== undefined], [s, 'abc', s !== 500]);
  }
});
