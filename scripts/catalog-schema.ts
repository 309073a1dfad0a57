// Writes docs/catalog-schema.json: the JSON Schema of the catalog's data files, generated from the
// zod schemas of src/catalog/schema.ts (run after changing them; a test checks the file is current).
import { writeFileSync } from 'node:fs';
import { catalogSchemaJson } from '../src/catalog/schema-json.ts';

writeFileSync(new URL('../docs/catalog-schema.json', import.meta.url), catalogSchemaJson());
console.log('wrote docs/catalog-schema.json');
