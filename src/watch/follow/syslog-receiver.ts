// Receives syslog over UDP and TCP (RFC 3164 and RFC 5424; TCP framed by octet counts or newlines) from
// nginx (`access_log syslog:server=…`), HAProxy and rsyslog, and hands on each message with its origin.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';

export interface SyslogMessage {
  /** `syslog:HOST/APP`, the name the message's lines are analysed under. */
  readonly source: string;
  readonly host: string;
  readonly app: string;
  readonly severity: number;
  /** The time the header gives, when it has one with a date (RFC 5424); else undefined. */
  readonly time: number | undefined;
  readonly text: string;
  readonly arrived: number;
}

const MAX_MESSAGE = 64 * 1024;
const MAX_CONNECTIONS = 256;
const IDLE_MS = 5 * 60_000;

 
const RFC5424 = /^<(\d{1,3})>1 (\S{1,64}) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) (-|\[.*?\](?:\[.*?\])*) ?/;
const RFC3164 = /^<(\d{1,3})>(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d )?(?:(\S{1,255}) )?([^\s:[]{1,48})(?:\[\d{1,10}\])?: ?/;

/** Reads one syslog message (without framing). Returns undefined for text that is not syslog. */
export function parseSyslog(raw: string, arrived: number): SyslogMessage | undefined {
  const line = raw.replace(/\r?\n$/, '');
  const m5 = RFC5424.exec(line);
  if (m5) {
    const pri = Number(m5[1]);
    const host = m5[3] === '-' ? '' : (m5[3] ?? '');
    const app = m5[4] === '-' ? '' : (m5[4] ?? '');
    const t = Date.parse(m5[2] ?? '');
    let text = line.slice(m5[0].length);
    if (text.startsWith('\uFEFF')) text = text.slice(1);
    return { source: `syslog:${host || '-'}/${app || '-'}`, host, app, severity: pri & 7, time: Number.isNaN(t) ? undefined : t, text, arrived };
  }
  const m3 = RFC3164.exec(line);
  if (m3) {
    const pri = Number(m3[1]);
    const host = m3[2] ?? '';
    const app = m3[3] ?? '';
    return { source: `syslog:${host || '-'}/${app || '-'}`, host, app, severity: pri & 7, time: undefined, text: line.slice(m3[0].length), arrived };
  }
  return undefined;
}

/** Splits a TCP stream into messages: `LEN SP MSG` (octet counting, RFC 6587) or one message per line. */
export class TcpFraming {
  #buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer, onMessage: (m: string) => void): void {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, chunk]) : chunk;
    for (;;) {
      const b = this.#buf;
      if (b.length === 0) return;
      if (b[0] !== undefined && b[0] >= 0x30 && b[0] <= 0x39) {
        const sp = b.indexOf(0x20);
        if (sp < 0) {
          if (b.length > 8) this.#buf = Buffer.alloc(0);
          return;
        }
        const len = Number(b.subarray(0, sp).toString('latin1'));
        if (!Number.isInteger(len) || len <= 0 || len > MAX_MESSAGE) {
          this.#buf = Buffer.alloc(0);
          return;
        }
        if (b.length < sp + 1 + len) return;
        onMessage(b.subarray(sp + 1, sp + 1 + len).toString('utf8'));
        this.#buf = b.subarray(sp + 1 + len);
        continue;
      }
      const nl = b.indexOf(0x0a);
      if (nl < 0) {
        if (b.length > MAX_MESSAGE) this.#buf = Buffer.alloc(0);
        return;
      }
      onMessage(b.subarray(0, nl).toString('utf8'));
      this.#buf = b.subarray(nl + 1);
    }
  }
}

function hostPort(s: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(s);
  if (!m) throw new Error(`not HOST:PORT: ${s}`);
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port: Number(m[3]) };
}

export class SyslogReceiver {
  #udp: UdpSocket | undefined;
  #tcp: Server | undefined;
  readonly #sockets = new Set<Socket>();
  readonly #onMessage: (m: SyslogMessage) => void;
  readonly #now: () => number;
  dropped = 0;

  constructor(onMessage: (m: SyslogMessage) => void, now: () => number = Date.now) {
    this.#onMessage = onMessage;
    this.#now = now;
  }

  #take(raw: string): void {
    const m = parseSyslog(raw, this.#now());
    if (m) this.#onMessage(m);
    else this.dropped++;
  }

  /** Listens on UDP; returns the bound port. */
  listenUdp(addr: string): Promise<number> {
    const { host, port } = hostPort(addr);
    const sock = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    this.#udp = sock;
    sock.on('message', (b) => this.#take(b.subarray(0, MAX_MESSAGE).toString('utf8')));
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(port, host, () => resolve(sock.address().port));
    });
  }

  /** Listens on TCP; returns the bound port. */
  listenTcp(addr: string): Promise<number> {
    const { host, port } = hostPort(addr);
    const server = createServer((s) => {
      if (this.#sockets.size >= MAX_CONNECTIONS) {
        s.destroy();
        return;
      }
      this.#sockets.add(s);
      s.setTimeout(IDLE_MS, () => s.destroy());
      const framing = new TcpFraming();
      s.on('data', (c: Buffer) => framing.push(c, (m) => this.#take(m)));
      s.on('error', () => s.destroy());
      s.on('close', () => this.#sockets.delete(s));
    });
    this.#tcp = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const a = server.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  async close(): Promise<void> {
    this.#udp?.close();
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => (this.#tcp ? this.#tcp.close(() => r()) : r()));
  }
}
