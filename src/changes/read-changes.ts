// Reads --changes: a deploy/change log with a time on each line, or a git work tree's commit history.
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ChangeEvent, ChangeKind } from '../events/types.ts';
import { parseAnyTime } from '../parse/time.ts';

const run = promisify(execFile);

/** What kind of change a line describes, from its words, as the line says it (a rollback stays a rollback). */
export function changeKind(text: string): ChangeKind {
  if (/\b(?:roll(?:ed|ing)?[ -]?back|rollbacks?|revert(?:ed|ing)?)\b/i.test(text)) return 'rollback';
  if (/\b(?:deploy(?:ed|ing|ment)?|release[ds]?|rollout|upgrade[ds]?)\b/i.test(text)) return 'deploy';
  if (/\b(?:reload(?:ed|ing)?|SIGHUP)\b/i.test(text)) return 'reload';
  if (/\b(?:config(?:uration)?|reconfigur\w*)\b/i.test(text)) return 'config';
  if (/\b(?:restart(?:ed|ing)?|start(?:ed)?|boot(?:ed)?)\b/i.test(text)) return 'restart';
  return 'change';
}

function refOf(text: string): string {
  const named = /\b(?:ref|sha|commit|version|release|tag)[=: ]+([\w.\-/]{1,80})/i.exec(text);
  if (named?.[1]) return named[1];
  const hash = /\b([0-9a-f]{7,40})\b/.exec(text);
  if (hash?.[1]) return hash[1];
  const ver = /\bv\d{1,5}(?:\.\d{1,5}){0,3}\b/.exec(text);
  return ver?.[0] ?? '';
}

/** One change per line that starts with a time (ISO, CLF, nginx-style or epoch seconds), or a JSON object. */
export function parseChangeLog(text: string, source: string, defaultOffsetMinutes: number): ChangeEvent[] {
  const out: ChangeEvent[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    let time: number | undefined;
    let body = line;
    if (line.startsWith('{')) {
      try {
        const o = JSON.parse(line) as Record<string, unknown>;
        const t = o.time ?? o.timestamp ?? o.at ?? o.date;
        const parsed = typeof t === 'number' ? { ms: t > 1e11 ? t : t * 1000, zoned: true } : typeof t === 'string' ? parseAnyTime(t) : undefined;
        if (parsed) time = parsed.zoned ? parsed.ms : parsed.ms - defaultOffsetMinutes * 60_000;
        body = Object.entries(o).filter(([k]) => !['time', 'timestamp', 'at', 'date'].includes(k)).map(([k, v]) => `${k}=${String(v)}`).join(' ');
      } catch {
        return;
      }
    } else {
      const stripped = line.startsWith('[') ? line.slice(1) : line;
      const firstSpaceToken = stripped.split(/\s/, 1)[0] ?? '';
      const t = parseAnyTime(stripped) ?? parseAnyTime(firstSpaceToken);
      if (!t) return;
      time = t.zoned ? t.ms : t.ms - defaultOffsetMinutes * 60_000;
      body = stripped.slice(t.length).replace(/^[\]\s:|-]+/, '');
    }
    if (time === undefined) return;
    out.push({ kind: changeKind(body), time, ref: refOf(body), text: line, source, line: i + 1 });
  });
  return out;
}

/** True when most of these lines are time-stamped deploy, rollback, config or reload records: a changes log. */
export function looksLikeChangeLog(lines: readonly string[]): boolean {
  const nonBlank = lines.filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (nonBlank.length === 0) return false;
  const changes = parseChangeLog(nonBlank.join('\n'), '', 0).filter((c) => c.kind !== 'restart' && c.kind !== 'change');
  return changes.length / nonBlank.length >= 0.8;
}

/** Commits of a git work tree: committer time, short hash, subject. */
async function gitChanges(dir: string): Promise<ChangeEvent[]> {
  const { stdout } = await run('git', ['-C', dir, 'log', '-n', '2000', '--format=%H%x09%cI%x09%s'], { maxBuffer: 16 << 20 });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l, i) => {
      const [hash = '', when = '', subject = ''] = l.split('\t');
      const t = parseAnyTime(when);
      return { kind: 'change' as const, time: t?.ms ?? NaN, ref: hash.slice(0, 12), text: subject, source: `${dir} (git)`, line: i + 1 };
    })
    .filter((c) => !Number.isNaN(c.time));
}

/** Reads a changes path; errors come back as values with a one-line message. */
export async function readChanges(path: string, defaultOffsetMinutes: number): Promise<{ changes: ChangeEvent[]; error?: string }> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) {
      const isGit = await stat(join(path, '.git')).then(() => true, () => false);
      if (!isGit) return { changes: [], error: `${path}: a directory given to --changes must be a git work tree` };
      return { changes: await gitChanges(path) };
    }
    return { changes: parseChangeLog(await readFile(path, 'utf8'), path, defaultOffsetMinutes) };
  } catch (err) {
    return { changes: [], error: `${path}: cannot read changes (${(err as Error).message.split('\n')[0]})` };
  }
}
