// Process lifecycle as evidence, the pure rules: a start banner after a fatal trace is a restart (several:
// a crash-restart loop); an exception trace that a start banner follows at once ended the process (a crash);
// a root-cause record with no time (untimed app output) is placed, by its order, at the onset of the burst
// of failures it explains (refused, reset, premature close), and that placement is said to be inferred.
import type { Cause, CauseCatalog } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { Incident, IncidentLifecycle, Placement } from '../events/analysis.ts';
import type { LogRecord } from '../events/types.ts';

interface Mark {
  placement: Placement;
  /** A start banner of the same process follows this fatal record. */
  restarted: boolean;
}

/** Marks of the fatal records the lifecycle rules looked at (records die with their run). */
const marks = new WeakMap<LogRecord, Mark>();

export function placementOf(r: LogRecord): Placement | undefined {
  return marks.get(r)?.placement;
}

/** A record of one source: a start banner, or a finding (a trace) with the last line its record spans. */
export interface LifecycleEvent {
  readonly line: number;
  readonly banner?: LogRecord;
  readonly finding?: Finding;
}

/** A banner this many lines (or fewer) after the end of an exception trace means that trace ended the process. */
export const CLOSE_LINES = 3;

const lastLine = (f: Finding): number => f.record.line + f.record.text.split('\n', 400).length - 1;

/** A root cause (OOM, crash): what a dying process leaves. */
export const isFatalCause = (c: Cause): boolean => c.id === 'app.crash' || c.id === 'host.out_of_memory';

/**
 * The fatal findings of one source's events (in line order), each with whether a start banner follows it
 * before the next fatal one. An app-layer exception that a banner follows within CLOSE_LINES lines was
 * fatal too: it comes back as `app.crash` (a new finding on the same record).
 */
export function fatalRecords(events: readonly LifecycleEvent[], catalog: CauseCatalog): { finding: Finding; restarted: boolean }[] {
  const crash = catalog.byId.get('app.crash');
  const fatal: (Finding | undefined)[] = events.map((e, i) => {
    const f = e.finding;
    if (!f || isFatalCause(f.cause)) return f && isFatalCause(f.cause) ? f : undefined;
    const next = events[i + 1];
    const closeBanner = next?.banner !== undefined && next.line - lastLine(f) <= CLOSE_LINES;
    return closeBanner && crash && f.cause.layer === 'app' && f.cause.explains.length === 0 ? { ...f, cause: crash } : undefined;
  });
  // From the end: whether a banner comes before the next fatal record.
  const out: { finding: Finding; restarted: boolean }[] = [];
  let bannerAhead = false;
  for (let i = events.length - 1; i >= 0; i--) {
    const f = fatal[i];
    if (f) {
      out.push({ finding: f, restarted: bannerAhead });
      bannerAhead = false;
    } else if (events[i]?.banner) bannerAhead = true;
  }
  return out.reverse();
}

/** A run of failures with no quiet gap longer than BURST_GAP_MS; `inFlight`: it holds a reset or premature close. */
export interface Burst {
  readonly start: number;
  end: number;
  inFlight: boolean;
}

export const BURST_GAP_MS = 3000;

/** Symptoms of a process dying under a request (the ones after it, while it restarts, are refused). */
const IN_FLIGHT = new Set(['upstream.premature_close', 'upstream.reset']);

/** Bursts of the failures (epoch seconds by cause) whose cause is in `explained`, in time order. */
export function burstsOf(seconds: ReadonlyMap<string, Iterable<number>>, explained: ReadonlySet<string>): Burst[] {
  const all: [number, boolean][] = [];
  for (const [cause, set] of seconds) if (explained.has(cause)) for (const s of set) all.push([s * 1000, IN_FLIGHT.has(cause)]);
  all.sort((a, b) => a[0] - b[0]);
  const out: Burst[] = [];
  for (const [t, inFlight] of all) {
    const cur = out[out.length - 1];
    if (cur && t - cur.end <= BURST_GAP_MS) {
      cur.end = Math.max(cur.end, t + 999);
      cur.inFlight ||= inFlight;
    } else out.push({ start: t, end: t + 999, inFlight });
  }
  return out;
}

/**
 * Places the fatal records of one source that carry no time (in line order) against the bursts of the
 * failures they explain: the k-th at the onset of the k-th burst when there are as many (or as many
 * bursts with a request that died in flight); otherwise each may lie anywhere from the first onset to
 * the last burst's end. Returns the records placed; each is marked inferred.
 */
export function placeByOrder(fatal: readonly Finding[], bursts: readonly Burst[]): Finding[] {
  const untimed = fatal.filter((f) => Number.isNaN(f.record.time));
  const first = bursts[0];
  const last = bursts[bursts.length - 1];
  if (untimed.length === 0 || !first || !last) return [];
  const inFlight = bursts.filter((b) => b.inFlight);
  const targets = bursts.length === untimed.length ? bursts : inFlight.length === untimed.length ? inFlight : undefined;
  untimed.forEach((f, i) => {
    const b = targets?.[i];
    f.record.time = b ? b.start : first.start;
    f.record.timeMax = b ? b.start : last.end;
    marks.set(f.record, { placement: 'inferred', restarted: marks.get(f.record)?.restarted ?? false });
  });
  return untimed;
}

/**
 * The time window each line of one source can lie in, from its planned starts: banners that no fatal record
 * came before (since the previous banner), matched from the latest back to the changes log's deploys and
 * restarts (`changeTimes`, sorted). A record after the k-th planned start lies after its change and before
 * the next matched one; with no match, anywhere.
 */
export function windowsByStarts(bannerLines: readonly number[], fatalLines: readonly number[], changeTimes: readonly number[]): (line: number) => [number, number] {
  const fatal = [...fatalLines].sort((a, b) => a - b);
  const planned: number[] = [];
  let at = 0;
  for (const b of [...bannerLines].sort((x, y) => x - y)) {
    let crashed = false;
    while (at < fatal.length && (fatal[at] ?? Infinity) < b) {
      crashed = true;
      at++;
    }
    if (!crashed) planned.push(b);
  }
  const times = planned.map((_, i) => changeTimes[changeTimes.length - (planned.length - i)] ?? NaN);
  // from[k]: the latest matched time among planned[0, k); to[k]: the earliest among planned[k, …).
  const from: number[] = [-Infinity];
  for (const t of times) from.push(Number.isNaN(t) ? (from[from.length - 1] ?? -Infinity) : t);
  const to: number[] = new Array<number>(times.length + 1).fill(Infinity);
  for (let k = times.length - 1; k >= 0; k--) to[k] = Number.isNaN(times[k] ?? NaN) ? (to[k + 1] ?? Infinity) : (times[k] ?? Infinity);
  return (line) => {
    let lo = 0;
    let hi = planned.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((planned[mid] ?? Infinity) < line) lo = mid + 1;
      else hi = mid;
    }
    return [from[lo] ?? -Infinity, to[lo] ?? Infinity];
  };
}

/** Places the fatal records by order within their windows: each window's records against the bursts that start in it. */
export function placeInWindows(fatal: readonly Finding[], bursts: readonly Burst[], windowOf: (line: number) => [number, number]): Finding[] {
  const groups = new Map<string, { win: [number, number]; list: Finding[] }>();
  for (const f of fatal) {
    const win = windowOf(f.record.line);
    const key = win.join('|');
    const g = groups.get(key) ?? { win, list: [] };
    g.list.push(f);
    groups.set(key, g);
  }
  return [...groups.values()].flatMap((g) => placeByOrder(g.list, bursts.filter((b) => b.start >= g.win[0] && b.start <= g.win[1])));
}

/** Notes a fatal record's restart and, unless placed, that its time is its own. */
export function markFatal(f: Finding, restarted: boolean): void {
  const m = marks.get(f.record);
  marks.set(f.record, { placement: m?.placement ?? 'logged', restarted: restarted || (m?.restarted ?? false) });
}

/** The symptom a root-cause failure also showed: the first of its findings whose cause `cause` explains (a premature close beside an OOM kill). */
export function symptomOf(cause: Cause, findings: readonly Finding[]): string | undefined {
  if (cause.explains.length === 0) return undefined;
  return findings.find((f) => cause.explains.includes(f.cause.id))?.cause.id;
}

/** The lifecycle an incident's roots show, or undefined when none of them is a fatal record the rules looked at. */
export function lifecycleOf(roots: readonly Finding[]): IncidentLifecycle | undefined {
  const seen = roots.map((r) => marks.get(r.record)).filter((m): m is Mark => m !== undefined);
  if (seen.length === 0) return undefined;
  return {
    crashes: seen.length, restarts: seen.filter((m) => m.restarted).length,
    placement: seen.some((m) => m.placement === 'inferred') ? 'inferred' : 'logged',
  };
}

/** The extensions a root cause brings: the symptoms it replaced (largest first) and the lifecycle of its records. */
export function lifecycleFields(symptoms: ReadonlyMap<string, number>, roots: readonly Finding[]): Pick<Incident, 'symptoms' | 'lifecycle'> {
  const list = [...symptoms.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([cause, requests]) => ({ cause, requests }));
  const lifecycle = lifecycleOf(roots);
  return { ...(list.length > 0 ? { symptoms: list } : {}), ...(lifecycle ? { lifecycle } : {}) };
}
