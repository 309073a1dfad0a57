// The demo site for `fivexx watch --demo`: a small app behind a small gateway on loopback. The app stops
// listening for `downMs` every `cycleMs`, so the gateway answers 502 and watch opens, then resolves, an incident.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DemoSite {
  readonly url: string;
  readonly upstream: string;
  close(): Promise<void>;
}

const listen = (s: Server, port = 0): Promise<number> =>
  new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
  });

export async function startDemoSite(opts: { cycleMs: number; downMs: number; onChange?: (up: boolean) => void }): Promise<DemoSite> {
  const appHandler = (_req: unknown, res: import('node:http').ServerResponse): void => {
    res.setHeader('content-type', 'application/json');
    res.end('{"orders":[]}\n');
  };
  let app = createServer(appHandler);
  const appPort = await listen(app);
  const gateway = createServer((req, res) => {
    const up = request({ host: '127.0.0.1', port: appPort, path: req.url, method: req.method, headers: req.headers, timeout: 5000 }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => {
      res.writeHead(502, { 'content-type': 'text/html', server: 'fivexx-demo-gateway' });
      res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n');
    });
    req.pipe(up);
  });
  const gwPort = await listen(gateway);
  let appUp = true;
  let closed = false;
  const timer = setInterval(() => {
    if (!appUp || closed) return;
    appUp = false;
    opts.onChange?.(false);
    app.closeAllConnections();
    app.close();
    setTimeout(() => {
      if (closed) return;
      app = createServer(appHandler);
      listen(app, appPort).then(() => {
        appUp = true;
        opts.onChange?.(true);
      }, () => undefined);
    }, opts.downMs).unref();
  }, opts.cycleMs);
  timer.unref();
  return {
    url: `http://127.0.0.1:${gwPort}/api/orders`,
    upstream: `http://127.0.0.1:${appPort}/api/orders`,
    async close() {
      closed = true;
      clearInterval(timer);
      gateway.closeAllConnections();
      app.closeAllConnections();
      await Promise.all([new Promise((r) => gateway.close(r)), new Promise((r) => (appUp ? app.close(r) : r(undefined)))]);
    },
  };
}
