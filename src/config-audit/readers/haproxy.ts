// Reads an HAProxy configuration into sections (global, defaults, frontend, backend, listen…) of keyword lines.
import type { Directive, ServerConfig } from '../model.ts';
import { IncludeReader } from './includes.ts';

const SECTIONS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'resolvers', 'peers', 'userlist', 'mailers',
  'http-errors', 'cache', 'program', 'ring', 'fcgi-app', 'log-forward', 'crt-store']);

/** Words of one line: whitespace splits, quotes group, backslash escapes, an unquoted # starts a comment. */
export function splitLine(line: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (c === '\\' && i + 1 < line.length && quote !== "'") {
      word += line[++i] ?? '';
      inWord = true;
    } else if (quote) {
      if (c === quote) quote = '';
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '#') break;
    else if (c === ' ' || c === '\t' || c === '\r') {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}

/** The sections of HAProxy config text; lines before the first section are kept at the top. */
export function parseHaproxy(text: string, file: string): Directive[] {
  const top: Directive[] = [];
  let section: { d: Directive; kids: Directive[] } | undefined;
  const close = (): void => {
    if (section) top.push({ ...section.d, children: section.kids });
    section = undefined;
  };
  text.split('\n').forEach((raw, i) => {
    const words = splitLine(raw);
    const name = words[0];
    if (name === undefined) return;
    const d: Directive = { name, args: words.slice(1), file, line: i + 1 };
    if (SECTIONS.has(name.toLowerCase())) {
      close();
      section = { d, kids: [] };
    } else if (section) section.kids.push(d);
    else top.push(d);
  });
  close();
  return top;
}

/** The HAProxy configuration at `main` (HAProxy has no include directive: several -f files are several configs). */
export function readHaproxy(main: string, reader = new IncludeReader()): ServerConfig {
  const tree = reader.within(main, undefined, (text) => parseHaproxy(text, main)) ?? [];
  return { kind: 'haproxy', main, files: reader.files, tree, notes: reader.notes };
}
