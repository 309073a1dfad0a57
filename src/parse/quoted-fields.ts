// Splits a space-separated log line whose fields may be "double quoted" (ALB, Envoy).
export function quotedFields(line: string, max = 64): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length && out.length < max) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    if (line[i] === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      out.push(line.slice(i + 1, j));
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && line[j] !== ' ') j++;
      out.push(line.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** "GET http://example.com:80/a?b HTTP/1.1" → method and origin-form path. */
export function splitRequestLine(req: string): { method: string; path: string } {
  const [method = '', target = ''] = req.split(' ');
  if (!target.startsWith('http://') && !target.startsWith('https://')) return { method, path: target };
  const slash = target.indexOf('/', target.indexOf('//') + 2);
  return { method, path: slash < 0 ? '/' : target.slice(slash) };
}
