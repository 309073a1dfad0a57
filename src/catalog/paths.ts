// Where the catalog data shipped with the package lives, from both src/ and dist/.
import { fileURLToPath } from 'node:url';

export const CATALOG_DIR = fileURLToPath(new URL('../../catalog/', import.meta.url));
