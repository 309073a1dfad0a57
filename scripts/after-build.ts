// Finishes `npm run build`: marks the command executable (tsc writes 0644, and `npx fivexx` needs
// the bit) and writes dist/yaml-cache.json, the catalog's YAML already parsed (see yaml-files.ts) and
// checked against its schema (see catalog/checked.ts).
import { chmodSync, writeFileSync } from 'node:fs';
import { buildYamlCache } from '../src/catalog/yaml-files.ts';
import { CATALOG_DIR } from '../src/catalog/paths.ts';
import { buildCheckMarks } from '../src/catalog/checked.ts';

chmodSync(new URL('../dist/cli/bin.js', import.meta.url), 0o755);
const { cache, files, left } = buildYamlCache(CATALOG_DIR);
// The catalog's schema-covered files are checked here, once; the marks let a run skip loading zod.
const marks = buildCheckMarks(CATALOG_DIR);
writeFileSync(new URL('../dist/yaml-cache.json', import.meta.url), JSON.stringify({ ...cache, ...marks }));
if (left.length > 0) console.warn(`yaml cache: ${left.length} file(s) left to the parser (not plain JSON data): ${left.join(', ')}`);
console.log(`yaml cache: ${files - left.length} of ${files} catalog files in dist/yaml-cache.json, ${Object.keys(marks).length} checked against their schema`);
