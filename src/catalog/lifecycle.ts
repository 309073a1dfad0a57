// Loads the start banners of catalog/lifecycle.yaml and tells whether a record is one.
import { join } from 'node:path';
import type { LogRecord, Producer } from '../events/types.ts';
import { readChecked } from './checked.ts';
import { CATALOG_DIR } from './paths.ts';

export interface Banner {
  readonly producers: readonly Producer[];
  readonly regex: RegExp;
  readonly samples: { readonly match: readonly { format: string; text: string }[]; readonly noMatch: readonly { format: string; text: string }[] };
}

/** The banners of the file, checked against its schema (FIVEXX_CATALOG_INVALID when it is bad). */
export function loadBanners(file = join(CATALOG_DIR, 'lifecycle.yaml')): Banner[] {
  const data = readChecked('lifecycle', file, file.startsWith(CATALOG_DIR) ? file.slice(CATALOG_DIR.length) : file);
  return data.banners.map((b) => ({ producers: b.producers, regex: new RegExp(b.regex), samples: b.samples }));
}

/** True when the record's first line is a start banner of its producer. */
export function isBanner(banners: readonly Banner[], r: LogRecord): boolean {
  if (!banners.some((b) => b.producers.includes(r.producer))) return false;
  const nl = r.message.indexOf('\n');
  const head = nl < 0 ? r.message : r.message.slice(0, nl);
  // Every banner says " on ", " at " or starts with npm's "> ": most records say neither.
  if (!head.startsWith('> ') && !head.includes(' on ') && !head.includes(' at ')) return false;
  return banners.some((b) => b.producers.includes(r.producer) && b.regex.test(head));
}
