// A webhook receiver on loopback for the watch tests: keeps every JSON body posted to it, in order.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HookReceiver<T> {
  /** The bodies received so far. */
  readonly hooks: T[];
  /** The URL to post to (http://127.0.0.1:PORT/hook). */
  readonly url: string;
  close(): void;
}

export async function startHookReceiver<T>(): Promise<HookReceiver<T>> {
  const hooks: T[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      hooks.push(JSON.parse(body) as T);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { hooks, url, close: () => server.close() };
}
