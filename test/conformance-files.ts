// Where the peers' conformance logs live: the repository's own copy (test/fixtures/conformance, licences
// beside the files), so that a clone alone runs every test that reads them.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The copy of shared/conformance kept in the repository (Apache-2.0 and BSD-2-Clause files, see its README.md). */
export const CONFORMANCE_DIR = fileURLToPath(new URL('./fixtures/conformance/', import.meta.url));

/** shared/conformance beside the repository, where the copy comes from; absent in a clone alone. */
export const SHARED_CONFORMANCE_DIR = fileURLToPath(new URL('../../shared/conformance/', import.meta.url));

/** The files SHA256SUMS of a conformance folder lists whose bytes differ from the sum (or are missing). */
export function sumMismatches(dir: string): string[] {
  const sums = readFileSync(join(dir, 'SHA256SUMS'), 'utf8').split('\n').filter(Boolean);
  return sums.flatMap((l) => {
    const [sum = '', ...rest] = l.split('  ');
    const file = join(dir, rest.join('  '));
    if (!existsSync(file)) return [`${file}: missing`];
    return createHash('sha256').update(readFileSync(file)).digest('hex') === sum ? [] : [`${file}: differs from SHA256SUMS`];
  });
}
