// A small Prometheus registry: counters, gauges and histograms with bounded label sets, in the text format.

type Labels = Readonly<Record<string, string>>;

const escapeValue = (v: string): string => v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const parts = names.map((n, i) => `${n}="${escapeValue(values[i] ?? '')}"`);
  if (extra) parts.push(extra);
  return parts.length ? `{${parts.join(',')}}` : '';
}

abstract class Metric {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Past this many label sets, new ones are folded into one with every label "other". */
  readonly maxSeries: number;
  constructor(name: string, help: string, labelNames: readonly string[], maxSeries = 10_000) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.maxSeries = maxSeries;
  }
  protected key(labels: Labels, size: number, has: (k: string) => boolean): string {
    const k = this.labelNames.map((n) => labels[n] ?? '').join('\u0000');
    if (has(k) || size < this.maxSeries) return k;
    return this.labelNames.map(() => 'other').join('\u0000');
  }
  abstract type(): string;
  abstract lines(): string[];
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type()}`, ...this.lines()].join('\n');
  }
}

export class Counter extends Metric {
  readonly #values = new Map<string, number>();
  type(): string {
    return 'counter';
  }
  inc(labels: Labels = {}, by = 1): void {
    const k = this.key(labels, this.#values.size, (x) => this.#values.has(x));
    this.#values.set(k, (this.#values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.#values.get(this.labelNames.map((n) => labels[n] ?? '').join('\u0000')) ?? 0;
  }
  lines(): string[] {
    return [...this.#values].map(([k, v]) => `${this.name}${labelText(this.labelNames, k.split('\u0000'))} ${v}`);
  }
}

export class Gauge extends Metric {
  readonly #values = new Map<string, number>();
  type(): string {
    return 'gauge';
  }
  set(labels: Labels, value: number): void {
    this.#values.set(this.key(labels, this.#values.size, (x) => this.#values.has(x)), value);
  }
  /** Replaces every series (for gauges computed from state, such as open incidents). */
  reset(): void {
    this.#values.clear();
  }
  lines(): string[] {
    return [...this.#values].map(([k, v]) => `${this.name}${labelText(this.labelNames, k.split('\u0000'))} ${v}`);
  }
}

export class Histogram extends Metric {
  readonly buckets: readonly number[];
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[], maxSeries?: number) {
    super(name, help, labelNames, maxSeries);
    this.buckets = [...buckets].sort((a, b) => a - b);
  }
  type(): string {
    return 'histogram';
  }
  observe(labels: Labels, value: number): void {
    const k = this.key(labels, this.#series.size, (x) => this.#series.has(x));
    let s = this.#series.get(k);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.#series.set(k, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= (this.buckets[i] ?? Infinity)) s.counts[i] = (s.counts[i] ?? 0) + 1;
    s.sum += value;
    s.count++;
  }
  lines(): string[] {
    const out: string[] = [];
    for (const [k, s] of this.#series) {
      const values = k.split('\u0000');
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket${labelText(this.labelNames, values, `le="${b}"`)} ${s.counts[i] ?? 0}`));
      out.push(`${this.name}_bucket${labelText(this.labelNames, values, 'le="+Inf"')} ${s.count}`);
      out.push(`${this.name}_sum${labelText(this.labelNames, values)} ${s.sum}`);
      out.push(`${this.name}_count${labelText(this.labelNames, values)} ${s.count}`);
    }
    return out;
  }
}

export class Registry {
  readonly #metrics: Metric[] = [];
  add<M extends Metric>(m: M): M {
    this.#metrics.push(m);
    return m;
  }
  render(): string {
    return this.#metrics.map((m) => m.render()).join('\n') + '\n';
  }
}
