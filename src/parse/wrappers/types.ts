// The shape of a wrapper: a prefix or envelope a container runtime, a log shipper or a test file puts around a log line.

/** What a wrapper found: the inner line, or `skip` for a line that is no record at all (a comment). */
export type Peeled =
  | { readonly text: string; readonly partial?: boolean }
  | { readonly skip: true };

export interface Wrapper {
  readonly name: string;
  /** The inner line when `line` is wrapped by this wrapper; undefined when it is not. */
  peel(line: string): Peeled | undefined;
}
