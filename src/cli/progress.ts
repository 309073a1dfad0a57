// A progress line on stderr for large inputs, drawn only on a terminal: the phase that runs (reading,
// correlating, writing) with its own progress (bytes and ETA while reading, what is left to do after).
import { basename } from 'node:path';
import type { PhaseEvent } from '../engine/run-analysis.ts';
import { escapeControls } from '../report/safe-text.ts';

export type ShownPhase = PhaseEvent | { readonly phase: 'writing' };

export interface Progress {
  update(done: number, total: number): void;
  phase(e: ShownPhase): void;
  end(): void;
}

/** What the progress line needs of a stream (process.stderr, or a fake one in tests). */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

const MIN_BYTES = 32 << 20;
const STEPS = { reading: 1, correlating: 2, writing: 3 } as const;

function mb(n: number): string {
  return n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(2)} GB` : `${(n / (1 << 20)).toFixed(0)} MB`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function secs(ms: number): string {
  return `${Math.max(0, Math.round(ms / 1000))}s`;
}

interface State {
  done: number;
  total: number;
  phase: ShownPhase | undefined;
  readingSince: number;
  phaseSince: number;
}

/** The line for the current state (without the leading carriage return). */
export function progressLine(s: State, now: number): string {
  const p = s.phase ?? { phase: 'reading', file: '', index: 0, files: 0, bytes: s.total };
  const step = `${STEPS[p.phase]}/3`;
  if (p.phase === 'reading') {
    const frac = s.total > 0 ? Math.min(1, s.done / s.total) : 0;
    const bar = '#'.repeat(Math.round(frac * 24)).padEnd(24, '.');
    const file = p.files > 0 ? ` · ${escapeControls(basename(p.file))} (${p.index}/${p.files})` : '';
    if (frac < 1) {
      const elapsed = now - s.readingSince;
      const eta = frac > 0 ? secs(elapsed / frac - elapsed) : '?';
      return `${step} reading [${bar}] ${mb(s.done)} / ${mb(s.total)} (${Math.round(frac * 100)}%) ETA ${eta}${file}`;
    }
    return `${step} reading [${bar}] ${mb(s.total)} scanned, parsing the lines that matter${file} · ${secs(now - s.phaseSince)}`;
  }
  if (p.phase === 'correlating') {
    return `${step} correlating ${count(p.failed)} failed request(s) with ${count(p.records)} error record(s) · ${secs(now - s.phaseSince)}`;
  }
  return `${step} writing the report`;
}

export function progressBar(stream: ProgressStream, opts: { now?: () => number; tickMs?: number } = {}): Progress {
  const now = opts.now ?? Date.now;
  const s: State = { done: 0, total: 0, phase: undefined, readingSince: now(), phaseSince: now() };
  let last = 0;
  let drawn = false;
  let timer: NodeJS.Timeout | undefined;
  const active = (): boolean => stream.isTTY === true && s.total >= MIN_BYTES;
  let ended = false;
  const draw = (): void => {
    if (!active() || ended) return;
    last = now();
    const width = Math.max(20, (stream.columns || 100) - 1);
    stream.write(`\r\x1b[K${progressLine(s, last).slice(0, width)}`);
    drawn = true;
    // Elapsed time keeps moving while a phase waits for no bytes (the timer fires when the event loop is free).
    if (!timer && (opts.tickMs ?? 500) > 0) timer = setInterval(draw, opts.tickMs ?? 500).unref();
  };
  return {
    update(done, total) {
      s.done = done;
      s.total = Math.max(s.total, total);
      if (now() - last >= 200) draw();
    },
    phase(e) {
      if (e.phase === 'reading') s.total = Math.max(s.total, e.bytes);
      if (e.phase !== s.phase?.phase) s.phaseSince = now();
      s.phase = e;
      draw();
    },
    end() {
      ended = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
