// A target's expectations checked against one answer; each failed condition shows the value seen (Gatus style).
import type { Check } from '../probe/types.ts';
import type { TargetConfig } from './config-schema.ts';

export interface Expectation {
  readonly failed: readonly string[];
  /** The answer passed, but slower than `maxLatency`. */
  readonly slow: boolean;
}

const show = (s: string, max = 60): string => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);

export function checkExpectations(http: Check | undefined, expect: TargetConfig['expect']): Expectation {
  if (!http?.status) return { failed: [`[CONNECTED] (${http?.detail ?? 'no HTTP answer'}) == true`], slow: false };
  const failed: string[] = [];
  const wanted = expect.status;
  const statusOk = wanted ? wanted.includes(http.status) : http.status >= 200 && http.status < 400;
  if (!statusOk) failed.push(`[STATUS] (${http.status}) ${wanted ? `in [${wanted.join(', ')}]` : 'in 200–399'}`);
  if (expect.body !== undefined && !(http.body ?? '').includes(expect.body)) failed.push(`[BODY] (${show(http.body ?? '')}) contains ${show(expect.body)}`);
  for (const [name, part] of Object.entries(expect.headers ?? {})) {
    const seen = http.headers?.[name];
    if (seen === undefined) failed.push(`[HEADER ${name}] (missing) present`);
    else if (part && !seen.includes(part)) failed.push(`[HEADER ${name}] (${show(seen)}) contains ${show(part)}`);
  }
  const total = http.phases?.total ?? http.ms;
  const slow = expect.maxLatency !== undefined && total > expect.maxLatency;
  return { failed, slow };
}
