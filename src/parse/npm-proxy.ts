// Nginx Proxy Manager's access logs (proxy-host-*_access.log), from its nginx.conf log_formats:
//   proxy:    [$time_local] $upstream_cache_status $upstream_status $status - $request_method $scheme $host "$request_uri"
//             [Client $remote_addr] [Length $body_bytes_sent] [Gzip $gzip_ratio] [Sent-to $server] "$http_user_agent" "$http_referer"
//   standard: [$time_local] $status - $request_method $scheme $host "$request_uri" [Client $remote_addr] [Length …] [Gzip …] "…" "…"
// and NPMplus's: [$time_local] $host $remote_addr $request_time "$request" $status $body_bytes_sent $bytes_sent $http_referer $http_user_agent
import type { AccessEvent } from '../events/types.ts';
import type { AccessParser } from './nginx-log-format.ts';
import { parseClfTime } from './time.ts';

const NPM =
  /^\[(\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] (?:(\S{1,40}) ([\d, :-]{1,100}?) )?(\d{3}) - ([A-Z]{1,20}) (https?|-) (\S{1,300}) "([^"]{0,16000})" \[Client ([^\]]{1,200})\] \[Length (\d{1,15})\](?: \[Gzip [^\]]{0,20}\])?(?: \[Sent-to ([^\]]{0,300})\])?/;
const NPMPLUS = /^\[(\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] (\S{1,300}) (\S{1,200}) ([\d.]{1,20}|-) "([^"]{0,16000})" (\d{3}) (\d{1,15})/;

function event(source: number, line: number, text: string, f: Partial<AccessEvent> & Pick<AccessEvent, 'time' | 'status'>): AccessEvent {
  return {
    kind: 'access', source, line, method: '', path: '', client: '', host: '', bytes: 0, requestTime: NaN, upstreamAddr: '',
    upstreamStatus: '', upstreamConnectTime: '', upstreamHeaderTime: '', upstreamResponseTime: '', termination: '', producer: 'nginx', zoned: true, text, ...f,
  };
}

export const npmProxyAccess: AccessParser = {
  parse(line, source, lineNo) {
    if (line[0] !== '[') return undefined;
    const m = NPM.exec(line);
    if (m) {
      const upstream = m[11] ?? '';
      return event(source, lineNo, line, {
        time: parseClfTime(m[1] ?? ''), status: Number(m[4]), upstreamStatus: m[3] ?? '', method: m[5] ?? '', host: m[7] ?? '', path: m[8] ?? '',
        client: m[9] ?? '', bytes: Number(m[10]), upstreamAddr: /^[\w.-]{1,200}:\d{1,5}$/.test(upstream) ? upstream : '',
      });
    }
    const p = NPMPLUS.exec(line);
    if (!p) return undefined;
    const req = p[5] ?? '';
    const sp = req.indexOf(' ');
    const sp2 = req.indexOf(' ', sp + 1);
    return event(source, lineNo, line, {
      time: parseClfTime(p[1] ?? ''), host: p[2] ?? '', client: p[3] ?? '', requestTime: p[4] === '-' ? NaN : Number(p[4]),
      method: sp > 0 ? req.slice(0, sp) : '', path: sp > 0 ? req.slice(sp + 1, sp2 > sp ? sp2 : undefined) : req, status: Number(p[6]), bytes: Number(p[7]),
    });
  },
};
