// Reads an Apache httpd configuration into a directive tree: logical lines, <Section> blocks, ${VAR}s, Include globs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Directive, ServerConfig } from '../model.ts';
import { IncludeReader } from './includes.ts';

/** Splits one logical line into words: double or single quotes group, backslash escapes a quote. */
export function splitWords(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i] ?? '';
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    let word = '';
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < line.length && line[j] !== c) {
        if (line[j] === '\\' && (line[j + 1] === c || line[j + 1] === '\\')) j++;
        word += line[j++] ?? '';
      }
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && line[j] !== ' ' && line[j] !== '\t') word += line[j++] ?? '';
      i = j;
    }
    out.push(word);
  }
  return out;
}

/** Logical lines (backslash continuations joined), without comments and blanks, with their first line number. */
export function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    const start = i + 1;
    let s = (raw[i] ?? '').replace(/\r$/, '');
    while (s.endsWith('\\') && i + 1 < raw.length) s = s.slice(0, -1) + (raw[++i] ?? '').replace(/\r$/, '');
    s = s.trim();
    if (s && !s.startsWith('#')) out.push({ text: s, line: start });
  }
  return out;
}

/** `export NAME=value` lines of Debian's /etc/apache2/envvars ($SUFFIX read as empty). */
export function readEnvvars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const m = /^\s*export\s+([A-Za-z_]\w{0,63})=(\S{0,1000})/.exec(raw);
    if (m?.[1]) vars.set(m[1], (m[2] ?? '').replace(/^['"]|['"]$/g, '').replaceAll('$SUFFIX', ''));
  }
  return vars;
}

interface State {
  readonly vars: Map<string, string>;
  root: string;
  readonly reader: IncludeReader;
}

function substitute(word: string, vars: Map<string, string>): string {
  return word.replace(/\$\{([A-Za-z_][\w.]{0,63})\}/g, (m, name: string) => vars.get(name) ?? process.env[name] ?? m);
}

const CONDITIONS = /^if(module|define|version|file|directive|section)$/i;

/**
 * A closed section goes into its parent; a condition (<IfModule x>, <IfDefine x>…) is taken as true and its
 * lines join the parent's, a negated one (<IfModule !x>) as false.
 */
function close(open: { d: Directive; kids: Directive[] }, parent: Directive[]): void {
  if (!CONDITIONS.test(open.d.name)) parent.push({ ...open.d, children: open.kids });
  else if (!open.d.args[0]?.startsWith('!')) parent.push(...open.kids);
}

/** One file's directives; sections nest until their closing tag. */
function parseFile(text: string, file: string, s: State): Directive[] {
  const lines = logicalLines(text);
  const stack: { d: Directive; kids: Directive[] }[] = [];
  const top: Directive[] = [];
  const here = (): Directive[] => stack.at(-1)?.kids ?? top;
  for (const l of lines) {
    if (l.text.startsWith('</')) {
      const open = stack.pop();
      if (open) close(open, stack.at(-1)?.kids ?? top);
      continue;
    }
    const isSection = l.text.startsWith('<') && l.text.endsWith('>');
    const words = splitWords(isSection ? l.text.slice(1, -1) : l.text).map((w) => substitute(w, s.vars));
    const d: Directive = { name: words[0] ?? '', args: words.slice(1), file, line: l.line };
    if (isSection) stack.push({ d, kids: [] });
    else if (/^include(optional)?$/i.test(d.name)) here().push(...includeFiles(d, s));
    else {
      if (/^define$/i.test(d.name) && d.args[0]) s.vars.set(d.args[0], d.args[1] ?? '');
      if (/^serverroot$/i.test(d.name) && d.args[0]) s.root = d.args[0];
      here().push(d);
    }
  }
  while (stack.length) {
    const open = stack.pop();
    if (open) close(open, stack.at(-1)?.kids ?? top);
  }
  return top;
}

function includeFiles(d: Directive, s: State): Directive[] {
  const out: Directive[] = [];
  for (const path of s.reader.expand(d.args[0] ?? '', s.root)) {
    const got = s.reader.within(path, d, (text) => parseFile(text, path, s));
    if (got) out.push(...got);
  }
  return out;
}

/**
 * The Apache configuration at `main`. Relative includes are read from ServerRoot (the directive, else the main
 * file's folder, which is /etc/apache2 on Debian); ${VAR}s come from Define, the envvars file beside it, the environment.
 */
export function readApache(main: string, reader = new IncludeReader()): ServerConfig {
  const envvars = join(dirname(main), 'envvars');
  const vars = existsSync(envvars) ? readEnvvars(readFileSync(envvars, 'utf8')) : new Map<string, string>();
  const s: State = { vars, root: dirname(main), reader };
  const tree = reader.within(main, undefined, (text) => parseFile(text, main, s)) ?? [];
  return { kind: 'apache', main, files: reader.files, tree, notes: reader.notes };
}
