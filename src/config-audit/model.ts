// The shapes check-config speaks: a directive tree shared by the nginx, Apache and HAProxy readers, and a finding.

export type ServerKind = 'nginx' | 'apache' | 'haproxy';

/** One directive with where it was written; a block (nginx `{}`, Apache `<Section>`, HAProxy section) has children. */
export interface Directive {
  readonly name: string;
  readonly args: readonly string[];
  readonly file: string;
  readonly line: number;
  readonly children?: readonly Directive[];
}

/** One server's configuration: the main file, every file read (includes followed) and the tree. */
export interface ServerConfig {
  readonly kind: ServerKind;
  readonly main: string;
  readonly files: readonly string[];
  readonly tree: readonly Directive[];
  /** Problems met while reading (an include that matched nothing is not one): shown as info findings. */
  readonly notes: readonly Finding[];
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly message: string;
  /** A cause ID of catalog/causes: the verdict `fivexx analyze` would give once this bites. */
  readonly cause: string;
  readonly fix: string;
}

/** The check-config document (docs/contract.md). */
export interface AuditReport {
  readonly version: 1;
  readonly files: readonly string[];
  readonly findings: readonly Finding[];
}

/** Every directive of the tree, depth first, with its ancestors (outermost first). */
export function* walk(tree: readonly Directive[], parents: readonly Directive[] = []): Generator<{ d: Directive; parents: readonly Directive[] }> {
  for (const d of tree) {
    yield { d, parents };
    if (d.children) yield* walk(d.children, [...parents, d]);
  }
}

/** Case-insensitive name test (Apache and HAProxy keywords are not case-sensitive in practice). */
export function named(d: Directive, ...names: string[]): boolean {
  const n = d.name.toLowerCase();
  return names.some((x) => x.toLowerCase() === n);
}
