// Finishes `npm run build`: marks the command executable (tsc writes 0644, and `npx fivexx` needs
// the bit) and writes dist/yaml-cache.json, the catalog's YAML already parsed (see yaml-files.ts).
import { chmodSync, writeFileSync } from 'node:fs';
import { buildYamlCache } from '../src/catalog/yaml-files.ts';
import { CATALOG_DIR } from '../src/catalog/paths.ts';

chmodSync(new URL('../dist/cli/bin.js', import.meta.url), 0o755);
const { cache, files, left } = buildYamlCache(CATALOG_DIR);
writeFileSync(new URL('../dist/yaml-cache.json', import.meta.url), JSON.stringify(cache));
if (left.length > 0) console.warn(`yaml cache: ${left.length} file(s) left to the parser (not plain JSON data): ${left.join(', ')}`);
console.log(`yaml cache: ${files - left.length} of ${files} catalog files in dist/yaml-cache.json`);
