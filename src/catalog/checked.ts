// Reads catalog files through their schema: a file the build already checked (its text marked in
// dist/yaml-cache.json) is taken as is; any other file is checked with zod at load.
import { join } from 'node:path';
import { CATALOG_DIR } from './paths.ts';
import { validate, type SchemaName, type SchemaTypes } from './schema.ts';
import { cacheMarked, checkMark, readYaml, readYamlTree, type YamlFile } from './yaml-files.ts';

/** A parsed file's data, checked against `schema` unless the build's cache says it was. */
export function checkedData<K extends SchemaName>(schema: K, y: YamlFile): SchemaTypes[K] {
  if (cacheMarked(checkMark(schema, y.key))) return y.data as SchemaTypes[K];
  return validate(schema, y.path, y.data, y.text);
}

/** One file, read and checked. */
export function readChecked<K extends SchemaName>(schema: K, path: string, name = path): SchemaTypes[K] {
  return checkedData(schema, readYaml(path, name));
}

/** Every `*.yaml` below `dir`, read and checked, each with its relative path. */
export function readCheckedTree<K extends SchemaName>(schema: K, dir: string): { path: string; data: SchemaTypes[K] }[] {
  return readYamlTree(dir).map((y) => ({ path: y.path, data: checkedData(schema, y) }));
}

/** Which schema checks which part of the catalog. */
export const CHECKED_PARTS: readonly { readonly schema: SchemaName; readonly path: string; readonly tree: boolean }[] = [
  { schema: 'cause', path: 'causes', tree: true },
  { schema: 'format', path: 'formats', tree: true },
  { schema: 'terminationStates', path: 'termination-states.yaml', tree: false },
  { schema: 'changeMarkers', path: 'change-markers.yaml', tree: false },
  { schema: 'lifecycle', path: 'lifecycle.yaml', tree: false },
];

/**
 * For the build: checks every schema-covered file of the catalog (throwing FIVEXX_CATALOG_INVALID on
 * the first bad one) and returns the cache marks that let a run skip the check.
 */
export function buildCheckMarks(dir = CATALOG_DIR): Record<string, true> {
  const marks: Record<string, true> = {};
  for (const part of CHECKED_PARTS) {
    const files = part.tree ? readYamlTree(join(dir, part.path)) : [readYaml(join(dir, part.path), part.path)];
    for (const y of files) {
      validate(part.schema, y.path, y.data, y.text);
      marks[checkMark(part.schema, y.key)] = true;
    }
  }
  return marks;
}

