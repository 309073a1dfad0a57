// Reads a saved HTTP response as people paste it: `curl -i` output (the last of several blocks),
// `curl -v` output (`< ` lines), or a bare body / browser-saved page whose status is read from its text.
import type { Response } from './responders.ts';

/** The status line of a response, `HTTP/1.1 502 Bad Gateway`, `HTTP/2 520`, `HTTP/2.0 503`. */
const STATUS_LINE = /^HTTP\/\d(?:\.\d)? (\d{3})(?: ([^\r\n]{0,200}))?\r?$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}):[ \t]{0,20}([^\r\n]{0,8192}?)[ \t]*\r?$/;

export interface SavedPage extends Response {
  /** Where the status came from: a status line, or the page's own text (a title or a JSON field). */
  readonly statusFrom: 'status-line' | 'page-text' | 'none';
}

interface Block {
  status: number;
  reason: string;
  headers: Record<string, string>;
  rest: string;
}

/** One status line and its headers at the start of `text`, or undefined. */
function block(text: string): Block | undefined {
  const lines = text.split('\n');
  const m = STATUS_LINE.exec(lines[0] ?? '');
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  let i = 1;
  for (; i < lines.length && i < 500; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') break;
    const h = HEADER_LINE.exec(line);
    if (!h) break;
    const name = (h[1] ?? '').toLowerCase();
    headers[name] = headers[name] === undefined ? h[2] ?? '' : `${headers[name]}, ${h[2] ?? ''}`;
  }
  const rest = lines.slice(i + (lines[i]?.trim() === '' ? 1 : 0)).join('\n');
  return { status: Number(m[1]), reason: (m[2] ?? '').trim(), headers, rest };
}

/** `curl -v` output: the `< ` lines are the response head; the body follows the last of them. */
function fromVerbose(text: string): string | undefined {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => /^< HTTP\//.test(l));
  if (first < 0) return undefined;
  const head: string[] = [];
  let i = first;
  for (; i < lines.length && /^< ?/.test(lines[i] ?? ''); i++) head.push((lines[i] ?? '').replace(/^< ?/, ''));
  const body = lines.slice(i).filter((l) => !/^[*{}>] /.test(l) && !/^\* /.test(l));
  return `${head.join('\n')}\n${head.at(-1)?.trim() === '' ? '' : '\n'}${body.join('\n')}`;
}

/** The status a bare page states about itself: `<title>502 Bad Gateway`, `Error 503`, `"status": 500`. */
export function statusFromText(body: string): number {
  const head = body.slice(0, 4096);
  const patterns = [
    /<title>[^<]{0,100}?\b(5\d\d)\b/i, /<h[12][^>]{0,40}>[^<]{0,60}?\b(5\d\d)\b/i, /"(?:status|statusCode|error_code|code)"\s{0,5}:\s{0,5}"?(5\d\d)\b/,
    /^\s{0,20}(?:Error |HTTP )?(5\d\d)\b/, /\b(5\d\d) (?:Bad Gateway|Service Unavailable|Gateway Time-?out|Internal Server Error)\b/i,
  ];
  for (const p of patterns) {
    const m = p.exec(head);
    if (m) return Number(m[1]);
  }
  // A page that is only a reason phrase (Traefik's "Bad Gateway") or titled by one.
  const phrase = /^\s{0,20}(?:<[^>]{0,80}>\s{0,20}){0,6}(Internal Server Error|Bad Gateway|Service (?:Temporarily )?Unavailable|Gateway Time-?out)\b/i.exec(head)?.[1]?.toLowerCase() ?? '';
  const byPhrase: Record<string, number> = { 'internal server error': 500, 'bad gateway': 502, 'service unavailable': 503, 'service temporarily unavailable': 503, 'gateway timeout': 504, 'gateway time-out': 504 };
  return byPhrase[phrase] ?? 0;
}

/** Parses a saved response; never throws (a text with no status line is a bare body). */
export function parseSavedPage(input: string): SavedPage {
  let text = input.replace(/^\uFEFF/, '');
  if (!/^HTTP\//.test(text)) text = fromVerbose(text) ?? text;
  let b = block(text);
  // `curl -i -L` and `100 Continue` print several heads: the last one is the response.
  for (let n = 0; b && n < 20; n++) {
    const next = block(b.rest.replace(/^\r?\n/, ''));
    if (!next || !(b.status < 200 || (b.status >= 300 && b.status < 400))) break;
    b = next;
  }
  if (b) {
    const body = b.rest.replace(/\r\n/g, '\n');
    return { status: b.status, reason: b.reason, headers: b.headers, body, statusFrom: 'status-line' };
  }
  const status = statusFromText(text);
  return { status, reason: '', headers: {}, body: text, statusFrom: status ? 'page-text' : 'none' };
}
