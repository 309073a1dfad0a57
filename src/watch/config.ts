// Reads a watch config: YAML → schema → frozen, fully defaulted object; errors say file:line and what is wrong.
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { FivexxError } from '../errors/codes.ts';
import { watchConfigSchema, type WatchConfig } from './config-schema.ts';

type PathKey = string | number | symbol;

/** The YAML node at a schema path, for its line; the nearest existing parent when the key is missing. */
function nodeAt(root: YamlNode | null, path: readonly PathKey[]): YamlNode | null {
  let node = root;
  for (const key of path) {
    if (isMap(node)) {
      const next = node.get(String(key), true) as YamlNode | undefined;
      if (!next) return node;
      node = next;
    } else if (isSeq(node) && typeof key === 'number') {
      const next = node.get(key, true) as YamlNode | undefined;
      if (!next) return node;
      node = next;
    } else return node;
  }
  return node;
}

function where(file: string, lc: LineCounter, node: YamlNode | null): string {
  const at = node?.range?.[0];
  if (at === undefined) return file;
  const { line, col } = lc.linePos(at);
  return `${file}:${line}:${col}`;
}

function issueText(issue: z.core.$ZodIssue): string {
  const key = issue.path.map(String).join('.') || '(top)';
  if (issue.code === 'unrecognized_keys') return `${key}: unknown key(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  return `${key}: ${issue.message}`;
}

/** Checks the schema cannot say: unique names, maintenance windows that end after they start and name real targets. */
function crossCheck(cfg: WatchConfig): { path: PathKey[]; message: string }[] {
  const out: { path: PathKey[]; message: string }[] = [];
  const names = new Set<string>();
  cfg.targets.forEach((t, i) => {
    if (names.has(t.name)) out.push({ path: ['targets', i, 'name'], message: `targets.${i}.name: '${t.name}' is used twice` });
    names.add(t.name);
  });
  cfg.maintenance.forEach((m, i) => {
    if (Date.parse(m.end) <= Date.parse(m.start)) out.push({ path: ['maintenance', i, 'end'], message: `maintenance.${i}.end: ends before it starts` });
    m.targets.forEach((n, k) => {
      if (!names.has(n)) out.push({ path: ['maintenance', i, 'targets', k], message: `maintenance.${i}.targets.${k}: no target named '${n}'` });
    });
  });
  return out;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/** Parses config text; `file` names it in errors. Throws FivexxError('FIVEXX_CONFIG_INVALID') with every problem, one per line. */
export function parseWatchConfig(text: string, file = 'config'): WatchConfig {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const pos = e?.linePos?.[0] ?? (e?.pos ? lc.linePos(e.pos[0]) : undefined);
    throw new FivexxError('FIVEXX_CONFIG_INVALID', `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: ${e?.message.split('\n')[0] ?? 'not YAML'}`);
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const result = watchConfigSchema.safeParse(raw);
  const problems = result.success
    ? crossCheck(result.data)
    : result.error.issues.map((i) => ({ path: i.path, message: issueText(i) }));
  if (problems.length > 0) {
    const lines = problems.slice(0, 20).map((p) => `${where(file, lc, nodeAt(doc.contents, p.path))}: ${p.message}`);
    throw new FivexxError('FIVEXX_CONFIG_INVALID', lines.join('\n'));
  }
  return deepFreeze(result.data as WatchConfig);
}

/** Reads and parses a config file. */
export function loadWatchConfig(path: string): WatchConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new FivexxError('FIVEXX_CONFIG_INVALID', `${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseWatchConfig(text, path);
}
