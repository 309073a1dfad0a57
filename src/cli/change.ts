// `fivexx change --kind deploy --ref abc123 [--service shop] [--url URL]`: records a change marker in a
// running watch (POST /api/changes), so incidents name their trigger. For deploy scripts.
import { parseArgs } from 'node:util';
import type { CommandIo } from './io.ts';

export const CHANGE_HELP = `Usage: fivexx change --kind KIND --ref REF [options]

Records a change (a deploy, rollback, config change, restart or reload) in a running fivexx watch, so the
incidents that follow it name it as their trigger. Call it from deploy scripts.

Options:
  --kind KIND      deploy, rollback, config, restart or reload
  --ref REF        what changed: a commit, a release, a file
  --service NAME   the service it touched
  --at TIME        when (ISO 8601; default now)
  --url URL        the watch to tell (default http://127.0.0.1:9505)
  --token TOKEN    an API token of that watch (default: $FIVEXX_TOKEN)
  --json           print the answer as JSON
  -h, --help       this help`;

const KINDS = new Set(['deploy', 'rollback', 'config', 'restart', 'reload']);

export async function changeCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: {
      kind: { type: 'string' }, ref: { type: 'string' }, service: { type: 'string' }, at: { type: 'string' }, url: { type: 'string' },
      token: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    } });
  } catch (err) {
    return io.fail('FIVEXX_USAGE', `change: ${(err as Error).message.split('\n')[0] ?? ''}`);
  }
  const v = parsed.values;
  io.json = v.json === true;
  if (v.help) {
    io.out(CHANGE_HELP + '\n');
    return 0;
  }
  if (!v.kind || !KINDS.has(v.kind)) return io.fail('FIVEXX_USAGE', 'change: --kind is deploy, rollback, config, restart or reload');
  if (!v.ref) return io.fail('FIVEXX_USAGE', 'change: give --ref (a commit, release or file)');
  if (v.at !== undefined && Number.isNaN(Date.parse(v.at))) return io.fail('FIVEXX_OPTION_INVALID', `change: --at ${v.at}: not an ISO 8601 time`);
  const token = v.token ?? process.env.FIVEXX_TOKEN;
  if (!token) return io.fail('FIVEXX_USAGE', 'change: give --token or set FIVEXX_TOKEN (one of the watch config\'s apiTokens)');
  let url: URL;
  try {
    url = new URL('api/changes', (v.url ?? 'http://127.0.0.1:9505').replace(/\/?$/, '/'));
  } catch {
    return io.fail('FIVEXX_URL_INVALID', `change: --url ${v.url ?? ''}: not a URL`);
  }
  const body = { kind: v.kind, ref: v.ref, ...(v.service ? { service: v.service } : {}), ...(v.at ? { at: new Date(v.at).toISOString() } : {}) };
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return io.fail(e.name === 'TimeoutError' ? 'FIVEXX_PROBE_TIMEOUT' : 'FIVEXX_PROBE_REFUSED', `change: ${url.origin}: ${e.cause?.code ?? e.message}`);
  }
  const answer = (await res.json().catch(() => ({}))) as { id?: number; at?: string; error?: { code?: string; message?: string } };
  if (!res.ok) return io.fail('FIVEXX_USAGE', `change: the watch answered ${res.status}: ${answer.error?.message ?? ''}`);
  io.out(v.json ? JSON.stringify({ version: 1, ...answer }, null, 2) + '\n' : `recorded ${v.kind} ${v.ref} at ${answer.at ?? ''} (change ${answer.id ?? '?'})\n`);
  return 0;
}
