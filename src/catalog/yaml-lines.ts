// Finds the line of a field in a YAML text, for error messages that point at the place to fix.
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

/**
 * The 1-based line of the node at `path` (map keys and list indexes) in `text`, or of its nearest
 * ancestor that exists; undefined when the text does not parse.
 */
export function yamlLine(text: string, path: readonly string[]): number | undefined {
  const yaml = createRequire(import.meta.url)('yaml') as typeof Yaml;
  const counter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter: counter });
  if (doc.errors.length > 0) return undefined;
  for (let n = path.length; n >= 0; n--) {
    const keys = path.slice(0, n).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    const node = n === 0 ? doc.contents : doc.getIn(keys, true);
    const offset = yaml.isNode(node) ? node.range?.[0] : undefined;
    if (offset !== undefined) return counter.linePos(offset).line;
  }
  return undefined;
}
