// Gunicorn's worker timeout and keep-alive, from a gunicorn.conf.py or any file holding its command line (a systemd unit).
import type { AppLimit } from './types.ts';

const DEFAULT_TIMEOUT = 30;
const DEFAULT_KEEPALIVE = 2;

function pyValue(text: string, name: string): { value: number; line: number } | undefined {
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = new RegExp(`^${name}\\s*=\\s*(\\d{1,9})\\s*(?:#.*)?$`).exec((lines[i] ?? '').trim());
    if (m?.[1]) return { value: Number(m[1]), line: i + 1 };
  }
  return undefined;
}

function flagValue(text: string, flags: string[]): { value: number; line: number } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const words = (lines[i] ?? '').split(/\s+/);
    for (let w = 0; w < words.length; w++) {
      const word = words[w] ?? '';
      for (const f of flags) {
        const v = word === f ? words[w + 1] : word.startsWith(`${f}=`) ? word.slice(f.length + 1) : undefined;
        if (v !== undefined && /^\d{1,9}$/.test(v)) return { value: Number(v), line: i + 1 };
      }
    }
  }
  return undefined;
}

function binds(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const py = /^bind\s*=\s*\[?(.{1,500}?)\]?\s*$/.exec(line);
    if (py?.[1]) out.push(...py[1].split(',').map((x) => x.trim().replace(/^['"]|['"]$/g, '')).filter(Boolean));
    const words = line.split(/\s+/);
    words.forEach((w, i) => {
      if ((w === '--bind' || w === '-b') && words[i + 1]) out.push(words[i + 1] ?? '');
      else if (w.startsWith('--bind=')) out.push(w.slice(7));
    });
  }
  return out;
}

/** Gunicorn's limits from `file`'s text; the defaults (30 s, 2 s) when the file does not set them. */
export function gunicornLimits(text: string, file: string): { timeout: AppLimit; keepalive: AppLimit } {
  const t = pyValue(text, 'timeout') ?? flagValue(text, ['--timeout', '-t']);
  const k = pyValue(text, 'keepalive') ?? flagValue(text, ['--keep-alive']);
  const b = binds(text);
  return {
    timeout: { server: 'gunicorn', setting: t ? 'timeout' : 'timeout (default)', seconds: t?.value ?? DEFAULT_TIMEOUT, file, line: t?.line ?? 0, binds: b },
    keepalive: { server: 'gunicorn', setting: k ? 'keepalive' : 'keepalive (default)', seconds: k?.value ?? DEFAULT_KEEPALIVE, file, line: k?.line ?? 0, binds: b },
  };
}

/** Whether a file found in a default place is about Gunicorn at all. */
export function mentionsGunicorn(text: string): boolean {
  return text.includes('gunicorn');
}
