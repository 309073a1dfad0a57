// Reads W3C extended log files (IIS, CloudFront): "#Fields: date time c-ip cs-method cs-uri-stem sc-status …"
// names the columns of the lines after it, space- (IIS) or tab-separated (CloudFront). The reader keeps the last
// "#Fields:" it saw: a file starts with one and IIS writes it again after each restart; before any, IIS's default
// field list is assumed. Times are UTC, as the format defines them.
import type { AccessEvent } from '../events/types.ts';
import type { AccessParser } from './nginx-log-format.ts';
import { makeRecord, type RecordParser } from './record.ts';

/** IIS's default W3C fields (IIS 8.5 and later), for lines read before any "#Fields:" directive. */
const IIS_DEFAULT = 'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?$/;
const MAX_FIELDS = 64;
/** Every W3C line IIS and CloudFront write starts with the date and time fields. */
const START = /^\d{4}-\d{2}-\d{2}[ \t]\d{2}:\d{2}:\d{2}/;

let fields: readonly string[] = IIS_DEFAULT.split(' ');

function at(values: readonly string[], ...names: string[]): string {
  for (const n of names) {
    const i = fields.indexOf(n);
    const v = i >= 0 ? values[i] : undefined;
    if (v !== undefined && v !== '-') return v;
  }
  return '';
}

/** "time-taken": IIS writes milliseconds, CloudFront seconds with a fraction. */
function seconds(v: string): number {
  if (v === '') return NaN;
  return v.includes('.') ? Number(v) : Number(v) / 1000;
}

function parse(line: string, source: number, lineNo: number): AccessEvent | undefined {
  if (line.startsWith('#')) {
    if (line.startsWith('#Fields:')) {
      const names = line.slice(8).trim().split(/\s+/);
      if (names.length > 1 && names.length <= MAX_FIELDS) fields = names;
    }
    return undefined;
  }
  if (!START.test(line)) return undefined;
  // At most one more piece than there are fields: a long line of separators costs no more than its first fields.
  const values = line.split(line.includes('\t') ? '\t' : ' ', fields.length + 1);
  if (values.length !== fields.length) return undefined;
  const date = at(values, 'date');
  const time = at(values, 'time');
  const status = Number(at(values, 'sc-status'));
  if (!DATE.test(date) || !TIME.test(time) || !Number.isInteger(status) || status < 100 || status > 999) return undefined;
  const query = at(values, 'cs-uri-query');
  const stem = at(values, 'cs-uri-stem');
  return {
    kind: 'access', source, line: lineNo, time: Date.parse(`${date}T${time}Z`), zoned: true, status, method: at(values, 'cs-method'),
    path: stem + (query ? `?${query}` : ''), client: at(values, 'c-ip'), host: at(values, 'cs-host', 'cs(Host)', 'x-host-header'),
    bytes: Number(at(values, 'sc-bytes')) || 0, requestTime: seconds(at(values, 'time-taken')), upstreamAddr: '', upstreamStatus: '',
    upstreamConnectTime: '', upstreamHeaderTime: '', upstreamResponseTime: '', termination: '', producer: '', text: line,
  };
}

export const w3cAccess: AccessParser = { parse };

/** The "#Software:", "#Version:", "#Date:", "#Fields:" directives: read, so they are not unparsed, and never a cause. */
export const w3cDirectives: RecordParser = {
  kind: 'app',
  isStart: (line) => line.startsWith('#'),
  continues: () => false,
  parse: (text, source, line) => (text.startsWith('#') ? makeRecord(source, line, { time: NaN, level: 'info', producer: 'app', message: text, text }) : undefined),
};
