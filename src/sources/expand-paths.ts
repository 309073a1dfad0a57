// Turns the PATH arguments into a list of files: directories are walked recursively, '-' is stdin.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export type Expanded = { readonly files: string[]; readonly errors: string[] };

/** Files below each path, sorted within a directory; missing paths become one-line errors. */
export async function expandPaths(paths: readonly string[]): Promise<Expanded> {
  const files: string[] = [];
  const errors: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  for (const p of paths) {
    if (p === '-') {
      files.push(p);
      continue;
    }
    try {
      const s = await stat(p);
      if (s.isDirectory()) {
        const before = files.length;
        await walk(p);
        if (files.length === before) errors.push(`${p}: directory holds no files`);
      } else files.push(p);
    } catch (err) {
      const code = (err as { code?: string }).code;
      errors.push(`${p}: ${code === 'ENOENT' ? 'no such file or directory' : code === 'EACCES' ? 'permission denied' : String(err)}`);
    }
  }
  return { files, errors };
}
