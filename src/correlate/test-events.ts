// Builders of access events and findings for the correlate unit tests (real catalog causes).
import { loadCauses } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { AccessEvent, LogRecord } from '../events/types.ts';

export const catalog = loadCauses();

export const T0 = Date.UTC(2026, 10, 20, 14, 0, 0);

export function access(p: Partial<AccessEvent> = {}): AccessEvent {
  return {
    kind: 'access', source: 0, line: 1, time: T0, status: 502, method: 'GET', path: '/api/orders', client: '10.0.0.1', host: 'shop.test',
    bytes: 157, requestTime: NaN, upstreamAddr: '', upstreamStatus: '', upstreamConnectTime: '', upstreamHeaderTime: '', upstreamResponseTime: '',
    termination: '', producer: '', zoned: true, text: 'access line', ...p,
  };
}

export function finding(causeId: string, r: Partial<LogRecord> = {}): Finding {
  const cause = catalog.byId.get(causeId);
  const pattern = cause?.patterns[0];
  if (!cause || !pattern) throw new Error(`no cause ${causeId}`);
  const record: LogRecord = {
    kind: 'log', source: 1, line: 1, time: T0, timeMax: T0, timed: true, zoned: true, level: 'error', producer: 'nginx',
    message: `${causeId} happened`, text: `${causeId} happened`, client: '10.0.0.1', request: 'GET /api/orders HTTP/1.1', upstream: '', host: 'shop.test', pid: '1', ...r,
  };
  return { record, cause, pattern };
}
