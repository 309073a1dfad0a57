// Classifies one log record against the cause catalog: the most specific matching pattern wins (pure).
import type { Cause, CauseCatalog, CausePattern } from '../catalog/causes.ts';
import type { LogRecord, Producer } from '../events/types.ts';

export interface Finding {
  readonly record: LogRecord;
  readonly cause: Cause;
  readonly pattern: CausePattern;
}

export interface Classifier {
  classify(record: Pick<LogRecord, 'producer' | 'message'>): { cause: Cause; pattern: CausePattern } | undefined;
}

/** Builds a classifier that checks each producer's patterns, most specific first. */
export function buildClassifier(catalog: CauseCatalog): Classifier {
  const all: { cause: Cause; pattern: CausePattern }[] = [];
  for (const cause of catalog.causes) for (const pattern of cause.patterns) all.push({ cause, pattern });
  all.sort((a, b) => b.pattern.specificity - a.pattern.specificity);
  const byProducer = new Map<Producer, typeof all>();
  const forProducer = (p: Producer): typeof all => {
    let list = byProducer.get(p);
    if (!list) {
      list = all.filter((x) => x.pattern.producers.length === 0 || x.pattern.producers.includes(p));
      byProducer.set(p, list);
    }
    return list;
  };
  return {
    classify(record) {
      for (const x of forProducer(record.producer)) if (x.pattern.regex.test(record.message)) return x;
      return undefined;
    },
  };
}
