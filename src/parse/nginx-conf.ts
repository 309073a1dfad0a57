// Reads `log_format` directives out of an nginx configuration so custom access logs can be parsed.

/** Splits config text into directive words, honouring quotes, escapes and comments. */
function words(text: string): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === ';' || c === '{' || c === '}') {
      if (cur.length) out.push(cur);
      cur = [];
      i++;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let w = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const n = text[j + 1];
          w += n === 'n' ? '\n' : n === 't' ? '\t' : n === c || n === '\\' ? n : '\\' + n;
          j += 2;
        } else w += text[j++];
      }
      cur.push(w);
      i = j + 1;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s;{}'"]/.test(text[j] ?? '')) j++;
      cur.push(text.slice(i, j));
      i = j;
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Every `log_format NAME [escape=…] STRING…;` in the text, by name. `combined` is always present. */
export function readLogFormats(text: string): Map<string, string> {
  const formats = new Map<string, string>();
  for (const w of words(text)) {
    if (w[0] !== 'log_format' || w.length < 3) continue;
    const name = w[1] ?? '';
    const parts = w.slice(2).filter((p) => !p.startsWith('escape='));
    formats.set(name, parts.join(''));
  }
  return formats;
}
