// Reads Apache httpd `LogFormat` directives and turns their % directives into the variable syntax
// of fivexx's log-format scanner, so custom Apache access logs are read like nginx ones.

const SIMPLE: Record<string, string> = {
  h: '$remote_addr', a: '$remote_addr', l: '$ident', u: '$remote_user', t: '[$time_local]', r: '$request', s: '$status',
  b: '$body_bytes_sent', B: '$body_bytes_sent', O: '$bytes_sent', I: '$request_length', D: '$request_time_us',
  T: '$request_time', v: '$host', V: '$host', p: '$server_port', P: '$pid', m: '$request_method', U: '$uri', q: '$args',
  H: '$server_protocol', X: '$connection_status', k: '$keepalive', L: '$request_id',
};

const HEADER: Record<string, string> = {
  referer: '$http_referer', 'user-agent': '$http_user_agent', 'x-forwarded-for': '$http_x_forwarded_for', host: '$host',
};

/** One Apache format string → the scanner's syntax; undefined when a directive has no equivalent (custom %{…}t). */
export function apacheToScanner(format: string): string | undefined {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    let j = i + 1;
    if (format[j] === '%') {
      out += '%';
      i = j;
      continue;
    }
    while (j < format.length && /[<>!,\d]/.test(format[j] ?? '')) j++;
    let arg = '';
    if (format[j] === '{') {
      const close = format.indexOf('}', j);
      if (close < 0) return undefined;
      arg = format.slice(j + 1, close);
      j = close + 1;
    }
    const d = format[j] ?? '';
    i = j;
    if (arg && d === 'i') out += HEADER[arg.toLowerCase()] ?? `$http_${arg.toLowerCase().replaceAll('-', '_')}`;
    else if (arg && d === 'a') out += '$remote_addr';
    else if (arg && (d === 't' || d === 'T')) return undefined;
    else if (arg) out += `$${d}_${arg.toLowerCase().replace(/\W/g, '_')}`;
    else if (SIMPLE[d]) out += SIMPLE[d];
    else return undefined;
  }
  return out;
}

/** `LogFormat "…" name` directives of an Apache configuration, converted; the ones that cannot be read are listed. */
export function readApacheLogFormats(text: string): { formats: Map<string, string>; skipped: string[] } {
  const formats = new Map<string, string>();
  const skipped: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^LogFormat\s+"((?:[^"\\]|\\.){1,4000})"(?:\s+(\S{1,100}))?/i.exec(line);
    if (!m) continue;
    const name = m[2] ?? 'default';
    const converted = apacheToScanner((m[1] ?? '').replace(/\\(["\\])/g, '$1'));
    if (converted) formats.set(name, converted);
    else skipped.push(name);
  }
  return { formats, skipped };
}
