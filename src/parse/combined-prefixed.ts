// Reads combined lines that carry extra fields before the client address: a virtual host
// ("example.com 1.2.3.4 - - […"), an X-Forwarded-For chain, bare or quoted, or both.
import type { AccessEvent } from '../events/types.ts';
import { compileLogFormat, type AccessParser } from './nginx-log-format.ts';

const TAIL = compileLogFormat('$remote_addr $ident $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"', {
  kvTail: true,
  optionalAfter: 'body_bytes_sent',
});

/** Splits the text before " [time]" into the prefix fields and "client ident user". */
function splitPrefix(pre: string): { prefix: string[]; rest: string } | undefined {
  const tokens: string[] = [];
  let i = 0;
  while (i < pre.length) {
    if (pre[i] === ' ') {
      i++;
      continue;
    }
    if (pre[i] === '"') {
      const end = pre.indexOf('"', i + 1);
      if (end < 0) return undefined;
      tokens.push(pre.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < pre.length && pre[j] !== ' ') j++;
    // An address list "a, b, c" stays one token.
    while (pre[j - 1] === ',' && j < pre.length) {
      j++;
      while (j < pre.length && pre[j] !== ' ') j++;
    }
    tokens.push(pre.slice(i, j));
    i = j;
  }
  if (tokens.length < 4) return undefined;
  return { prefix: tokens.slice(0, -3), rest: tokens.slice(-3).join(' ') };
}

export const combinedPrefixed: AccessParser = {
  parse(line: string, source: number, lineNo: number): AccessEvent | undefined {
    const open = line.search(/ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:/);
    if (open <= 0) return undefined;
    const split = splitPrefix(line.slice(0, open));
    if (!split) return undefined;
    const e = TAIL.parse(`${split.rest}${line.slice(open)}`, source, lineNo);
    if (!e) return undefined;
    const host = split.prefix.find((t) => !t.startsWith('"') && !/^[\d.:a-fA-F,]+$/.test(t) && /[a-zA-Z]/.test(t));
    return { ...e, host: e.host || (host ?? '').replace(/:\d{1,5}$/, ''), text: line };
  },
};
