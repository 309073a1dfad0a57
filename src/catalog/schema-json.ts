// The catalog's schemas as one JSON Schema document (docs/catalog-schema.json), for editors and readers.
import { catalogSchemas } from './schema.ts';

const FILES: Record<string, string> = {
  cause: 'catalog/causes/<layer>/<name>.yaml',
  format: 'catalog/formats/<name>.yaml',
  terminationStates: 'catalog/termination-states.yaml',
  changeMarkers: 'catalog/change-markers.yaml',
  lifecycle: 'catalog/lifecycle.yaml',
};

/** The JSON text of the document: one definition per kind of catalog file. */
export function catalogSchemaJson(): string {
  const { z, s } = catalogSchemas();
  const defs: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(s)) {
    const { $schema: _drop, ...rest } = z.toJSONSchema(schema) as Record<string, unknown>;
    void _drop;
    defs[name] = { description: FILES[name] ?? name, ...rest };
  }
  const doc = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'fivexx catalog files',
    description: 'Generated from src/catalog/schema.ts by scripts/catalog-schema.ts; do not edit by hand.',
    $defs: defs,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
