// Bounded traffic for the lab: a fixed number of requests, a time limit, and the outcome of each.
import { request } from 'node:http';

export interface Outcome {
  readonly path: string;
  readonly status: number;
  /** Epoch ms when the response ended (or failed). */
  readonly at: number;
  /** Epoch ms when the request was sent. */
  readonly sent: number;
  readonly bytes: number;
  readonly error: string;
}

export function get(port: number, path: string, timeoutMs = 15_000): Promise<Outcome> {
  const sent = Date.now();
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: { host: 'lab.test', 'user-agent': 'fivexx-lab/1' } }, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      const done = (error: string): void => resolve({ path, status: res.statusCode ?? 0, at: Date.now(), sent, bytes, error });
      res.on('end', () => done(''));
      res.on('error', (e) => done(e.message));
      res.on('aborted', () => done('aborted'));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ path, status: 0, at: Date.now(), sent, bytes: 0, error: e.message }));
    req.end();
  });
}

/** Sends `count` requests over `paths` in turn, `concurrency` at a time; stops at `deadlineMs` whatever is left. */
export async function drive(port: number, paths: string[], count: number, concurrency = 4, deadlineMs = 30_000): Promise<Outcome[]> {
  const out: Outcome[] = [];
  const end = Date.now() + deadlineMs;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count && Date.now() < end) {
      const i = next++;
      out.push(await get(port, paths[i % paths.length] ?? '/'));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out.sort((a, b) => a.at - b.at);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
