// Big analyze runs are relaunched once with a small young generation: the parsed 5xx lines of a big
// outage log are short-lived garbage, and V8's default (a young generation that grows to about 100 MB)
// more than doubles peak RSS for them. Small runs start as they are (no second start-up), and so do
// nginx error logs alone: their fast path makes little garbage (batches of a second, not parsed lines)
// and stays near 165 MB at V8's default, while a small young generation made most batches be copied
// and promoted before they were handed on (the worker threads share the flag), and the second start-up
// cost ~60 ms.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { biggestErrorLog } from '../engine/digest-workers.ts';

/** Inputs at least this big (bytes, in all) are worth the relaunch. */
const BIG_INPUT = 256 << 20;
export const SEMI_SPACE_FLAG = '--max-semi-space-size=2';

function inputBytes(args: readonly string[]): number {
  let total = 0;
  for (const a of args) {
    if (a.startsWith('-')) continue;
    try {
      const s = statSync(a);
      if (s.isFile()) total += s.size;
    } catch {
      // Not a file (an option's value, a directory, a missing path): the command reports it.
    }
  }
  return total;
}

/** The flag a command is relaunched with: a big `analyze` only, of logs that are not all nginx error logs. */
export function relaunchFlag(args: readonly string[]): string | undefined {
  if (args[0] !== 'analyze' || inputBytes(args.slice(1)) < BIG_INPUT) return undefined;
  return biggestErrorLog(args.slice(1)) > 0 ? undefined : SEMI_SPACE_FLAG;
}

/** Runs this command again under the flag when it is a big `analyze` and not yet relaunched; its exit code, else undefined. */
export function relaunchIfBig(args: readonly string[]): number | undefined {
  if (process.execArgv.some((a) => a.startsWith('--max-semi-space-size')) || process.env.FIVEXX_NO_RELAUNCH) return undefined;
  const flag = relaunchFlag(args);
  const script = process.argv[1];
  if (!flag || !script) return undefined;
  const r = spawnSync(process.execPath, [...process.execArgv, flag, script, ...args], { stdio: 'inherit', env: { ...process.env, FIVEXX_NO_RELAUNCH: '1' } });
  if (r.error) return undefined;
  return r.status ?? (r.signal ? 128 + 15 : 2);
}
