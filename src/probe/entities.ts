// Decodes HTML character references in a page body before it is matched: numeric (&#35; &#x3D;) and the
// few named ones error pages use. Unknown names are left as they are; one pass, linear time.
const NAMED: Readonly<Record<string, string>> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', num: '#', period: '.', colon: ':', sol: '/',
  equals: '=', rsquo: '’', lsquo: '‘', ldquo: '“', rdquo: '”', hellip: '…', mdash: '—', ndash: '–', copy: '©',
};

function fromCode(code: number): string | undefined {
  if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
  return String.fromCodePoint(code);
}

export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/g, (all, dec?: string, hex?: string, name?: string) => {
    if (dec !== undefined) return fromCode(Number(dec)) ?? all;
    if (hex !== undefined) return fromCode(parseInt(hex, 16)) ?? all;
    return NAMED[name ?? ''] ?? all;
  });
}
