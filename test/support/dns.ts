// Small DNS servers on 127.0.0.1 for diagnose tests: one that reads queries and never answers, and one
// that answers A queries for every name with fixed addresses (AAAA gets an empty answer).
import { createSocket, type Socket } from 'node:dgram';

export interface DnsServer {
  readonly address: string;
  readonly queries: () => number;
  close(): Promise<void>;
}

function start(onQuery: (sock: Socket, msg: Buffer, rinfo: { address: string; port: number }) => void): Promise<DnsServer> {
  const sock = createSocket('udp4');
  let n = 0;
  sock.on('message', (msg, rinfo) => {
    n++;
    onQuery(sock, msg, rinfo);
  });
  return new Promise((resolve) => sock.bind(0, '127.0.0.1', () => resolve({
    address: `127.0.0.1:${sock.address().port}`, queries: () => n,
    close: () => new Promise((r) => sock.close(() => r())),
  })));
}

/** Reads every query, answers none. */
export function silentDns(): Promise<DnsServer> {
  return start(() => undefined);
}

/** The question section's end (QNAME labels, QTYPE, QCLASS), or -1. */
function questionEnd(msg: Buffer): number {
  let i = 12;
  while (i < msg.length && msg[i] !== 0) i += (msg[i] ?? 0) + 1;
  return i + 5 <= msg.length ? i + 5 : -1;
}

/** Answers A queries with `addresses`, AAAA with no records. */
export function answeringDns(addresses: readonly string[]): Promise<DnsServer> {
  return answeringDnsWhere(addresses, () => true);
}

function answeringDnsWhere(addresses: readonly string[], answers: (qtype: number) => boolean): Promise<DnsServer> {
  return start((sock, msg, rinfo) => {
    const end = questionEnd(msg);
    if (end < 0) return;
    const qtype = msg.readUInt16BE(end - 4);
    if (!answers(qtype)) return;
    const found = qtype === 1 ? addresses : [];
    const head = Buffer.from(msg.subarray(0, end));
    head.writeUInt16BE(0x8180, 2);
    head.writeUInt16BE(1, 4);
    head.writeUInt16BE(found.length, 6);
    head.writeUInt16BE(0, 8);
    head.writeUInt16BE(0, 10);
    const records = found.map((a) => Buffer.concat([Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4]), Buffer.from(a.split('.').map(Number))]));
    sock.send(Buffer.concat([head, ...records]), rinfo.port, rinfo.address);
  });
}

/** Answers A queries with `addresses` and never answers AAAA (a resolver path that drops one family). */
export function answeringAOnly(addresses: readonly string[]): Promise<DnsServer> {
  return answeringDnsWhere(addresses, (qtype) => qtype === 1);
}
