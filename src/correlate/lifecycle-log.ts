// Collects what the lifecycle rules (lifecycle.ts) read, in bounded memory: the start banners and fatal or
// exception findings of application logs by source and line, and the seconds in which failures of each
// cause were seen; `settle()` runs the rules once every source is read.
import type { CauseCatalog } from '../catalog/causes.ts';
import type { Finding } from '../classify/classify.ts';
import type { ChangeEvent, LogRecord, Producer } from '../events/types.ts';
import { SecondSet } from './second-set.ts';
import { burstsOf, fatalRecords, isFatalCause, markFatal, placeInWindows, windowsByStarts, type LifecycleEvent } from './lifecycle.ts';

/** Events kept in all, and distinct (cause, second) pairs of failures. */
const MAX_EVENTS = 20_000;
const MAX_SECONDS = 200_000;

/** Records of these producers belong to an application process (not a gateway). */
const APP_PRODUCERS: ReadonlySet<Producer> = new Set(['node', 'python', 'app', 'gunicorn', 'uwsgi', 'php', 'php-fpm']);

export class LifecycleLog {
  private readonly events = new Map<number, LifecycleEvent[]>();
  /** By source: fatal records with no time that settle() found nothing to place against. */
  readonly unplaced = new Map<number, number>();
  private readonly seconds = new Map<string, SecondSet>();
  /** Times of deploys, rollbacks and app restarts (a changes log, an app server's own restart line). */
  private readonly changeTimes: number[] = [];
  private kept = 0;
  private secondsKept = 0;
  private readonly catalog: CauseCatalog;
  /** The causes a crash or an OOM can explain: only their failures can make a burst. */
  private readonly symptoms: ReadonlySet<string>;

  constructor(catalog: CauseCatalog) {
    this.catalog = catalog;
    this.symptoms = new Set(catalog.causes.filter(isFatalCause).flatMap((c) => c.explains));
  }

  private keep(source: number, e: LifecycleEvent): void {
    if (this.kept >= MAX_EVENTS) return;
    this.kept++;
    const list = this.events.get(source) ?? [];
    if (list.length === 0) this.events.set(source, list);
    list.push(e);
  }

  /** A record that is a start banner (catalog/lifecycle.yaml). */
  noteBanner(r: LogRecord): void {
    this.keep(r.source, { line: r.line, banner: r });
  }

  /** Every finding: an application's fatal records and exceptions are kept. */
  noteFinding(f: Finding): void {
    if (!APP_PRODUCERS.has(f.record.producer) || f.pattern.midBody) return;
    if (isFatalCause(f.cause) || (f.cause.layer === 'app' && f.cause.explains.length === 0)) this.keep(f.record.source, { line: f.record.line, finding: f });
  }

  /** A change: deploys, rollbacks and restarts not marked by a gateway's own log anchor the planned starts. */
  noteChange(c: ChangeEvent): void {
    const kinds: readonly string[] = ['deploy', 'rollback', 'restart'];
    if (!kinds.includes(c.kind) || !Number.isFinite(c.time) || (c.producer && !APP_PRODUCERS.has(c.producer))) return;
    if (this.changeTimes.length < MAX_EVENTS) this.changeTimes.push(c.time);
  }

  /** A failure of `causeId` at `time` (before roots refine it). */
  noteFailure(causeId: string, time: number): void {
    if (Number.isNaN(time) || !this.symptoms.has(causeId)) return;
    const second = Math.floor(time / 1000);
    let set = this.seconds.get(causeId);
    if (!set) {
      set = new SecondSet();
      this.seconds.set(causeId, set);
    }
    // At the cap nothing more is kept; a second kept already is not counted again.
    if (this.secondsKept >= MAX_SECONDS) return;
    if (set.add(second)) this.secondsKept++;
  }

  /**
   * Runs the rules: marks fatal records and restarts, places untimed ones by order. Returns the root
   * findings to add: the placed records and the exceptions that turned out fatal (as app.crash).
   */
  settle(): Finding[] {
    const roots: Finding[] = [];
    for (const [source, list] of this.events) {
      list.sort((a, b) => a.line - b.line);
      const fatal = fatalRecords(list, this.catalog);
      for (const x of fatal) markFatal(x.finding, x.restarted);
      const explained = new Set(fatal.flatMap((x) => x.finding.cause.explains));
      const changes = [...this.changeTimes].sort((a, b) => a - b);
      const windows = windowsByStarts(list.filter((e) => e.banner).map((e) => e.line), fatal.map((x) => x.finding.record.line), changes);
      const placed = new Set(placeInWindows(fatal.map((x) => x.finding), burstsOf(this.seconds, explained), windows));
      const originals = new Set(list.map((e) => e.finding));
      const recaused = fatal.filter((x) => !placed.has(x.finding) && !originals.has(x.finding) && !Number.isNaN(x.finding.record.time));
      roots.push(...placed, ...recaused.map((x) => x.finding));
      const left = fatal.filter((x) => Number.isNaN(x.finding.record.time)).length;
      if (left > 0) this.unplaced.set(source, left);
    }
    return roots;
  }
}
