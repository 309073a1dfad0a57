// Reads an nginx configuration into a directive tree: a small tokenizer (words, quotes, ; { }), includes followed.
import { dirname } from 'node:path';
import type { Directive, ServerConfig } from '../model.ts';
import { IncludeReader } from './includes.ts';

interface Token {
  readonly kind: 'word' | ';' | '{' | '}';
  readonly text: string;
  readonly line: number;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/** Reads one quoted word starting at `i` (the quote); returns the word and the index after the closing quote. */
function quoted(text: string, i: number): { word: string; end: number; lines: number } {
  const q = text[i];
  let word = '';
  let lines = 0;
  let j = i + 1;
  while (j < text.length && text[j] !== q) {
    const c = text[j] ?? '';
    if (c === '\\' && j + 1 < text.length) {
      const n = text[j + 1] ?? '';
      word += n === q || n === '\\' ? n : n === 'n' ? '\n' : n === 't' ? '\t' : '\\' + n;
      j += 2;
      continue;
    }
    if (c === '\n') lines++;
    word += c;
    j++;
  }
  return { word, end: j + 1, lines };
}

/** Reads one bare word; `${name}` keeps its braces, as nginx does. */
function bare(text: string, i: number): { word: string; end: number } {
  let j = i;
  while (j < text.length) {
    const c = text[j] ?? '';
    if (isSpace(c) || c === ';' || c === '}') break;
    if (c === '{') {
      if (text[j - 1] !== '$') break;
      const close = text.indexOf('}', j);
      j = close < 0 ? text.length : close + 1;
      continue;
    }
    j++;
  }
  return { word: text.slice(i, j), end: j };
}

/** The tokens of nginx config text, with 1-based line numbers. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (c === '\n') {
      line++;
      i++;
    } else if (isSpace(c)) i++;
    else if (c === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (c === ';' || c === '{' || c === '}') {
      out.push({ kind: c, text: c, line });
      i++;
    } else if (c === '"' || c === "'") {
      const q = quoted(text, i);
      out.push({ kind: 'word', text: q.word, line });
      line += q.lines;
      i = q.end;
    } else {
      const b = bare(text, i);
      out.push({ kind: 'word', text: b.word, line });
      i = b.end;
    }
  }
  return out;
}

interface ParseState {
  readonly tokens: Token[];
  pos: number;
  readonly file: string;
  readonly prefix: string;
  readonly reader: IncludeReader;
}

/** Directives until a closing brace (or the end); `include` replaced by the included files' directives. */
function parseBlock(s: ParseState, nested: boolean): Directive[] {
  const out: Directive[] = [];
  let words: Token[] = [];
  while (s.pos < s.tokens.length) {
    const t = s.tokens[s.pos++];
    if (!t) break;
    if (t.kind === 'word') words.push(t);
    else if (t.kind === '}') {
      if (nested) return out;
      s.reader.notes.push(syntaxNote(s.file, t.line, 'unexpected "}"'));
    } else {
      const head = words[0];
      if (!head) continue;
      const d = { name: head.text, args: words.slice(1).map((w) => w.text), file: s.file, line: head.line };
      words = [];
      if (t.kind === '{') out.push({ ...d, children: parseBlock(s, true) });
      else if (d.name === 'include' && d.args[0] !== undefined) out.push(...includeFiles(s, d));
      else out.push(d);
    }
  }
  if (nested) s.reader.notes.push(syntaxNote(s.file, s.tokens.at(-1)?.line ?? 1, 'unexpected end of file, expecting "}"'));
  return out;
}

function includeFiles(s: ParseState, d: Directive): Directive[] {
  const out: Directive[] = [];
  for (const path of s.reader.expand(d.args[0] ?? '', s.prefix)) {
    const got = s.reader.within(path, d, (text) => parseText(text, path, s.prefix, s.reader));
    if (got) out.push(...got);
  }
  return out;
}

function syntaxNote(file: string, line: number, what: string): ServerConfig['notes'][number] {
  return { severity: 'error', file, line, message: `nginx syntax: ${what}`, cause: 'gateway.config', fix: 'Run nginx -t and fix the reported line.' };
}

function parseText(text: string, file: string, prefix: string, reader: IncludeReader): Directive[] {
  return parseBlock({ tokens: tokenize(text), pos: 0, file, prefix, reader }, false);
}

/** The nginx configuration at `main`; relative includes are read from its folder, as `nginx -c main` does. */
export function readNginx(main: string, reader = new IncludeReader()): ServerConfig {
  const tree = reader.within(main, undefined, (text) => parseText(text, main, dirname(main), reader)) ?? [];
  return { kind: 'nginx', main, files: reader.files, tree, notes: reader.notes };
}
