// Reads directives with their file line out of nginx (blocks and semicolons) and line-based configs (Apache, HAProxy, PHP-FPM).

export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  readonly line: number;
  /** The enclosing blocks or sections, outermost first: ["http", "server", "location /api"]. */
  readonly context: readonly string[];
}

/** nginx syntax: words up to `;` or `{`, quotes and `#` comments honoured, blocks tracked. */
export function nginxDirectives(text: string): Directive[] {
  const out: Directive[] = [];
  const stack: string[] = [];
  let cur: string[] = [];
  let start = 0;
  let line = 1;
  let i = 0;
  const end = (): void => {
    if (cur.length) out.push({ name: cur[0] ?? '', args: cur.slice(1), line: start, context: [...stack] });
    cur = [];
  };
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === '\n') line++;
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === ';') {
      end();
      i++;
    } else if (c === '{') {
      stack.push(cur.join(' '));
      cur = [];
      i++;
    } else if (c === '}') {
      end();
      stack.pop();
      i++;
    } else if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      const j = close < 0 ? text.length : close;
      if (!cur.length) start = line;
      const w = text.slice(i + 1, j);
      line += w.split('\n').length - 1;
      cur.push(w);
      i = j + 1;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s;{}'"#]/.test(text[j] ?? '')) j++;
      if (!cur.length) start = line;
      cur.push(text.slice(i, j));
      i = j;
    }
  }
  end();
  return out;
}

/** Splits one line into words, honouring double quotes. */
function lineWords(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

/**
 * One directive per line, `#` comments dropped. Apache `<Section args>` opens a context and `</Section>`
 * closes it; names in `sections` (HAProxy's global, defaults, frontend, backend, listen) start a new one.
 */
export function lineDirectives(text: string, sections: ReadonlySet<string> = new Set()): Directive[] {
  const out: Directive[] = [];
  const stack: string[] = [];
  text.split('\n').forEach((raw, n) => {
    const l = raw.replace(/^\s*#.*$/, '').trim();
    if (!l) return;
    const close = /^<\/([\w-]+)\s*>$/.exec(l);
    if (close) {
      stack.pop();
      return;
    }
    const open = /^<([\w-]+)\s*([^>]*)>$/.exec(l);
    if (open) {
      stack.push(`${open[1] ?? ''} ${open[2] ?? ''}`.trim());
      return;
    }
    const w = lineWords(l);
    const name = w[0] ?? '';
    if (sections.has(name.toLowerCase())) {
      stack.length = 0;
      stack.push(w.join(' '));
      return;
    }
    out.push({ name, args: w.slice(1), line: n + 1, context: [...stack] });
  });
  return out;
}
