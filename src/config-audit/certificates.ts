// Reads certificate files (PEM) offline: when a client certificate (the first in its file) or a whole CA bundle expires.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * `leaf`: the first certificate's end of validity (a client certificate); `bundle`: the latest one (a CA bundle is
 * useless only when every certificate in it has expired). A string when the file cannot be read.
 */
export function certificateExpiry(path: string, mode: 'leaf' | 'bundle'): { validTo: Date; subject: string } | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`;
  }
  let pick: { validTo: Date; subject: string } | undefined;
  for (const block of text.split('-----END CERTIFICATE-----').slice(0, -1)) {
    const start = block.indexOf('-----BEGIN CERTIFICATE-----');
    if (start < 0) continue;
    try {
      const c = new X509Certificate(block.slice(start) + '-----END CERTIFICATE-----\n');
      const validTo = new Date(c.validTo);
      if (!pick || validTo > pick.validTo) pick = { validTo, subject: c.subject.replaceAll('\n', ', ') };
    } catch {
      return `${path}: not a readable PEM certificate`;
    }
    if (mode === 'leaf') break;
  }
  return pick ?? `${path}: no certificate in it`;
}
