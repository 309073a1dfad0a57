// What check-config learns from the app servers' own configs: how long they let a request run, how long they keep idle connections.

export type AppServer = 'gunicorn' | 'php-fpm' | 'uwsgi';

export interface AppLimit {
  readonly server: AppServer;
  /** The setting as written (`timeout`, `request_terminate_timeout`, `harakiri`…), `(default)` when not written. */
  readonly setting: string;
  readonly seconds: number;
  readonly file: string;
  readonly line: number;
  /** Where this app server listens (`127.0.0.1:8000`, `:8000`, `unix:/run/app.sock`); empty when the config does not say. */
  readonly binds?: readonly string[];
}

export interface AppSettings {
  /** How long each app server lets one request run before it kills it (the shortest non-zero limit per server). */
  readonly timeouts: readonly AppLimit[];
  /** How long each app server keeps an idle keep-alive connection open. */
  readonly keepalives: readonly AppLimit[];
  readonly files: readonly string[];
}

/** `key = value` lines of an INI-like file (PHP-FPM, php.ini, uWSGI), with the section and line. */
export function iniLines(text: string): { section: string; key: string; value: string; line: number }[] {
  const out: { section: string; key: string; value: string; line: number }[] = [];
  let section = '';
  text.split('\n').forEach((raw, i) => {
    const l = raw.trim();
    if (!l || l.startsWith(';') || l.startsWith('#')) return;
    if (l.startsWith('[') && l.endsWith(']')) {
      section = l.slice(1, -1).trim();
      return;
    }
    const eq = l.indexOf('=');
    if (eq <= 0) return;
    out.push({ section, key: l.slice(0, eq).trim(), value: l.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'), line: i + 1 });
  });
  return out;
}
