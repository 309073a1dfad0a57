// Replays a saved response byte for byte from a loopback TCP server: the status line with its own reason
// phrase, the headers as saved (framing headers replaced) and the body, so diagnose sees what was sent.
import { createServer, type Server } from 'node:net';
import type { SavedPage } from '../../src/probe/saved-page.ts';

const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** The raw bytes of the response. */
export function rawResponse(page: SavedPage): Buffer {
  const body = Buffer.from(page.body, 'utf8');
  const head = [`HTTP/1.1 ${page.status} ${page.reason ?? ''}`];
  for (const [k, v] of Object.entries(page.headers)) if (!FRAMING.has(k)) head.push(`${k}: ${v}`);
  head.push(`content-length: ${body.length}`, 'connection: close', '', '');
  return Buffer.concat([Buffer.from(head.join('\r\n'), 'latin1'), body]);
}

/** A server on 127.0.0.1 that answers every request with `page`; resolves to its port. */
export function replayServer(page: SavedPage): Promise<{ port: number; server: Server }> {
  const bytes = rawResponse(page);
  const server = createServer((s) => {
    s.on('error', () => undefined);
    s.once('data', () => s.end(bytes));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as { port: number }).port, server })));
}
