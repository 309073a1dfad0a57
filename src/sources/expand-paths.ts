// Turns the PATH arguments into a list of files: directories are walked recursively (following
// symbolic links, as in Kubernetes' /var/log/containers, each file once, loops cut), '-' is stdin.
import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { coded } from '../errors/codes.ts';
import { deviceRefusal, unreadable } from './open-source.ts';
import type { PathProblem } from './problems.ts';

export type Expanded = { readonly files: string[]; readonly errors: PathProblem[] };

/** Directories nested deeper than this are not walked (a guard besides the loop check). */
const MAX_DEPTH = 64;

/** Files below each path, sorted within a directory; a path that gives nothing becomes one coded problem. */
export async function expandPaths(paths: readonly string[]): Promise<Expanded> {
  const files: string[] = [];
  const errors: PathProblem[] = [];
  /** dev:ino of every file and directory taken: a file reached twice (a link, a path given twice) is read once. */
  const seen = new Set<string>();
  const take = (st: Stats): boolean => {
    const key = `${st.dev}:${st.ino}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const walk = async (dir: string, depth: number): Promise<void> => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort((a, b) => a.localeCompare(b));
    } catch (err) {
      errors.push({ path: dir, warning: unreadable(err) });
      return;
    }
    let broken = 0;
    for (const name of names) {
      const p = join(dir, name);
      let st: Stats;
      try {
        // stat follows links: a link to a file is that file, a link to a directory that directory.
        st = await stat(p);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ELOOP') broken++;
        else errors.push({ path: p, warning: unreadable(err) });
        continue;
      }
      if (st.isDirectory()) {
        if (depth < MAX_DEPTH && take(st)) await walk(p, depth + 1);
      } else if (st.isFile() && take(st)) files.push(p);
      // Pipes, sockets and devices inside a directory are not logs: left alone, never opened.
    }
    if (broken > 0) errors.push({ path: dir, warning: coded('FIVEXX_PATH_NOT_FOUND', `${broken} broken symbolic link(s) or file(s) gone while listed, skipped`) });
  };
  for (const p of paths) {
    if (p === '-') {
      files.push(p);
      continue;
    }
    try {
      const st = await stat(p);
      const refused = deviceRefusal(st);
      if (refused) errors.push({ path: p, warning: refused });
      else if (st.isDirectory()) {
        // The same directory given twice is walked once.
        if (!take(st)) continue;
        const before = files.length;
        await walk(p, 0);
        if (files.length === before && !errors.some((e) => e.path === p)) errors.push({ path: p, warning: coded('FIVEXX_NOTHING_READABLE', 'directory holds no files') });
      } else if (!st.isFile() || take(st)) files.push(p);
    } catch (err) {
      errors.push({ path: p, warning: unreadable(err) });
    }
  }
  return { files, errors };
}
