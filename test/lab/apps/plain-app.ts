// A small Node.js app that logs as many do: plain console output with no times (`node app.js > app.log 2>&1`),
// a start banner, one line a request; `/crash` throws outside any handler, which ends the process.
import { createServer } from 'node:http';

const port = Number(process.argv[process.argv.indexOf('--port') + 1]);

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://lab');
  if (url.pathname === '/crash') {
    setImmediate(() => {
      const order = JSON.parse('{"items":null}') as { items: { total: number }[] | null };
      console.log(`order total ${order.items?.length}`);
      throw new TypeError("Cannot read properties of null (reading 'reduce')");
    });
    return;
  }
  console.log(`${req.method} ${url.pathname} 200`);
  res.end(`ok ${url.pathname}\n`);
});
server.listen(port, '127.0.0.1', () => console.log(`Server listening on http://127.0.0.1:${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
