import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from './prometheus.ts';

test('the text format: help, type, escaped labels, cumulative buckets', () => {
  const r = new Registry();
  const c = r.add(new Counter('x_total', 'Xs.', ['target', 'cause']));
  c.inc({ target: 'a"b\\c\nd', cause: 'upstream.refused' });
  c.inc({ target: 'a"b\\c\nd', cause: 'upstream.refused' }, 2);
  const g = r.add(new Gauge('g', 'G.', []));
  g.set({}, 5);
  const h = r.add(new Histogram('h_seconds', 'H.', ['phase'], [0.1, 1]));
  h.observe({ phase: 'total' }, 0.05);
  h.observe({ phase: 'total' }, 0.5);
  h.observe({ phase: 'total' }, 5);
  assert.equal(r.render(), [
    '# HELP x_total Xs.', '# TYPE x_total counter', 'x_total{target="a\\"b\\\\c\\nd",cause="upstream.refused"} 3',
    '# HELP g G.', '# TYPE g gauge', 'g 5',
    '# HELP h_seconds H.', '# TYPE h_seconds histogram',
    'h_seconds_bucket{phase="total",le="0.1"} 1', 'h_seconds_bucket{phase="total",le="1"} 2', 'h_seconds_bucket{phase="total",le="+Inf"} 3',
    'h_seconds_sum{phase="total"} 5.55', 'h_seconds_count{phase="total"} 3',
  ].join('\n') + '\n');
});

test('label sets are bounded: past maxSeries new ones fold into "other"', () => {
  const c = new Counter('c', 'C.', ['path'], 3);
  for (let i = 0; i < 100; i++) c.inc({ path: `/p${i}` });
  assert.equal(c.lines().length, 4);
  assert.equal(c.get({ path: 'other' }), 97);
});
