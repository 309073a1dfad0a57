// Parses varnishlog's text output grouped by request (varnishlog -g request): one record per client
// request with its backend fetch, whose FetchError names the cause Varnish hides behind its 503.
import type { LogRecord } from '../events/types.ts';
import { makeRecord, type RecordParser } from './record.ts';

const TOP = /^\*\s{1,4}<< (?:Request|BeReq|Session)\s{1,4}>> \d{1,20}/;
const TAG = /^[-*]{1,3}\s{1,4}(\w{2,30})\s{1,20}(.{0,4000})$/;
const REPORTED = new Set(['FetchError', 'BogoHeader', 'VCL_Error', 'RespStatus', 'RespReason', 'BerespStatus', 'BerespReason', 'Error']);

function parse(text: string, source: number, line: number): LogRecord | undefined {
  if (!TOP.test(text)) return undefined;
  const tags: [string, string][] = [];
  for (const l of text.split('\n')) {
    const m = TAG.exec(l);
    if (m) tags.push([m[1] ?? '', (m[2] ?? '').trimEnd()]);
  }
  const first = (name: string): string => tags.find(([t]) => t === name)?.[1] ?? '';
  const start = /^Start: (\d{9,11}(?:\.\d{1,9})?)/.exec(tags.find(([t, v]) => t === 'Timestamp' && v.startsWith('Start:'))?.[1] ?? '');
  const status = Number(first('RespStatus') || first('BerespStatus'));
  const message = tags.filter(([t]) => REPORTED.has(t)).map(([t, v]) => `${t}: ${v}`).join('\n');
  const url = first('ReqURL') || first('BereqURL');
  const method = first('ReqMethod') || first('BereqMethod');
  return makeRecord(source, line, {
    time: start ? Math.round(Number(start[1]) * 1000) : NaN, zoned: true,
    level: status >= 500 || tags.some(([t]) => t === 'FetchError') ? 'error' : 'info', producer: 'varnish', message, text,
    client: first('ReqStart').split(' ')[0] ?? '', request: url ? `${method || '?'} ${url}` : '',
  });
}

export const varnishlog: RecordParser = {
  kind: 'error',
  isStart: (line) => TOP.test(line),
  continues: (line) => !TOP.test(line),
  parse,
};
