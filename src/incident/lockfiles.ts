// Reads the package versions a lockfile pins (npm, Composer, pip, Bundler, Poetry) and names what changed.

export const LOCKFILES = ['package-lock.json', 'composer.lock', 'requirements.txt', 'Gemfile.lock', 'poetry.lock'] as const;
export type LockfileName = (typeof LOCKFILES)[number];

export interface PackageChange {
  readonly name: string;
  /** null: added (from) or removed (to). */
  readonly from: string | null;
  readonly to: string | null;
}

type Versions = Map<string, string>;

function npm(text: string): Versions {
  const out: Versions = new Map();
  const doc = JSON.parse(text) as { packages?: Record<string, { version?: unknown }>; dependencies?: Record<string, { version?: unknown }> };
  // lockfileVersion 2/3: "packages" keyed by install path; version 1: "dependencies" keyed by name.
  for (const [path, p] of Object.entries(doc.packages ?? {})) {
    const i = path.lastIndexOf('node_modules/');
    if (path === '' || i < 0 || typeof p.version !== 'string') continue;
    const name = path.slice(i + 'node_modules/'.length);
    if (!out.has(name) || !path.slice(0, i).includes('node_modules/')) out.set(name, p.version);
  }
  if (out.size === 0) for (const [name, p] of Object.entries(doc.dependencies ?? {})) if (typeof p.version === 'string') out.set(name, p.version);
  return out;
}

function composer(text: string): Versions {
  const doc = JSON.parse(text) as { packages?: { name?: unknown; version?: unknown }[]; 'packages-dev'?: { name?: unknown; version?: unknown }[] };
  const out: Versions = new Map();
  for (const p of [...(doc.packages ?? []), ...(doc['packages-dev'] ?? [])]) {
    if (typeof p.name === 'string' && typeof p.version === 'string') out.set(p.name, p.version);
  }
  return out;
}

function requirements(text: string): Versions {
  const out: Versions = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]{0,100})(?:\[[^\]]{0,100}\])?\s{0,10}===?\s{0,10}([^\s;,]{1,100})/.exec(line);
    if (m?.[1] && m[2]) out.set(m[1].toLowerCase(), m[2]);
  }
  return out;
}

function gemfile(text: string): Versions {
  const out: Versions = new Map();
  // Gems are the four-space-indented lines of the specs: sections, "    rack (3.0.8)".
  for (const line of text.split('\n')) {
    const m = /^ {4}([A-Za-z0-9_.-]{1,100}) \(([^)\s]{1,100})\)$/.exec(line);
    if (m?.[1] && m[2]) out.set(m[1], m[2]);
  }
  return out;
}

function poetry(text: string): Versions {
  const out: Versions = new Map();
  let name: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) name = undefined;
    const n = /^name = "([^"]{1,100})"/.exec(line);
    if (n?.[1]) name = n[1];
    const v = /^version = "([^"]{1,100})"/.exec(line);
    if (v?.[1] && name) out.set(name, v[1]);
  }
  return out;
}

const READERS: Record<LockfileName, (text: string) => Versions> = {
  'package-lock.json': npm, 'composer.lock': composer, 'requirements.txt': requirements, 'Gemfile.lock': gemfile, 'poetry.lock': poetry,
};

/** The pinned versions of a lockfile's text; undefined when the text cannot be read as that kind. */
export function readLockfile(kind: LockfileName, text: string): Versions | undefined {
  try {
    return READERS[kind](text);
  } catch {
    return undefined;
  }
}

/** Packages added, removed or at another version between two readings, sorted by name. */
export function diffVersions(before: Versions, after: Versions): PackageChange[] {
  const out: PackageChange[] = [];
  for (const [name, to] of after) {
    const from = before.get(name);
    if (from !== to) out.push({ name, from: from ?? null, to });
  }
  for (const [name, from] of before) if (!after.has(name)) out.push({ name, from, to: null });
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
