// Which directive applies at a place in the tree: the nearest level that sets it (nginx, Apache), or the section
// and then the `defaults` above it (HAProxy).
import { named, type Directive, type ServerConfig } from './model.ts';

function lastIn(list: readonly Directive[] | undefined, name: string): Directive | undefined {
  return list?.findLast((d) => !d.children && named(d, name));
}

/** The directive `name` in force for something written inside `parents` (outermost first). */
export function inherited(config: ServerConfig, parents: readonly Directive[], name: string): Directive | undefined {
  if (config.kind === 'haproxy') return haproxyInherited(config, parents[0], name);
  for (let i = parents.length - 1; i >= 0; i--) {
    const found = lastIn(parents[i]?.children, name);
    if (found) return found;
  }
  return lastIn(config.tree, name);
}

/** Every directive `name` in force at the nearest level that sets any (nginx array directives such as proxy_set_header). */
export function inheritedAll(config: ServerConfig, parents: readonly Directive[], name: string): Directive[] {
  const levels = [config.tree, ...parents.map((p) => p.children)].reverse();
  for (const level of levels) {
    const found = (level ?? []).filter((d) => !d.children && named(d, name));
    if (found.length) return found;
  }
  return [];
}

function haproxyInherited(config: ServerConfig, section: Directive | undefined, name: string): Directive | undefined {
  if (!section) return undefined;
  const own = lastIn(section.children, name);
  if (own || named(section, 'defaults')) return own;
  const index = config.tree.indexOf(section);
  const defaults = config.tree.slice(0, index).findLast((d) => named(d, 'defaults'));
  return lastIn(defaults?.children, name);
}

/** The global section's (HAProxy) or top level's directive `name`. */
export function topLevel(config: ServerConfig, name: string): Directive | undefined {
  if (config.kind === 'haproxy') return lastIn(config.tree.find((d) => named(d, 'global'))?.children, name);
  return lastIn(config.tree, name);
}
