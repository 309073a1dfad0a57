// Reading config files for the readers: include globs expanded, include loops and runaway depth refused, files listed.
import { globSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { Finding } from '../model.ts';

const MAX_DEPTH = 16;
const MAX_BYTES = 8 * 1024 * 1024;

/** Where an include was written, for the finding when it cannot be followed. */
export interface At {
  readonly file: string;
  readonly line: number;
}

export class IncludeReader {
  readonly files: string[] = [];
  readonly notes: Finding[] = [];
  private readonly stack: string[] = [];

  /**
   * Runs `parse` on the file's text, with the file on the include stack; undefined (and a note) when it is
   * unreadable, too big, already being read (a loop) or nested too deep.
   */
  within<T>(path: string, at: At | undefined, parse: (text: string) => T): T | undefined {
    const where = at ?? { file: path, line: 0 };
    if (this.stack.includes(path)) return this.note(where, `include loop: ${path} includes itself (through ${this.stack.join(' -> ')})`);
    if (this.stack.length >= MAX_DEPTH) return this.note(where, `includes nested deeper than ${MAX_DEPTH} at ${path}`);
    let text: string;
    try {
      if (statSync(path).size > MAX_BYTES) return this.note(where, `${path} is larger than ${MAX_BYTES} bytes: not read`);
      text = readFileSync(path, 'utf8');
    } catch (err) {
      return this.note(where, `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, 'info');
    }
    if (!this.files.includes(path)) this.files.push(path);
    this.stack.push(path);
    try {
      return parse(text);
    } finally {
      this.stack.pop();
    }
  }

  /** The files an include pattern names, relative to `base`, sorted as the servers read them. */
  expand(pattern: string, base: string): string[] {
    const full = isAbsolute(pattern) ? pattern : resolve(base, pattern);
    if (!/[*?[]/.test(full)) return [full];
    try {
      return globSync(full).filter((p) => {
        try {
          return statSync(p).isFile();
        } catch {
          return false;
        }
      }).sort();
    } catch {
      return [];
    }
  }

  private note(at: At, message: string, severity: 'warning' | 'info' = 'warning'): undefined {
    this.notes.push({
      severity, file: at.file, line: at.line, message, cause: 'gateway.config',
      fix: 'Fix the include so that every file is read once, then check the config with the server\'s own test (nginx -t, apache2ctl -t, haproxy -c).',
    });
    return undefined;
  }
}
