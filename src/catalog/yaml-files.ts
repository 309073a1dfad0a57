// Reads the catalog's YAML files, for registries that are built from folders. The build writes the
// parsed files to dist/yaml-cache.json keyed by a hash of their text, so that a run does not parse
// YAML (about 80 ms of every start); a file edited since, or not in the cache, is parsed as before.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { FivexxError } from '../errors/codes.ts';

export interface YamlFile {
  readonly path: string;
  readonly data: unknown;
  /** The file's text, for error messages that name a line. */
  readonly text: string;
  /** The cache key of the text (yamlKey). */
  readonly key: string;
}

/** Where the build puts the cache: dist/yaml-cache.json, next to dist/catalog/. */
export const YAML_CACHE_URL = new URL('../yaml-cache.json', import.meta.url);

type YamlCache = Record<string, unknown>;
let cache: YamlCache | undefined;

function loadCache(): YamlCache {
  if (cache) return cache;
  try {
    const data = JSON.parse(readFileSync(YAML_CACHE_URL, 'utf8')) as unknown;
    cache = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as YamlCache) : {};
  } catch {
    cache = {};
  }
  return cache;
}

/** The cache key of a YAML text. */
export function yamlKey(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** Parses YAML text (the library is loaded only when a file is not in the cache). */
export function parseYaml(text: string): unknown {
  const { parse } = createRequire(import.meta.url)('yaml') as { parse: (src: string) => unknown };
  return parse(text);
}

/** Parses a catalog file's text; YAML that does not parse is FIVEXX_CATALOG_INVALID with its line. */
function parseFile(name: string, text: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    const e = err as Error & { linePos?: readonly { line: number }[] };
    const line = e.linePos?.[0]?.line;
    throw new FivexxError('FIVEXX_CATALOG_INVALID', `${name}${line ? `:${line}` : ''}: not valid YAML: ${e.message.split('\n')[0] ?? ''}`, { cause: err });
  }
}

/** One YAML file, parsed: from the build's cache when its text is the one cached. */
export function readYamlFile(path: string): unknown {
  return readYaml(path, path).data;
}

/** One YAML file with its text and key; `name` is how messages call it. */
export function readYaml(path: string, name: string): YamlFile {
  const text = readFileSync(path, 'utf8');
  const c = loadCache();
  const key = yamlKey(text);
  return { path: name, text, key, data: Object.hasOwn(c, key) ? structuredClone(c[key]) : parseFile(name, text) };
}

/** The cache key that says the build checked a text against a schema (see catalog/checked.ts). */
export function checkMark(schema: string, key: string): string {
  return `checked:${schema}:${key}`;
}

/** True when the build's cache holds this mark. */
export function cacheMarked(mark: string): boolean {
  return loadCache()[mark] === true;
}

/** All `*.yaml` files below `dir`, sorted by path, parsed. */
export function readYamlTree(dir: string): YamlFile[] {
  const out: YamlFile[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.yaml')) out.push(readYaml(p, relative(dir, p)));
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
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new FivexxError('FIVEXX_CATALOG_INVALID', `${file}: not a mapping`);
    return new FieldReader(file, data as Record<string, unknown>);
  }

  string(key: string, optional = false): string {
    const v = this.o[key];
    if (v === undefined && optional) return '';
    if (typeof v !== 'string') throw new FivexxError('FIVEXX_CATALOG_INVALID', `${this.file}: '${key}' must be a string`);
    return v;
  }

  strings(key: string): string[] {
    const v = this.o[key] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new FivexxError('FIVEXX_CATALOG_INVALID', `${this.file}: '${key}' must be a list of strings`);
    return v as string[];
  }

  numbers(key: string): number[] {
    const v = this.o[key] ?? [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new FivexxError('FIVEXX_CATALOG_INVALID', `${this.file}: '${key}' must be a list of numbers`);
    return v as number[];
  }

  number(key: string, fallback: number): number {
    const v = this.o[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'number') throw new FivexxError('FIVEXX_CATALOG_INVALID', `${this.file}: '${key}' must be a number`);
    return v;
  }

  bool(key: string): boolean {
    return this.o[key] === true;
  }

  list(key: string): FieldReader[] {
    const v = this.o[key] ?? [];
    if (!Array.isArray(v)) throw new FivexxError('FIVEXX_CATALOG_INVALID', `${this.file}: '${key}' must be a list`);
    return v.map((x, i) => FieldReader.of(`${this.file}: ${key}[${i}]`, x));
  }

  child(key: string): FieldReader {
    return FieldReader.of(`${this.file}: ${key}`, this.o[key] ?? {});
  }

  raw(key: string): unknown {
    return this.o[key];
  }
}

/**
 * The cache the build writes: every `*.yaml` file below `dir`, keyed by its text's hash, whose
 * parse survives a JSON round trip unchanged (a file that would not is left to the parser).
 */
export function buildYamlCache(dir: string): { cache: Record<string, unknown>; files: number; left: string[] } {
  const cache: Record<string, unknown> = {};
  const left: string[] = [];
  let files = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.yaml')) {
        files++;
        const text = readFileSync(p, 'utf8');
        const data = parseYaml(text);
        if (isDeepStrictEqual(JSON.parse(JSON.stringify(data) ?? 'null'), data)) cache[yamlKey(text)] = data;
        else left.push(relative(dir, p));
      }
    }
  };
  walk(dir);
  return { cache, files, left };
}
