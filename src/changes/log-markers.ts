// Recognises change markers (reloads, restarts) in server logs, from catalog/change-markers.yaml.
import { join } from 'node:path';
import { CATALOG_DIR } from '../catalog/paths.ts';
import { readChecked } from '../catalog/checked.ts';
import { LiteralIndex, longLiterals } from '../classify/literals.ts';
import type { ChangeEvent, LogRecord, Producer } from '../events/types.ts';

export interface ChangeMarker {
  readonly kind: ChangeEvent['kind'];
  readonly producers: readonly Producer[];
  readonly regex: RegExp;
  /** Real lines, with the format that reads them, that this marker must recognise. */
  readonly samples: readonly { readonly format: string; readonly text: string }[];
}

/** The markers of the file, checked against its schema (FIVEXX_CATALOG_INVALID when it is bad). */
export function loadMarkers(file = join(CATALOG_DIR, 'change-markers.yaml')): ChangeMarker[] {
  const data = readChecked('changeMarkers', file, file.startsWith(CATALOG_DIR) ? file.slice(CATALOG_DIR.length) : file);
  return data.markers.map((m) => ({ kind: m.kind, producers: m.producers, regex: new RegExp(m.regex), samples: m.samples }));
}

const prefilters = new WeakMap<readonly ChangeMarker[], { index: LiteralIndex; literals: string[]; everyRecord: boolean }>();

function prefilter(markers: readonly ChangeMarker[]): { index: LiteralIndex; literals: string[]; everyRecord: boolean } {
  let pre = prefilters.get(markers);
  if (!pre) {
    const lits = markers.map((m) => longLiterals(m.regex));
    const literals = lits.flatMap((l) => l ?? []);
    pre = { index: new LiteralIndex(literals), literals, everyRecord: lits.some((l) => !l) };
    prefilters.set(markers, pre);
  }
  return pre;
}

/** Every marker's required literals (for a caller that looks for them once for several uses). */
export function markerLiterals(markers: readonly ChangeMarker[]): readonly string[] {
  return prefilter(markers).literals;
}

/** The literals one of which any marker for `producer` needs; undefined when some marker needs none. */
export function markerLiteralsFor(markers: readonly ChangeMarker[], producer: Producer): readonly string[] | undefined {
  const lits = markers.filter((m) => m.producers.length === 0 || m.producers.includes(producer)).map((m) => longLiterals(m.regex));
  return lits.every((l) => l !== undefined) ? lits.flat() : undefined;
}

/**
 * The change a record marks, if any. Records holding none of the markers' required literals are
 * passed over; `found` is that set when the caller has already looked.
 */
export function markerOf(markers: readonly ChangeMarker[], r: LogRecord, sourcePath: string, found?: ReadonlySet<string>): ChangeEvent | undefined {
  const pre = prefilter(markers);
  if (!pre.everyRecord && (found ?? pre.index.found(r.message)).size === 0) return undefined;
  for (const m of markers) {
    if (m.producers.length > 0 && !m.producers.includes(r.producer)) continue;
    if (m.regex.test(r.message)) {
      return { kind: m.kind, time: r.time, ref: '', text: r.text.split('\n', 1)[0] ?? '', source: sourcePath, line: r.line, producer: r.producer };
    }
  }
  return undefined;
}
