// The text of evidence: a record's proving line, a message's shape (for counting a message once), step filling.
import type { Finding } from '../classify/classify.ts';

export function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  const line = nl < 0 ? text : text.slice(0, nl);
  return line.length > 1000 ? `${line.slice(0, 1000)}…` : line;
}

const shapes = new WeakMap<Finding, string>();

/** A finding that knows its message's shape before its record is read (the error digest's evidence, error-batch-sink.ts). */
export interface ShapedFinding extends Finding {
  readonly knownShape: string;
}

/** A finding that knows its evidence key (`evidenceKey`'s value) before its record is read (error-batch-sink.ts). */
export interface KeyedFinding extends Finding {
  readonly knownKey: string;
}

/** An incident's evidence key of a finding: its cause and message shape (a finding that knows it says it). */
export function evidenceKey(f: Finding): string {
  return (f as Partial<KeyedFinding>).knownKey ?? `${f.cause.id}:${shapeOf(f)}`;
}

/** Normalises a message so that lines differing only in numbers, ids and addresses count once. */
export function shape(message: string): string {
  return firstLine(message).replace(/\d+/g, '#').replace(/"[^"]{0,400}"/g, '"…"');
}

/** `shape` of a finding's message, computed once per finding (a stored finding stands for many). */
export function shapeOf(f: Finding): string {
  const known = (f as Partial<ShapedFinding>).knownShape;
  if (known !== undefined) return known;
  let s = shapes.get(f);
  if (s === undefined) {
    s = shape(f.record.message);
    shapes.set(f, s);
  }
  return s;
}

/** The physical line of a (multi-line) record where its cause's pattern matched, else its first line. */
export function provingLine(f: Finding): { line: number; text: string } {
  const text = f.record.text;
  const m = f.pattern.regex.exec(text);
  if (!m) {
    // The message was rebuilt from the record (varnishlog tags, JSON): find the raw line holding the match's end.
    const inMessage = f.pattern.regex.exec(f.record.message)?.[0] ?? '';
    const body = inMessage.includes(': ') ? inMessage.slice(inMessage.indexOf(': ') + 2) : inMessage;
    const needle = body.slice(-Math.min(24, body.length)).trim();
    const lines = text.split('\n');
    const k = needle ? lines.findIndex((l) => l.includes(needle)) : -1;
    return k < 0 ? { line: f.record.line, text: firstLine(text) } : { line: f.record.line + k, text: firstLine(lines[k] ?? '') };
  }
  let at = m.index;
  if (text[at] === '\n') at++;
  const before = text.slice(0, at);
  const offset = before.split('\n').length - 1;
  const start = before.lastIndexOf('\n') + 1;
  return { line: f.record.line + offset, text: firstLine(text.slice(start)) };
}

/** Fills a cause's step with the incident's top upstream, path and host. */
export function fill(step: string, scope: { readonly paths: [string, number][]; readonly upstreams: [string, number][]; readonly hosts: [string, number][] }): string {
  return step
    .replaceAll('{upstream}', scope.upstreams[0]?.[0] ?? 'the upstream')
    .replaceAll('{path}', scope.paths[0]?.[0] ?? 'the failing paths')
    .replaceAll('{host}', scope.hosts[0]?.[0] ?? 'the site');
}
