// Loads and validates catalog/responders/*.yaml: each file's keys are checked by hand (an unknown key,
// a wrong type or an unsafe regex is a FIVEXX_CATALOG_INVALID error naming the file and the field).
import { join } from 'node:path';
import { CATALOG_DIR } from '../catalog/paths.ts';
import { nestedQuantifier } from '../catalog/regex-safety.ts';
import { readYamlTree } from '../catalog/yaml-files.ts';
import { FivexxError } from '../errors/codes.ts';

export type Role = 'author' | 'relay' | 'both';

/** One sign: every condition given must hold; its weight counts toward authorship, passage, or both. */
export interface Sign {
  readonly role: Role;
  readonly weight: number;
  readonly header?: string;
  readonly regex?: RegExp;
  readonly noHeader?: string;
  readonly body?: RegExp;
  readonly reason?: RegExp;
  readonly status?: readonly number[];
  readonly emptyBody?: boolean;
  /** Counts only when the responder's relay signs are present too (Cloudflare's 52x behind server: cloudflare). */
  readonly withRelay?: boolean;
}

export interface ResponderVerdict {
  readonly status: number;
  readonly body: RegExp | undefined;
  readonly cause: string;
  readonly summary: string;
}

export interface Responder {
  readonly id: string;
  readonly name: string;
  readonly kind: 'edge' | 'gateway' | 'app';
  /** The product this one is a build or a variant of (openresty → nginx). */
  readonly family?: string;
  readonly meaning: { readonly visitor: string; readonly operator: string };
  readonly signs: readonly Sign[];
  readonly verdicts: readonly ResponderVerdict[];
}

type Obj = Record<string, unknown>;

const TOP = new Set(['id', 'name', 'kind', 'family', 'meaning', 'signs', 'verdicts', 'samples']);
const SIGN = new Set(['role', 'weight', 'header', 'regex', 'noHeader', 'body', 'reason', 'status', 'emptyBody', 'withRelay', 'ignoreCase']);
const VERDICT = new Set(['status', 'body', 'cause', 'summary']);
const SAMPLE = new Set(['status', 'reason', 'headers', 'body', 'expect', 'note']);
const EXPECT = new Set(['responder', 'cause', 'relays', 'not']);

function fail(where: string, what: string): never {
  throw new FivexxError('FIVEXX_CATALOG_INVALID', `catalog/responders/${where}: ${what}`);
}

function obj(v: unknown, where: string, keys: Set<string>): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(where, 'must be a mapping');
  for (const k of Object.keys(v)) if (!keys.has(k)) fail(where, `unknown key '${k}' (allowed: ${[...keys].join(', ')})`);
  return v as Obj;
}

function str(o: Obj, k: string, where: string, optional = false): string | undefined {
  const v = o[k];
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v === '') fail(where, `'${k}' must be a non-empty string`);
  return v;
}

function list(o: Obj, k: string, where: string): unknown[] {
  const v = o[k] ?? [];
  if (!Array.isArray(v)) fail(where, `'${k}' must be a list`);
  return v;
}

function regex(o: Obj, k: string, where: string, flags: string): RegExp | undefined {
  const s = str(o, k, where, true);
  if (s === undefined) return undefined;
  if (nestedQuantifier(s)) fail(where, `'${k}' has a nested unbounded quantifier (catastrophic backtracking)`);
  try {
    return new RegExp(s, flags);
  } catch (err) {
    return fail(where, `'${k}' is not a valid regex: ${(err as Error).message}`);
  }
}

function sign(v: unknown, where: string): Sign {
  const o = obj(v, where, SIGN);
  const role = o.role ?? 'author';
  if (role !== 'author' && role !== 'relay' && role !== 'both') fail(where, "'role' must be author, relay or both");
  const weight = o.weight;
  if (typeof weight !== 'number' || weight <= 0 || weight > 10) fail(where, "'weight' must be a number from 1 to 10");
  const flags = o.ignoreCase === true ? 'i' : '';
  const status = list(o, 'status', where);
  if (status.some((s) => typeof s !== 'number')) fail(where, "'status' must be a list of numbers");
  const header = str(o, 'header', where, true)?.toLowerCase();
  const s: Sign = {
    role, weight, ...(header ? { header } : {}), regex: regex(o, 'regex', where, flags), noHeader: str(o, 'noHeader', where, true)?.toLowerCase(),
    body: regex(o, 'body', where, flags), reason: regex(o, 'reason', where, flags), status: status as number[],
    emptyBody: o.emptyBody === true, withRelay: o.withRelay === true,
  };
  if (!s.header && !s.body && !s.reason && !s.emptyBody && !s.status?.length && !s.noHeader) fail(where, 'a sign needs a condition');
  if (s.header && !s.regex) fail(where, "a 'header' sign needs a 'regex'");
  return s;
}

function verdict(v: unknown, where: string): ResponderVerdict {
  const o = obj(v, where, VERDICT);
  const status = o.status ?? 0;
  if (typeof status !== 'number') fail(where, "'status' must be a number");
  return { status, body: regex(o, 'body', where, ''), cause: str(o, 'cause', where) ?? '', summary: str(o, 'summary', where, true) ?? '' };
}

/** Validates one parsed file; samples are checked for shape here and replayed by the tests. */
export function responderOf(path: string, data: unknown): Responder {
  const o = obj(data, path, TOP);
  const kind = o.kind;
  if (kind !== 'edge' && kind !== 'gateway' && kind !== 'app') fail(path, "'kind' must be edge, gateway or app");
  const m = obj(o.meaning, `${path}: meaning`, new Set(['visitor', 'operator']));
  list(o, 'samples', path).forEach((s, i) => {
    const so = obj(s, `${path}: samples[${i}]`, SAMPLE);
    obj(so.expect, `${path}: samples[${i}].expect`, EXPECT);
    if (typeof so.status !== 'number') fail(`${path}: samples[${i}]`, "'status' must be a number");
  });
  return {
    id: str(o, 'id', path) ?? '', name: str(o, 'name', path) ?? '', kind, family: str(o, 'family', path, true),
    meaning: { visitor: str(m, 'visitor', `${path}: meaning`) ?? '', operator: str(m, 'operator', `${path}: meaning`) ?? '' },
    signs: list(o, 'signs', path).map((s, i) => sign(s, `${path}: signs[${i}]`)),
    verdicts: list(o, 'verdicts', path).map((v, i) => verdict(v, `${path}: verdicts[${i}]`)),
  };
}

export const RESPONDERS_DIR = join(CATALOG_DIR, 'responders');
let cached: Responder[] | undefined;

export function loadResponders(dir = RESPONDERS_DIR): Responder[] {
  if (cached && dir === RESPONDERS_DIR) return cached;
  const all = readYamlTree(dir).map((y) => responderOf(y.path, y.data));
  if (dir === RESPONDERS_DIR) cached = all;
  return all;
}
