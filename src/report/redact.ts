// Hides secrets that log lines and responses quote (tokens, passwords, cookies, JWTs) before a report shows them.

export const REDACTED = '[REDACTED]';

/** How many values were hidden; shared by every call for one report. */
export interface Tally {
  n: number;
}

// Parameter names that are secrets as a whole word (after splitting snake, kebab and camel case)…
const SECRET_WORDS = new Set([
  'token', 'secret', 'password', 'passwd', 'pwd', 'pass', 'passphrase', 'auth', 'authorization', 'apikey', 'key',
  'session', 'sessionid', 'sid', 'sessid', 'signature', 'sig', 'credential', 'credentials', 'cookie', 'jwt', 'bearer', 'otp',
  'csrf', 'xsrf', 'private',
]);
// …or anywhere in a name run together (PHPSESSID, accesstoken, clientsecret, JSESSIONID).
const SECRET_PARTS = /token|secret|passw|apikey|sessid|sessionid|signature|credential|authoriz/i;

/** Whether a parameter, JSON or header name looks like it holds a secret (`token`, `api_key`, `apiKeySecret`…). */
export function isSecretName(full: string): boolean {
  const name = full.slice(0, 128);
  if (SECRET_PARTS.test(name)) return true;
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/);
  return words.some((w) => SECRET_WORDS.has(w));
}

function hide(value: string, tally: Tally): string {
  if (value === '' || value === REDACTED) return value;
  tally.n++;
  return REDACTED;
}

/** `a=1; b=2` → `a=[REDACTED]; b=[REDACTED]`; with `firstOnly` (Set-Cookie) the attributes after the first pair stay. */
function cookiePairs(value: string, tally: Tally, firstOnly: boolean): string {
  return value.split(';').map((pair, i) => {
    if (firstOnly && i > 0) return pair;
    const eq = pair.indexOf('=');
    if (eq >= 0) return pair.slice(0, eq + 1) + hide(pair.slice(eq + 1), tally);
    const lead = /^\s*/.exec(pair)?.[0] ?? '';
    return lead + hide(pair.slice(lead.length), tally);
  }).join(';');
}

const SCHEME = /^(basic|bearer|digest|negotiate|ntlm|token|apikey|aws4-hmac-sha256|hmac-sha256)(\s+)/i;

/** The value of an Authorization header: its scheme stays, the credentials go. */
function credentials(value: string, tally: Tally): string {
  const m = SCHEME.exec(value);
  return m ? m[0] + hide(value.slice(m[0].length), tally) : hide(value, tally);
}

/** The value of a header, by its name. */
export function redactHeader(name: string, value: string, tally: Tally): string {
  const n = name.toLowerCase();
  // Several Set-Cookie headers arrive joined by ', ' (not the one inside an Expires date).
  if (n === 'set-cookie') return value.split(/(,\s*)(?=[^;,=\s]+=)/).map((c, i) => (i % 2 ? c : cookiePairs(c, tally, true))).join('');
  if (n === 'cookie') return cookiePairs(value, tally, false);
  if (n === 'authorization' || n === 'proxy-authorization') return credentials(value, tally);
  if (isSecretName(n)) return hide(value, tally);
  return redactText(value, tally);
}

// Each rule finds one kind of secret in free text; the replacement keeps its name and hides its value.
const HEADER = /\b(set-cookie|cookie|proxy-authorization|authorization)(\s*:\s*)([^"\r\n]+)/gi;
const USERINFO = /\b([a-z][a-z0-9+.-]{0,30}:\/\/[^\s/?#@:"'<>]{0,256}):([^\s/?#@"'<>]{1,256})@/gi;
const JSON_FIELD = /"([\w.-]{1,64})"(\s*:\s*)"((?:[^"\\\r\n]|\\.){0,4096})"/g;
const PARAM = /(?<=^|[?&;\s,"'{(\[])([A-Za-z][\w.[\]-]{0,63})=([^&\s"'#;<>]*)/g;
const BEARER = /\b(bearer)(\s+)([A-Za-z0-9._~+/-]{8,}=*)/gi;
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/** sudo's `PWD=/home/ann` is the working folder, not a password. */
function workingDir(name: string, value: string): boolean {
  return name.toLowerCase() === 'pwd' && value.startsWith('/');
}

/** Hides only the password of `scheme://user:password@host`. */
export function hidePasswords(text: string, tally: Tally): string {
  return text.includes('@') ? text.replace(USERINFO, (_, head: string, pass: string) => `${head}:${hide(pass, tally)}@`) : text;
}

/** A URL as typed, for an error message: what lies between `user:` and the last `@` goes, even when it does not parse. */
export function urlForMessage(raw: string): string {
  const start = raw.indexOf('://');
  const at = raw.lastIndexOf('@');
  const colon = start < 0 ? -1 : raw.indexOf(':', start + 3);
  if (at < 0 || colon < 0 || colon > at) return raw;
  return `${raw.slice(0, colon + 1)}${REDACTED}${raw.slice(at)}`;
}

/** Every secret the rules know in a line of text; the rest unchanged. */
export function redactText(text: string, tally: Tally): string {
  let t = text.replace(HEADER, (_, name: string, sep: string, value: string) => name + sep + redactHeader(name, value, tally));
  t = hidePasswords(t, tally);
  t = t.replace(JSON_FIELD, (m, name: string, sep: string, value: string) => (isSecretName(name) ? `"${name}"${sep}"${hide(value, tally)}"` : m));
  t = t.replace(PARAM, (m, name: string, value: string) => (isSecretName(name) && !workingDir(name, value) ? `${name}=${hide(value, tally)}` : m));
  t = t.replace(BEARER, (_, word: string, sep: string, token: string) => word + sep + hide(token, tally));
  return t.replace(JWT, (m) => hide(m, tally));
}
