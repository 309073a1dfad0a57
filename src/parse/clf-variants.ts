// Reads Common/combined Log Format lines that the strict combined parser refuses: a second field that is not `-`
// (lighttpd's default `%h %V %u`, an identd name), `-` for status and size (Traefik, no response), extra spaces
// (Jetty's NCSA log), month names in another language (`02/sept./2015`, Java's French locale), a time with no
// zone, a virtual host before the request, and extra number fields between size and referer (lighttpd, mtail).
import type { AccessEvent } from '../events/types.ts';
import type { AccessParser } from './nginx-log-format.ts';

const LINE =
  /^(\S{1,300}) {1,3}(\S{1,300}) {1,3}(\S{1,300}) {1,3}(?:-{1,2} )?\[(\d{2})\/([^/\s\]]{3,6})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?(?: ?([+-]\d{4}))? ?\] (?:([\w.:-]{1,300}) )?"([^"]{0,16000})" (\d{3}|-) (\d{1,15}|-)(?: \d{1,15}){0,6}(?: "([^"]{0,8000})"(?: "([^"]{0,8000})")?)?/;

/** Month names as English, French, German, Spanish, Italian and Dutch locales abbreviate them, lower case, without the dot. */
const MONTHS: Readonly<Record<string, number>> = (() => {
  const names = [
    ['jan', 'janv', 'ene', 'gen', 'jän'], ['feb', 'févr', 'fevr', 'fév', 'fev'], ['mar', 'mars', 'mär', 'mrz', 'maa', 'mrt'],
    ['apr', 'avr', 'abr'], ['may', 'mai', 'mei', 'mag'], ['jun', 'juin', 'giu'], ['jul', 'juil', 'lug'],
    ['aug', 'août', 'aout', 'ago'], ['sep', 'sept', 'set'], ['oct', 'okt', 'ott'], ['nov'], ['dec', 'déc', 'dez', 'dic'],
  ];
  const map: Record<string, number> = {};
  names.forEach((ns, i) => ns.forEach((n) => (map[n] = i)));
  return map;
})();

function monthOf(name: string): number | undefined {
  return MONTHS[name.toLowerCase().replace(/\.$/, '')];
}

function requestParts(req: string): { method: string; path: string } {
  const sp = req.indexOf(' ');
  if (sp < 0) return { method: '', path: req === '-' ? '' : req };
  const sp2 = req.indexOf(' ', sp + 1);
  return { method: req.slice(0, sp), path: sp2 < 0 ? req.slice(sp + 1) : req.slice(sp + 1, sp2) };
}

function isAddress(s: string): boolean {
  return /^[\d.]{7,15}$|^[\da-fA-F:]{2,45}$/.test(s);
}

export const clfVariants: AccessParser = {
  parse(line: string, source: number, lineNo: number): AccessEvent | undefined {
    const m = LINE.exec(line);
    if (!m) return undefined;
    const month = monthOf(m[5] ?? '');
    if (month === undefined) return undefined;
    const zone = m[10];
    const offset = zone ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) : 0;
    const time = Date.UTC(Number(m[6]), month, Number(m[4]), Number(m[7]), Number(m[8]), Number(m[9])) - offset * 60_000;
    // lighttpd's `%h %V`: the client, then the host; `- 127.0.0.1`: no client address, the host.
    const first = m[1] ?? '';
    const second = m[2] ?? '';
    const client = first === '-' && isAddress(second) ? second : first;
    const host = m[11] ?? '';
    const { method, path } = requestParts(m[12] ?? '');
    return {
      kind: 'access', source, line: lineNo, time, status: m[13] === '-' ? 0 : Number(m[13]), method, path, client, host: host.replace(/:\d{1,5}$/, ''),
      bytes: m[14] === '-' ? 0 : Number(m[14]), requestTime: NaN, upstreamAddr: '', upstreamStatus: '', upstreamConnectTime: '',
      upstreamHeaderTime: '', upstreamResponseTime: '', termination: '', producer: '', zoned: zone !== undefined, text: line,
    };
  },
};
