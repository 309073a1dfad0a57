// Splits the text of log_format variables written side by side (`"$host$request_uri"`), where no literal
// separates them: only where the left value's characters and the right value's first character cannot overlap.
import { coded } from '../errors/codes.ts';

/** Characters a variable's whole value may hold (ASCII), and those its first character may be. */
interface Shape {
  readonly chars: (c: string) => boolean;
  readonly first: (c: string) => boolean;
}

const hostChar = (c: string): boolean => /[A-Za-z0-9.\-_:[\]]/.test(c);
// nginx writes addresses as dotted IPv4, lower-case IPv6, or "unix:" for a UNIX socket.
const addrChar = (c: string): boolean => /[0-9a-f.:nuix]/.test(c);
const numChar = (c: string): boolean => /[0-9.]/.test(c);
const anyChar = (): boolean => true;

const HOST: Shape = { chars: hostChar, first: hostChar };
const ADDR: Shape = { chars: addrChar, first: addrChar };
const NUMBER: Shape = { chars: numChar, first: numChar };
/** A URI as nginx keeps it: it starts with "/" (or "*" for `OPTIONS *`). */
const URI: Shape = { chars: anyChar, first: (c) => c === '/' || c === '*' };
/** "$request": a method in capitals first. */
const REQUEST: Shape = { chars: anyChar, first: (c) => /[A-Z]/.test(c) };

const SHAPES: Readonly<Record<string, Shape>> = {
  host: HOST, http_host: HOST, server_name: HOST, hostname: HOST, proxy_host: HOST, ssl_server_name: HOST,
  remote_addr: ADDR, realip_remote_addr: ADDR, server_addr: ADDR,
  status: NUMBER, body_bytes_sent: NUMBER, bytes_sent: NUMBER, request_length: NUMBER, request_time: NUMBER,
  connection: NUMBER, connection_requests: NUMBER, pid: NUMBER, msec: NUMBER, server_port: NUMBER, remote_port: NUMBER,
  scheme: { chars: (c) => /[a-z]/.test(c), first: (c) => /[a-z]/.test(c) },
  request_uri: URI, uri: URI, document_uri: URI,
  request: REQUEST,
};

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));

/** True when `left`'s value can be told from `right`'s: no character of the one can start the other. */
export function separable(left: string, right: string): boolean {
  const l = SHAPES[left];
  const r = SHAPES[right];
  if (!l || !r) return false;
  return !PRINTABLE.some((c) => l.chars(c) && r.first(c));
}

/**
 * Cuts `text`, the values of `names` written side by side, into one value per name. Where a pair is
 * separable the left value ends at its first character it cannot hold; elsewhere the left variable
 * takes the rest (and compileLogFormat's warning has said so).
 */
export function splitAdjacent(text: string, names: readonly string[]): string[] {
  const out: string[] = [];
  let p = 0;
  for (let k = 0; k < names.length; k++) {
    const name = names[k] ?? '';
    const next = names[k + 1];
    if (next === undefined || !separable(name, next)) {
      out.push(text.slice(p));
      p = text.length;
      continue;
    }
    const chars = SHAPES[name]?.chars ?? anyChar;
    let end = p;
    while (end < text.length && chars(text[end] ?? '')) end++;
    out.push(text.slice(p, end));
    p = end;
  }
  return out;
}

/** One coded warning per pair of variables side by side that cannot be told apart. */
export function adjacentWarnings(format: string, runs: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const run of runs) {
    for (let k = 0; k + 1 < run.length; k++) {
      const [a, b] = [run[k] ?? '', run[k + 1] ?? ''];
      if (separable(a, b)) continue;
      out.push(coded('FIVEXX_LOG_FORMAT_AMBIGUOUS', `log_format ${JSON.stringify(format)}: $${a}$${b} are written side by side with nothing between them that tells where $${a} ends; fivexx reads their text as $${a} (put a separator between them, e.g. "$${a} $${b}")`));
    }
  }
  return out;
}
