// Reads every YAML file below a folder, for registries that are built from folders.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

export interface YamlFile {
  readonly path: string;
  readonly data: unknown;
}

/** All `*.yaml` files below `dir`, sorted by path, parsed. */
export function readYamlTree(dir: string): YamlFile[] {
  const out: YamlFile[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.yaml')) out.push({ path: relative(dir, p), data: parse(readFileSync(p, 'utf8')) as unknown });
    }
  };
  walk(dir);
  return out;
}

/** Small typed readers for catalog fields; each throws with the file and field named. */
export class FieldReader {
  private readonly file: string;
  private readonly o: Record<string, unknown>;

  constructor(file: string, o: Record<string, unknown>) {
    this.file = file;
    this.o = o;
  }

  static of(file: string, data: unknown): FieldReader {
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${file}: not a mapping`);
    return new FieldReader(file, data as Record<string, unknown>);
  }

  string(key: string, optional = false): string {
    const v = this.o[key];
    if (v === undefined && optional) return '';
    if (typeof v !== 'string') throw new Error(`${this.file}: '${key}' must be a string`);
    return v;
  }

  strings(key: string): string[] {
    const v = this.o[key] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`${this.file}: '${key}' must be a list of strings`);
    return v as string[];
  }

  numbers(key: string): number[] {
    const v = this.o[key] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new Error(`${this.file}: '${key}' must be a list of numbers`);
    return v as number[];
  }

  number(key: string, fallback: number): number {
    const v = this.o[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number') throw new Error(`${this.file}: '${key}' must be a number`);
    return v;
  }

  bool(key: string): boolean {
    return this.o[key] === true;
  }

  list(key: string): FieldReader[] {
    const v = this.o[key] ?? [];
    if (!Array.isArray(v)) throw new Error(`${this.file}: '${key}' must be a list`);
    return v.map((x, i) => FieldReader.of(`${this.file}: ${key}[${i}]`, x));
  }

  child(key: string): FieldReader {
    return FieldReader.of(`${this.file}: ${key}`, this.o[key] ?? {});
  }

  raw(key: string): unknown {
    return this.o[key];
  }
}
