// uWSGI's harakiri (the request time limit) and http-keepalive from an ini file's [uwsgi] section.
import { plainSeconds } from '../units.ts';
import { iniLines, type AppLimit } from './types.ts';

export function uwsgiLimits(text: string, file: string): { timeout?: AppLimit; keepalive?: AppLimit } {
  let timeout: AppLimit | undefined;
  let keepalive: AppLimit | undefined;
  const binds: string[] = [];
  for (const l of iniLines(text)) {
    if (l.section !== 'uwsgi') continue;
    if (['socket', 'http-socket', 'http', 'uwsgi-socket', 'fastcgi-socket'].includes(l.key)) binds.push(l.value.startsWith('/') ? `unix:${l.value}` : l.value);
    const seconds = plainSeconds(l.value);
    if (l.key === 'harakiri' && seconds) timeout = { server: 'uwsgi', setting: 'harakiri', seconds, file, line: l.line };
    if (l.key === 'http-keepalive' && seconds) keepalive = { server: 'uwsgi', setting: 'http-keepalive', seconds, file, line: l.line };
  }
  return { ...(timeout ? { timeout: { ...timeout, binds } } : {}), ...(keepalive ? { keepalive: { ...keepalive, binds } } : {}) };
}
