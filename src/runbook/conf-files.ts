// Reads config files under a host root: absolute paths mapped into the root, `include` globs expanded, sizes bounded.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { fsReason } from '../incident/fs-reason.ts';
import type { HostRoots, Unavailable } from '../incident/types.ts';

export const MAX_CONF_BYTES = 2 << 20;
export const MAX_CONF_FILES = 200;

/** A real host path (/etc/…, /var/log/…, /run/…) as it sits under the roots (the same path on the real host). */
export function underRoot(path: string, roots: HostRoots): string {
  for (const [prefix, root] of [['/etc', roots.etc], ['/var/log', roots.varLog], ['/run', roots.run]] as const) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return root + path.slice(prefix.length);
  }
  return path;
}

/** Files a glob names (a `*` or `?` in the last part only, as nginx, Apache and rsyslog includes mostly use). */
export async function expandGlob(pattern: string): Promise<string[]> {
  const name = basename(pattern);
  if (!/[*?]/.test(name)) return [pattern];
  const re = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  const names = await readdir(dirname(pattern)).catch(() => []);
  return names.filter((n) => re.test(n)).sort().map((n) => join(dirname(pattern), n));
}

export interface ConfReader {
  readonly files: string[];
  readonly unavailable: Unavailable[];
  read(path: string): Promise<string | undefined>;
}

/** A reader that reads each file once, at most MAX_CONF_FILES of them, and says what it could not read. */
export function confReader(): ConfReader {
  const seen = new Set<string>();
  const r: ConfReader = {
    files: [],
    unavailable: [],
    async read(path) {
      if (seen.has(path) || seen.size >= MAX_CONF_FILES) return undefined;
      seen.add(path);
      try {
        const s = await stat(path);
        if (!s.isFile()) return undefined;
        if (s.size > MAX_CONF_BYTES) {
          r.unavailable.push({ what: path, reason: 'larger than 2 MiB' });
          return undefined;
        }
        const text = await readFile(path, 'utf8');
        r.files.push(path);
        return text;
      } catch (err) {
        r.unavailable.push({ what: path, reason: fsReason(err) });
        return undefined;
      }
    },
  };
  return r;
}

/** An include argument as root-mapped paths: relative ones are relative to `base` (the server's config folder). */
export async function includeTargets(arg: string, base: string, roots: HostRoots): Promise<string[]> {
  const abs = isAbsolute(arg) ? underRoot(arg, roots) : join(base, arg);
  return expandGlob(abs);
}
