// `fivexx pages --out DIR`: visitor error pages for 500/502/503/504 and the snippets that make each server serve them.
import { parseArgs } from 'node:util';
import { writePages } from '../pages/write.ts';
import type { CommandIo } from './io.ts';

export const PAGES_HELP = `Usage: fivexx pages --out DIR [--status-url URL]

Writes error pages for 500, 502, 503 and 504 that tell visitors in plain language what happened and what they
can do, with the time and the request ID filled in by the server, a JSON variant for API clients
(Accept: application/json), a gentle automatic retry for 502/503/504 (no JavaScript), light and dark colours and
no external assets; plus snippets to serve them: nginx.conf, apache.conf, haproxy.cfg, Caddyfile.

  DIR/500.html … 504.html, .json   for nginx and Apache (SSI)
  DIR/haproxy/…                    for HAProxy (lf-file)
  DIR/caddy/…                      for Caddy (templates)

Options:
  --out DIR          the folder to write (created if needed; files in it are overwritten)
  --status-url URL   link every page to your status page (http or https)
  --json             print the list of files written as JSON
  -h, --help         this help

Exit status: 0 written, 2 bad input or usage.`;

export function pagesCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { out: { type: 'string' }, 'status-url': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    return Promise.resolve(io.fail('FIVEXX_USAGE', `pages: ${(err as Error).message.split('\n')[0]}`));
  }
  const v = parsed.values;
  io.json = v.json === true;
  if (v.help) {
    io.out(PAGES_HELP + '\n');
    return Promise.resolve(0);
  }
  if (!v.out) return Promise.resolve(io.fail('FIVEXX_USAGE', 'pages: give the folder to write with --out DIR'));
  const statusUrl = v['status-url'];
  if (statusUrl !== undefined && !/^https?:\/\/[^\s"'<>]{1,2000}$/.test(statusUrl)) {
    return Promise.resolve(io.fail('FIVEXX_URL_INVALID', `pages: --status-url ${statusUrl}: not an http(s) URL`));
  }
  let files: string[];
  try {
    files = writePages(v.out, statusUrl ? { statusUrl } : {});
  } catch (err) {
    return Promise.resolve(io.fail('FIVEXX_PATH_UNREADABLE', `pages: cannot write ${v.out}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`));
  }
  io.out(v.json ? JSON.stringify({ version: 1, out: v.out, files }, null, 2) + '\n' : `fivexx pages: wrote ${files.length} files to ${v.out}\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  return Promise.resolve(0);
}
