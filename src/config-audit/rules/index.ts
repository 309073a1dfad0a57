// The rules: every other module in this folder that exports `rule` (adding a rule is adding a file).
import { readdirSync } from 'node:fs';
import type { Rule } from '../rule.ts';

let cached: Promise<Rule[]> | undefined;

export function loadRules(): Promise<Rule[]> {
  cached ??= (async () => {
    const dir = new URL('./', import.meta.url);
    const files = readdirSync(dir).filter((f) => /^[a-z-]+\.(ts|js)$/.test(f) && !f.startsWith('index.')).sort();
    const rules: Rule[] = [];
    for (const f of files) {
      const mod = (await import(new URL(f, dir).href)) as { rule?: Rule };
      if (mod.rule) rules.push(mod.rule);
    }
    return rules;
  })();
  return cached;
}
