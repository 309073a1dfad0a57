// Whether an app server's listening address (gunicorn bind, PHP-FPM listen, uWSGI socket) is the one a gateway sends to.
import { isLoopback, type Address } from '../addresses.ts';

const ANY = new Set(['', '0.0.0.0', '::', '[::]', '*']);

export function bindMatches(bind: string, target: Address): boolean {
  if (bind.startsWith('unix:') || bind.startsWith('/')) return target.type === 'unix' && target.path === bind.replace(/^unix:/, '');
  if (target.type !== 'tcp') return false;
  const colon = bind.lastIndexOf(':');
  const host = colon < 0 ? bind : bind.slice(0, colon);
  const port = Number(colon < 0 ? bind : bind.slice(colon + 1));
  if (port !== target.port) return false;
  const h = host.replace(/^\[|\]$/g, '');
  return ANY.has(h) || h === target.host || (isLoopback(h) && isLoopback(target.host));
}

/** An app server with no known address may serve any upstream; one with addresses serves only those. */
export function servesAny(binds: readonly string[] | undefined, targets: readonly Address[]): boolean {
  if (!binds?.length) return true;
  return targets.some((t) => binds.some((b) => bindMatches(b, t)));
}
