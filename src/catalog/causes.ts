// Loads the causes of catalog/causes: id, layer, meaning, next steps, match patterns and their samples.
import { join } from 'node:path';
import { LAYERS, type Layer, type Producer } from '../events/types.ts';
import { CATALOG_DIR } from './paths.ts';
import { FieldReader, readYamlTree } from './yaml-files.ts';

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

function readSamples(list: FieldReader[]): CauseSample[] {
  return list.map((s) => ({ format: s.string('format'), text: s.string('text') }));
}

function buildCause(file: string, data: unknown): Cause {
  const f = FieldReader.of(file, data);
  const id = f.string('id');
  const layer = f.string('layer') as Layer;
  if (!LAYERS.includes(layer)) throw new Error(`${file}: unknown layer '${layer}'`);
  if (!id.startsWith(`${layer}.`)) throw new Error(`${file}: id '${id}' is not in layer '${layer}'`);
  const patterns = f.list('patterns').map((p) => ({
    producers: p.strings('producers') as Producer[],
    regex: new RegExp(p.string('regex'), p.bool('ignoreCase') ? 'i' : ''),
    specificity: p.number('specificity', 10),
    midBody: p.bool('midBody'),
    unverified: p.string('unverified', true),
  }));
  const samples = f.child('samples');
  return {
    id, layer, title: f.string('title'), statuses: f.numbers('statuses'), meaning: f.string('meaning').trim(),
    firstCheck: f.string('firstCheck').trim(), nextSteps: f.strings('nextSteps'), references: f.strings('references'),
    explains: f.strings('explains'), precursors: f.strings('precursors'), patterns,
    samples: { match: readSamples(samples.list('match')), noMatch: readSamples(samples.list('noMatch')) }, file,
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
  const causes = readYamlTree(dir).map((y) => buildCause(y.path, y.data));
  const byId = new Map<string, Cause>();
  for (const c of causes) {
    if (byId.has(c.id)) throw new Error(`${c.file}: duplicate cause id '${c.id}'`);
    byId.set(c.id, c);
  }
  const catalog = { causes, byId };
  if (dir === join(CATALOG_DIR, 'causes')) cached = catalog;
  return catalog;
}

/** The cause to use when no evidence names one: `<layer>.unexplained`. */
export function unexplained(catalog: CauseCatalog, layer: Layer): Cause {
  const c = catalog.byId.get(`${layer}.unexplained`);
  if (!c) throw new Error(`catalog has no ${layer}.unexplained`);
  return c;
}
