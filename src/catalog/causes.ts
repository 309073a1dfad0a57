// Loads the causes of catalog/causes: id, layer, meaning, next steps, match patterns and their samples.
import { join } from 'node:path';
import { LAYERS, type Layer, type Producer } from '../events/types.ts';
import { CATALOG_DIR } from './paths.ts';
import { FivexxError } from '../errors/codes.ts';
import type { CauseId } from './cause-ids.ts';
import { readCheckedTree } from './checked.ts';
import type { CauseFile } from './schema.ts';

export interface CausePattern {
  /** Producers whose records this pattern reads; empty means any. */
  readonly producers: readonly Producer[];
  readonly regex: RegExp;
  /** Higher wins when several causes match one record. */
  readonly specificity: number;
  /** The failure reached the visitor as a truncated 2xx rather than a 5xx. */
  readonly midBody: boolean;
  /** Why no real sample line proves this pattern yet ('' when one does). */
  readonly unverified: string;
}

export interface CauseSample {
  readonly format: string;
  readonly text: string;
}

export interface Cause {
  readonly id: string;
  readonly layer: Layer;
  readonly title: string;
  readonly statuses: readonly number[];
  readonly meaning: string;
  readonly firstCheck: string;
  readonly nextSteps: readonly string[];
  readonly references: readonly string[];
  /** Symptom causes that this cause is the root of when both are seen in one window. */
  readonly explains: readonly string[];
  /** Causes whose findings in the minute before onset are quoted as evidence (what marked servers down). */
  readonly precursors: readonly string[];
  readonly patterns: readonly CausePattern[];
  readonly samples: { readonly match: readonly CauseSample[]; readonly noMatch: readonly CauseSample[] };
  readonly file: string;
}

function buildCause(file: string, c: CauseFile): Cause {
  if (!c.id.startsWith(`${c.layer}.`)) throw new FivexxError('FIVEXX_CATALOG_INVALID', `${file}: id '${c.id}' is not in layer '${c.layer}'`);
  const patterns = c.patterns.map((p) => ({
    producers: p.producers ?? [],
    regex: new RegExp(p.regex, p.ignoreCase ? 'i' : ''),
    specificity: p.specificity ?? 10,
    midBody: p.midBody ?? false,
    unverified: p.unverified ?? '',
  }));
  return {
    id: c.id, layer: c.layer, title: c.title, statuses: c.statuses, meaning: c.meaning.trim(), firstCheck: c.firstCheck.trim(),
    nextSteps: c.nextSteps, references: c.references, explains: c.explains ?? [], precursors: c.precursors ?? [], patterns,
    samples: { match: c.samples.match, noMatch: c.samples.noMatch }, file,
  };
}

export interface CauseCatalog {
  readonly causes: readonly Cause[];
  readonly byId: ReadonlyMap<string, Cause>;
}

let cached: CauseCatalog | undefined;

/** Every cause of the catalog; ids are unique. */
export function loadCauses(dir = join(CATALOG_DIR, 'causes')): CauseCatalog {
  if (cached && dir === join(CATALOG_DIR, 'causes')) return cached;
  const causes = readCheckedTree('cause', dir).map((y) => buildCause(y.path, y.data));
  const byId = new Map<string, Cause>();
  for (const c of causes) {
    if (byId.has(c.id)) throw new FivexxError('FIVEXX_CATALOG_INVALID', `${c.file}: duplicate cause id '${c.id}'`);
    byId.set(c.id, c);
  }
  const catalog = { causes, byId };
  checkReferences(catalog);
  if (dir === join(CATALOG_DIR, 'causes')) cached = catalog;
  return catalog;
}

/**
 * The cause with this ID; an ID the catalog does not have is an error (FIVEXX_CATALOG_INVALID),
 * never a silent fallback. `where` names the file or code that wrote the ID.
 */
export function requireCause(catalog: CauseCatalog, id: string, where = 'code'): Cause {
  const c = catalog.byId.get(id);
  if (!c) throw new FivexxError('FIVEXX_CATALOG_INVALID', `${where}: unknown cause id '${id}' (not in catalog/causes)`);
  return c;
}

/**
 * An ID read from data (a responder file…) as a CauseId, once requireCause has found it in the loaded
 * catalog (which may hold causes added since cause-ids.ts was generated).
 */
export function causeId(catalog: CauseCatalog, id: string, where = 'code'): CauseId {
  return requireCause(catalog, id, where).id as CauseId;
}

/** Every cause ID a cause file names (explains, precursors) exists; every layer has its `unexplained`. */
function checkReferences(catalog: CauseCatalog): void {
  for (const c of catalog.causes) for (const id of [...c.explains, ...c.precursors]) requireCause(catalog, id, c.file);
  for (const layer of LAYERS) requireCause(catalog, `${layer}.unexplained`, 'catalog/causes');
}

/** The cause to use when no evidence names one: `<layer>.unexplained`. */
export function unexplained(catalog: CauseCatalog, layer: Layer): Cause {
  return requireCause(catalog, `${layer}.unexplained`);
}
