// The few loopback probes check-config makes: does something listen, how big is one GET's header block, which
// certificate does a TLS upstream present. Each has a hard timeout; callers pass loopback addresses only.
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { Address } from './addresses.ts';

const MAX_HEADER = 256 * 1024;

function open(a: Address): Socket {
  return a.type === 'unix' ? connect({ path: a.path }) : a.type === 'tcp' ? connect({ host: a.host, port: a.port }) : connect({ path: '/nonexistent' });
}

/** 'open', 'refused' (ECONNREFUSED), 'timeout', or another errno code. */
export function listening(a: Address, timeoutMs = 1500): Promise<string> {
  return new Promise((resolve) => {
    const s = open(a);
    const done = (r: string): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    s.once('connect', () => done('open'));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code === 'ECONNREFUSED' ? 'refused' : e.code ?? 'error'));
  });
}

/** Sends one GET and returns the size in bytes of the response's header block (status line to the blank line). */
export function headerBytes(a: Address, host: string, path: string, timeoutMs = 3000): Promise<number | string> {
  return new Promise((resolve) => {
    const s = open(a);
    let got = Buffer.alloc(0);
    const done = (r: number | string): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('no complete header block in time'), timeoutMs);
    s.once('connect', () => s.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: fivexx-check-config\r\nAccept: */*\r\nConnection: close\r\n\r\n`));
    s.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      const end = got.indexOf('\r\n\r\n');
      if (end >= 0) done(end + 4);
      else if (got.length > MAX_HEADER) done(`header block over ${MAX_HEADER} bytes`);
    });
    s.once('end', () => done('closed before the header block ended'));
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? 'error'));
  });
}

/** The certificate's end of validity, or an error text. */
export function peerValidTo(a: Address, servername: string, timeoutMs = 3000): Promise<Date | string> {
  return new Promise((resolve) => {
    if (a.type !== 'tcp') return resolve('not a TCP address');
    const s = tlsConnect({ host: a.host, port: a.port, servername: /^[\d.:]+$/.test(servername) ? undefined : servername, rejectUnauthorized: false });
    const done = (r: Date | string): void => {
      clearTimeout(timer);
      s.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done('TLS handshake timed out'), timeoutMs);
    s.once('secureConnect', () => {
      const c = s.getPeerCertificate();
      done(c.valid_to ? new Date(c.valid_to) : 'no certificate presented');
    });
    s.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}
