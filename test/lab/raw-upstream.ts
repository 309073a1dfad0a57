// Upstreams that misbehave at the TCP level on purpose (real sockets on 127.0.0.1): reset, garbage, silence.
import { createServer, type Server, type Socket } from 'node:net';

export type RawBehaviour = 'reset' | 'invalid-header' | 'garbage-status';

function handle(socket: Socket, behaviour: RawBehaviour): void {
  socket.once('data', () => {
    if (behaviour === 'reset') socket.resetAndDestroy();
    else if (behaviour === 'invalid-header') socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Broken Header: yes\r\n\r\nok');
    else socket.end('HELLO THIS IS NOT HTTP\r\n\r\n');
  });
  socket.on('error', () => undefined);
}

export function startRawUpstream(port: number, behaviour: RawBehaviour): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((s) => handle(s, behaviour));
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
