// Writes what is generated from the catalog (run after changing a schema or adding a cause; tests check
// both are current): docs/catalog-schema.json, the JSON Schema of the catalog's data files, from the zod
// schemas of src/catalog/schema.ts; and src/catalog/cause-ids.ts, the cause IDs as a type.
import { writeFileSync } from 'node:fs';
import { causeIdsModule } from '../src/catalog/cause-id-list.ts';
import { loadCauses } from '../src/catalog/causes.ts';
import { catalogSchemaJson } from '../src/catalog/schema-json.ts';

writeFileSync(new URL('../docs/catalog-schema.json', import.meta.url), catalogSchemaJson());
console.log('wrote docs/catalog-schema.json');
writeFileSync(new URL('../src/catalog/cause-ids.ts', import.meta.url), causeIdsModule(loadCauses()));
console.log('wrote src/catalog/cause-ids.ts');
