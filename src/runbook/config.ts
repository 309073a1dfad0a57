// The runbook's small YAML config (contacts, dashboards, status page, health URLs, the app), validated
// with file:line positions; unknown keys are rejected.
import { readFile, stat } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export interface Contact {
  readonly name: string;
  readonly role?: string;
  readonly phone?: string;
  readonly email?: string;
  readonly chat?: string;
}

export interface Link {
  readonly name: string;
  readonly url: string;
}

export interface RunbookConfig {
  readonly site?: string;
  readonly app?: { readonly dir?: string; readonly service?: string; readonly restart?: string };
  readonly contacts: readonly Contact[];
  readonly dashboards: readonly Link[];
  readonly statusPage?: string;
  readonly health: readonly Link[];
}

export const EMPTY_CONFIG: RunbookConfig = { contacts: [], dashboards: [], health: [] };

type Shape = Record<string, 'string' | 'url'>;
const CONTACT: Shape = { name: 'string', role: 'string', phone: 'string', email: 'string', chat: 'string' };
const LINK: Shape = { name: 'string', url: 'url' };
const APP: Shape = { dir: 'string', service: 'string', restart: 'string' };
const TOP = ['site', 'app', 'contacts', 'dashboards', 'status_page', 'health'];

class Checker {
  readonly errors: string[] = [];
  private readonly file: string;
  private readonly lines: LineCounter;
  constructor(file: string, lines: LineCounter) {
    this.file = file;
    this.lines = lines;
  }

  at(node: Node | null | undefined, message: string): void {
    const p = this.lines.linePos(node?.range?.[0] ?? 0);
    this.errors.push(`${this.file}:${p.line}:${p.col}: ${message}`);
  }

  text(node: unknown, key: string, kind: 'string' | 'url'): string | undefined {
    if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) {
      this.at(node as Node, `${key}: expected a text value`);
      return undefined;
    }
    const v = String(node.value);
    if (kind === 'url' && !/^https?:\/\/[^\s/]+/.test(v)) this.at(node, `${key}: expected an http:// or https:// URL, got '${v.slice(0, 80)}'`);
    return v;
  }

  object(node: unknown, where: string, shape: Shape, required: readonly string[]): Record<string, string> | undefined {
    if (!isMap(node)) {
      this.at(node as Node, `${where}: expected a mapping of ${Object.keys(shape).join(', ')}`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const kind = shape[key];
      if (!kind) {
        this.at(pair.key as Node, `${where}: unknown key '${key}' (expected ${Object.keys(shape).join(', ')})`);
        continue;
      }
      const v = this.text(pair.value, `${where}.${key}`, kind);
      if (v !== undefined) out[key] = v;
    }
    for (const r of required) if (!(r in out)) this.at(node, `${where}: '${r}' is required`);
    return out;
  }

  list(node: unknown, where: string, shape: Shape, required: readonly string[]): Record<string, string>[] {
    if (node === null || node === undefined) return [];
    if (!isSeq(node)) {
      this.at(node as Node, `${where}: expected a list`);
      return [];
    }
    return node.items.map((item, i) => this.object(item, `${where}[${i}]`, shape, required)).filter((x): x is Record<string, string> => x !== undefined);
  }
}

/** Parses and validates config text; errors come back as `file:line:col: message` lines. */
export function parseRunbookConfig(text: string, file: string): { config: RunbookConfig } | { errors: string[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length) return { errors: doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}: ${e.message.split('\n')[0] ?? ''}`) };
  const c = new Checker(file, lines);
  const root = doc.contents;
  if (root === null) return { config: EMPTY_CONFIG };
  if (!isMap(root)) return { errors: [`${file}:1:1: expected a mapping with keys ${TOP.join(', ')}`] };
  const get = (k: string): unknown => root.items.find((p) => isScalar(p.key) && p.key.value === k)?.value;
  for (const p of root.items) {
    const key = isScalar(p.key) ? String(p.key.value) : '';
    if (!TOP.includes(key)) c.at(p.key, `unknown key '${key}' (expected ${TOP.join(', ')})`);
  }
  const site = get('site') === undefined ? undefined : c.text(get('site'), 'site', 'string');
  const statusPage = get('status_page') === undefined ? undefined : c.text(get('status_page'), 'status_page', 'url');
  const app = get('app') === undefined ? undefined : c.object(get('app'), 'app', APP, []);
  const config: RunbookConfig = {
    ...(site ? { site } : {}), ...(statusPage ? { statusPage } : {}), ...(app ? { app } : {}),
    contacts: c.list(get('contacts'), 'contacts', CONTACT, ['name']) as unknown as Contact[],
    dashboards: c.list(get('dashboards'), 'dashboards', LINK, ['name', 'url']) as unknown as Link[],
    health: c.list(get('health'), 'health', LINK, ['name', 'url']) as unknown as Link[],
  };
  return c.errors.length ? { errors: c.errors } : { config };
}

export async function readRunbookConfig(path: string): Promise<{ config: RunbookConfig } | { errors: string[] }> {
  let text: string;
  try {
    const s = await stat(path);
    if (!s.isFile()) return { errors: [`${path}: not a regular file`] };
    if (s.size > 1 << 20) return { errors: [`${path}: larger than 1 MiB`] };
    text = await readFile(path, 'utf8');
  } catch (err) {
    return { errors: [`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`] };
  }
  return parseRunbookConfig(text, path);
}
