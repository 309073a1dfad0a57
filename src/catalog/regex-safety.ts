// Checks that a catalog regex cannot backtrack catastrophically: a static look for nested or unbounded
// quantifiers inside quantified groups, and a run against long adversarial inputs built from its own text.

/** A quantified group that itself contains an unbounded quantifier, e.g. (a+)+ or (?:x*y)*. */
export function nestedQuantifier(source: string): boolean {
  const stack: { unbounded: boolean }[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      continue;
    }
    if (c === '(') stack.push({ unbounded: false });
    else if (c === ')') {
      const g = stack.pop();
      const q = source[i + 1];
      const groupQuantified = q === '*' || q === '+' || (q === '{' && /^\{\d*,\}/.test(source.slice(i + 1)));
      if (g?.unbounded && groupQuantified) return true;
      const top = stack[stack.length - 1];
      if (top && g?.unbounded) top.unbounded = true;
    } else if (c === '*' || c === '+' || (c === '{' && /^\{\d*,\}/.test(source.slice(i)))) {
      const top = stack[stack.length - 1];
      if (top) top.unbounded = true;
    }
  }
  return false;
}

/** Literal fragments of a regex source (runs of plain characters), used to build nasty inputs. */
function fragments(source: string): string[] {
  const out = source
    .replace(/\\[dDwWsSbB]/g, ' ')
    .replace(/\\(.)/g, '$1')
    .split(/[()[\]{}|?*+^$.]+/)
    .filter((f) => f.length >= 2);
  return out.length ? out : ['a'];
}

/** The slowest time (ms) the regex took on adversarial inputs of about `size` characters. */
export function worstCaseMs(re: RegExp, size = 50_000): number {
  const inputs: string[] = ['a'.repeat(size), ' '.repeat(size), '\n'.repeat(size), '0'.repeat(size), 'aA0 :/.-_'.repeat(size / 9)];
  for (const f of fragments(re.source)) inputs.push(f.repeat(Math.ceil(size / f.length)).slice(0, size) + '\u0001');
  const all = fragments(re.source).join(' ');
  inputs.push(all.repeat(Math.ceil(size / Math.max(1, all.length))).slice(0, size));
  // Each input's best of three: a busy machine only adds time, while catastrophic backtracking is slow every time.
  let worst = 0;
  for (const s of inputs) {
    let best = Infinity;
    for (let k = 0; k < 3 && best >= 10; k++) {
      const t = performance.now();
      re.test(s);
      best = Math.min(best, performance.now() - t);
    }
    worst = Math.max(worst, best);
  }
  return worst;
}
