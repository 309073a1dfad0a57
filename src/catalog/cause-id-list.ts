// The source text of src/catalog/cause-ids.ts: the catalog's cause IDs as a TypeScript union type.
import type { CauseCatalog } from './causes.ts';

/** The generated module's text for the causes of `catalog`. */
export function causeIdsModule(catalog: CauseCatalog): string {
  const ids = catalog.causes.map((c) => c.id).sort();
  return [
    '// Generated from catalog/causes by `node scripts/catalog-schema.ts`; do not edit (cause-ids.test.ts checks it is current).',
    '// The cause IDs the shipped catalog has, as a type: a literal cause ID in code is checked by the compiler.',
    '',
    'export const CAUSE_IDS = [',
    ...ids.map((id) => `  '${id}',`),
    '] as const;',
    '',
    'export type CauseId = (typeof CAUSE_IDS)[number];',
    '',
  ].join('\n');
}
