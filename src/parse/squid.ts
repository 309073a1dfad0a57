// Squid's native access.log: `time.ms elapsed client code/status bytes method URL user hierarchy/peer type`
// (squid.conf `logformat squid`). A forward proxy's 5xx (TCP_MISS/502, /503 when a peer is down) is a request like any other.
import type { AccessEvent } from '../events/types.ts';
import type { AccessParser } from './nginx-log-format.ts';

const LINE = /^(\d{9,11})\.(\d{3}) {1,10}(-?\d{1,10}) (\S{1,200}) ([A-Z_]{1,40})\/(\d{3}) (\d{1,15}) ([A-Z_-]{1,20}) (\S{1,16000}) (\S{1,300}) ([A-Z_]{1,40})\/(\S{1,300})/;

export const squidAccess: AccessParser = {
  parse(line, source, lineNo): AccessEvent | undefined {
    const m = LINE.exec(line);
    if (!m) return undefined;
    const status = Number(m[6]);
    if (!(status >= 100 && status <= 599) && status !== 0) return undefined;
    const url = m[9] ?? '';
    const host = /^[a-z]{1,10}:\/\/([^/:]{1,300})/.exec(url)?.[1] ?? '';
    const peer = m[12] ?? '-';
    return {
      kind: 'access', source, line: lineNo, time: Number(m[1]) * 1000 + Number(m[2]), zoned: true, status, method: m[8] ?? '',
      path: url.replace(/^[a-z]{1,10}:\/\/[^/]{0,300}/, '') || url, client: m[4] ?? '', host, bytes: Number(m[7]),
      requestTime: Number(m[3]) / 1000, upstreamAddr: peer === '-' ? '' : peer, upstreamStatus: '', upstreamConnectTime: '',
      upstreamHeaderTime: '', upstreamResponseTime: '', termination: m[5] ?? '', producer: '', text: line,
    };
  },
};
