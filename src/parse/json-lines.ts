// Parses JSON-per-line application logs (pino, bunyan, winston, structlog, Python json loggers).
import type { LogRecord, Producer } from '../events/types.ts';
import { appText, startsRecord } from './app-text.ts';
import { makeRecord, type RecordParser } from './record.ts';
import { parseIsoPrefix } from './time.ts';

type Json = Record<string, unknown>;

const SYSLOG_LEVELS = ['emerg', 'alert', 'crit', 'error', 'warning', 'notice', 'info', 'debug'];
const PINO_LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warning', 50: 'error', 60: 'fatal' };

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function obj(v: unknown): Json | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

/** Reads epoch ms from `time`/`timestamp`/`ts`/`@timestamp`: epoch ms, epoch s, or ISO text. */
function timeOf(o: Json): { ms: number; zoned: boolean } {
  const journal = o.__REALTIME_TIMESTAMP;
  if (typeof journal === 'string' && /^\d{13,17}$/.test(journal)) return { ms: Math.floor(Number(journal) / 1000), zoned: true };
  for (const key of ['time', 'timestamp', 'ts', '@timestamp', 'date', 'asctime']) {
    const v = o[key];
    if (typeof v === 'number') return { ms: v > 1e11 ? v : Math.round(v * 1000), zoned: true };
    if (typeof v === 'string') {
      const t = parseIsoPrefix(v);
      if (t) return { ms: t.ms, zoned: t.zoned };
    }
  }
  return { ms: NaN, zoned: false };
}

function levelOf(o: Json): string {
  if (typeof o.PRIORITY === 'string') return SYSLOG_LEVELS[Number(o.PRIORITY)] ?? 'info';
  const v = o.level ?? o.severity ?? o.levelname ?? o.lvl;
  if (typeof v === 'number') return PINO_LEVELS[v] ?? (v >= 50 ? 'error' : 'info');
  return str(v).toLowerCase();
}

/** The error part: `err`/`error`/`exception`, as "Type: message\nstack". */
function errorText(o: Json): string {
  const e = o.err ?? o.error ?? o.exception ?? o.exc_info;
  if (typeof e === 'string') return e;
  const eo = obj(e);
  if (eo) {
    const stack = str(eo.stack);
    if (stack) return stack;
    return [str(eo.type ?? eo.name), str(eo.message)].filter(Boolean).join(': ');
  }
  return str(o.stack);
}

function requestOf(o: Json): string {
  const req = obj(o.req) ?? obj(o.request) ?? o;
  const method = str(req.method);
  const url = str(req.url ?? req.path ?? req.uri);
  return method && url ? `${method} ${url}` : '';
}

/** A JSON record, or, for the plain lines that share the file (a crash dump on stderr), an app-text record. */
function parse(text: string, source: number, line: number): LogRecord | undefined {
  if (text[0] !== '{') return appText.parse(text, source, line);
  let o: Json | undefined;
  try {
    o = obj(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!o) return undefined;
  const { ms, zoned } = timeOf(o);
  const msg = str(o.msg ?? o.message ?? o.MESSAGE ?? o.event);
  const err = errorText(o);
  const message = err && !msg.includes(err) ? `${msg}\n${err}` : msg;
  const ident = str(o.SYSLOG_IDENTIFIER);
  const producer: Producer = ident === 'kernel' || o._TRANSPORT === 'kernel' ? 'kernel' : ident === 'systemd' ? 'systemd'
    : typeof o.level === 'number' && 'pid' in o ? 'node' : 'app';
  return makeRecord(source, line, {
    time: ms, zoned, level: levelOf(o), producer, message, text, pid: str(o.pid), request: requestOf(o),
    host: str(o.hostname),
  });
}

/**
 * JSON loggers write one object per line, but the same file often catches the runtime's own plain
 * output too (Node.js prints an uncaught exception to stderr): those lines are read as app text.
 */
export const jsonLines: RecordParser = {
  kind: 'app',
  isStart: (line) => line[0] === '{' || startsRecord(line),
  proves: (line) => line[0] === '{',
  continues: (line, head, lines, prev) => line[0] !== '{' && head[0] !== '{' && appText.continues(line, head, lines, prev),
  parse,
};
