// The schemas of the catalog's data files (causes, formats, termination states, change markers), in zod:
// unknown keys, bad producers, layers, parsers and malformed IDs are rejected with the file and line.
// zod is loaded only when a file has to be checked: the build checks every shipped file once and marks
// it in dist/yaml-cache.json (checked-keys.ts), so a run from dist/ reads known-good data without it.
import { createRequire } from 'node:module';
import type * as Z from 'zod';
import { LAYERS, type Producer } from '../events/types.ts';
import { FivexxError } from '../errors/codes.ts';
import { yamlLine } from './yaml-lines.ts';

/** Every producer a record can have (the `Producer` type of src/events/types.ts, as a list). */
export const PRODUCERS = [
  'nginx', 'apache', 'haproxy', 'caddy', 'varnish', 'traefik', 'envoy', 'alb',
  'php-fpm', 'php', 'node', 'python', 'gunicorn', 'uwsgi', 'kernel', 'systemd', 'app',
] as const satisfies readonly Producer[];
// Fails to compile when Producer gains a member this list lacks.
const PRODUCERS_COMPLETE: Exclude<Producer, (typeof PRODUCERS)[number]> extends never ? true : never = true;
void PRODUCERS_COMPLETE;

/** Parsers a format file may name (`parser:`), as src/catalog/formats.ts builds them. */
export const PARSERS = [
  'nginx-log-format', 'nginx-error', 'apache-error', 'php-fpm', 'json-lines', 'app-text', 'uwsgi', 'varnishlog', 'syslog',
  'haproxy-http', 'caddy', 'envoy', 'alb', 'traefik', 'nginx-proxy-manager', 'json-access', 'squid', 'w3c',
] as const;

/** The shape of a cause ID: `<layer>.<name>`, the layer one of LAYERS. */
export const CAUSE_ID = new RegExp(`^(?:${LAYERS.join('|')})\\.[a-z][a-z_]{0,40}$`);

type ZodModule = typeof Z;

function regexSource(z: ZodModule) {
  return z.string().min(1).check((ctx) => {
    try {
      new RegExp(ctx.value);
    } catch (err) {
      ctx.issues.push({ code: 'custom', input: ctx.value, message: `not a regular expression: ${(err as Error).message}` });
    }
  });
}

function build(z: ZodModule) {
  const causeId = z.string().regex(CAUSE_ID, 'not a cause id (<layer>.<name>, layer one of ' + LAYERS.join(', ') + ')');
  const producers = z.array(z.enum(PRODUCERS));
  const sample = z.strictObject({ format: z.string().min(1), text: z.string().min(1) });
  const status = z.number().int().min(100).max(599);
  const cause = z.strictObject({
    id: causeId, layer: z.enum(LAYERS), title: z.string().min(1), statuses: z.array(status), meaning: z.string().min(1),
    firstCheck: z.string().min(1), nextSteps: z.array(z.string().min(1)).min(1), references: z.array(z.string()),
    explains: z.array(causeId).optional(), precursors: z.array(causeId).optional(),
    patterns: z.array(z.strictObject({
      producers: producers.optional(), regex: regexSource(z), ignoreCase: z.boolean().optional(),
      specificity: z.number().optional(), midBody: z.boolean().optional(), unverified: z.string().min(1).optional(),
    })),
    samples: z.strictObject({ match: z.array(sample), noMatch: z.array(sample) }),
  });
  const format = z.strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/), order: z.number().optional(), description: z.string().min(1),
    parser: z.enum(PARSERS), producer: z.enum(PRODUCERS).optional(), logFormat: z.string().min(1).optional(),
    kvTail: z.boolean().optional(), optionalAfter: z.string().min(1).optional(), noStatus: z.boolean().optional(),
    scan: z.literal('combined').optional(), alsoReads: z.array(z.string().min(1)).optional(),
    /** A record parser for the lines of the same stream that are not requests (`docker logs nginx`: access and error lines). */
    fallback: z.enum(['nginx-error', 'apache-error', 'json-lines']).optional(),
    samples: z.array(z.strictObject({ text: z.string().min(1), fields: z.record(z.string(), z.unknown()).optional() })),
    /** Negative samples: lines this format must not read; `detectedAs` is what detection must pick for them instead. */
    rejects: z.array(z.strictObject({ text: z.string().min(1), detectedAs: z.string().min(1).optional() })).optional(),
  });
  const terminationStates = z.partialRecord(z.enum(PRODUCERS), z.array(z.strictObject({
    state: z.string().min(1).max(8), server: z.string().min(1).optional(), status: status.optional(), cause: causeId,
    midBody: z.boolean().optional(),
  })));
  const changeMarkers = z.strictObject({
    markers: z.array(z.strictObject({
      kind: z.enum(['deploy', 'config', 'restart', 'change']), producers, regex: regexSource(z), samples: z.array(sample),
    })),
  });
  const lifecycle = z.strictObject({
    banners: z.array(z.strictObject({
      producers, regex: regexSource(z), samples: z.strictObject({ match: z.array(sample).min(1), noMatch: z.array(sample) }),
    })),
  });
  return { cause, format, terminationStates, changeMarkers, lifecycle };
}

type Schemas = ReturnType<typeof build>;
export type SchemaName = keyof Schemas;
export type CauseFile = Z.infer<Schemas['cause']>;
export type FormatFile = Z.infer<Schemas['format']>;
export type TerminationStatesFile = Z.infer<Schemas['terminationStates']>;
export type ChangeMarkersFile = Z.infer<Schemas['changeMarkers']>;
export type LifecycleFile = Z.infer<Schemas['lifecycle']>;
export interface SchemaTypes { cause: CauseFile; format: FormatFile; terminationStates: TerminationStatesFile; changeMarkers: ChangeMarkersFile; lifecycle: LifecycleFile }

let schemas: { z: ZodModule; s: Schemas } | undefined;

/** The zod module and the schemas, built on first use. */
export function catalogSchemas(): { z: ZodModule; s: Schemas } {
  if (!schemas) {
    const z = createRequire(import.meta.url)('zod') as ZodModule;
    schemas = { z, s: build(z) };
  }
  return schemas;
}

interface Issue { readonly path: readonly PropertyKey[]; readonly message: string; readonly keys?: readonly string[] }

function describe(file: string, text: string | undefined, issue: Issue): string {
  const path = issue.path.map(String);
  const at = issue.keys?.[0] !== undefined ? [...path, issue.keys[0]] : path;
  const line = text === undefined ? undefined : yamlLine(text, at);
  const where = path.length ? path.join('.') : '(top)';
  return `${file}${line ? `:${line}` : ''}: ${where}: ${issue.message}`;
}

/**
 * Checks one file's data against a schema; throws FIVEXX_CATALOG_INVALID naming the file, the line
 * (when the YAML text is given) and the field of the first problems.
 */
export function validate<K extends SchemaName>(name: K, file: string, data: unknown, text?: string): SchemaTypes[K] {
  const r = catalogSchemas().s[name].safeParse(data);
  if (r.success) return r.data as SchemaTypes[K];
  const lines = r.error.issues.slice(0, 3).map((i) => describe(file, text, i));
  const more = r.error.issues.length > 3 ? ` (and ${r.error.issues.length - 3} more)` : '';
  throw new FivexxError('FIVEXX_CATALOG_INVALID', lines.join('; ') + more);
}
