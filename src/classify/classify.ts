// Classifies one log record against the cause catalog: the most specific matching pattern wins (pure).
import type { Cause, CauseCatalog, CausePattern } from '../catalog/causes.ts';
import type { LogRecord, Producer } from '../events/types.ts';
import { LiteralIndex, longLiterals } from './literals.ts';

export interface Finding {
  readonly record: LogRecord;
  readonly cause: Cause;
  readonly pattern: CausePattern;
}

export interface Classifier {
  /** `found`: the literals of `literals` that the message holds, when the caller has already looked. */
  classify(record: Pick<LogRecord, 'producer' | 'message'>, found?: ReadonlySet<string>): { cause: Cause; pattern: CausePattern } | undefined;
  /** Every pattern's required literals. */
  readonly literals: readonly string[];
  /** The literals one of which any pattern for `producer` needs; undefined when some pattern needs none. */
  literalsFor(producer: Producer): readonly string[] | undefined;
}

interface Entry {
  readonly cause: Cause;
  readonly pattern: CausePattern;
  /** A match holds one of these; undefined: the pattern is tried on every record. */
  readonly literals: readonly string[] | undefined;
}

interface ProducerPlan {
  readonly entries: readonly Entry[];
  readonly index: LiteralIndex;
  readonly everyRecord: boolean;
}

/**
 * Builds a classifier that checks each producer's patterns, most specific first. A pre-filter skips
 * the patterns whose required literals the message lacks; the first match is the same as without it.
 */
export function buildClassifier(catalog: CauseCatalog): Classifier {
  const all: Entry[] = [];
  for (const cause of catalog.causes) for (const pattern of cause.patterns) all.push({ cause, pattern, literals: longLiterals(pattern.regex) });
  all.sort((a, b) => b.pattern.specificity - a.pattern.specificity);
  const byProducer = new Map<Producer, ProducerPlan>();
  const forProducer = (p: Producer): ProducerPlan => {
    let plan = byProducer.get(p);
    if (!plan) {
      const entries = all.filter((x) => x.pattern.producers.length === 0 || x.pattern.producers.includes(p));
      plan = { entries, index: new LiteralIndex(entries.flatMap((e) => e.literals ?? [])), everyRecord: entries.some((e) => !e.literals) };
      byProducer.set(p, plan);
    }
    return plan;
  };
  return {
    literals: [...new Set(all.flatMap((e) => e.literals ?? []))],
    literalsFor(producer) {
      const plan = forProducer(producer);
      return plan.everyRecord ? undefined : [...new Set(plan.entries.flatMap((e) => e.literals ?? []))];
    },
    classify(record, seen) {
      const plan = forProducer(record.producer);
      const found = seen ?? plan.index.found(record.message);
      if (found.size === 0 && !plan.everyRecord) return undefined;
      for (const x of plan.entries) {
        if (x.literals && !x.literals.some((l) => found.has(l))) continue;
        if (x.pattern.regex.test(record.message)) return { cause: x.cause, pattern: x.pattern };
      }
      return undefined;
    },
  };
}
