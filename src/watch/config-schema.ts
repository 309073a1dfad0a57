// The schema of `fivexx watch --config FILE`: every key, its default and what it means (docs/watch.md).
import { z } from 'zod';
import { parseDuration } from '../cli/durations.ts';

/** A duration written as in the CLI ("30s", "5m", "2h", "1d", plain seconds), in milliseconds. */
const duration = (min: number, max: number) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = typeof v === 'number' ? v * 1000 : parseDuration(v);
    if (ms === undefined || !Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `not a duration: ${String(v)} (write 30s, 5m, 2h)` });
      return z.NEVER;
    }
    if (ms < min || ms > max) {
      ctx.addIssue({ code: 'custom', message: `${String(v)} is out of range (${min / 1000}s to ${max / 1000}s)` });
      return z.NEVER;
    }
    return ms;
  });

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'an http:// or https:// URL');

/** A format of catalog/formats (checked against the catalog when watch starts). */
const formatName = z.string().regex(/^[a-z0-9-]{1,40}$/, 'a format name of catalog/formats (combined, nginx-error…)');

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'letters, digits, dot, dash or underscore, at most 63');

/** What a check expects of the answer; a failed condition shows the value seen (Gatus style). */
export const expectSchema = z.strictObject({
  /** Statuses that count as up (default: 200–399). */
  status: z.array(z.number().int().min(100).max(599)).min(1).optional(),
  /** Text the body must contain. */
  body: z.string().max(1000).optional(),
  /** Headers that must be present, with a value the header must contain ('' = any value). */
  headers: z.record(z.string().toLowerCase(), z.string()).optional(),
  /** Slower than this (total time) is "degraded", not down. */
  maxLatency: duration(1, 600_000).optional(),
});

export const targetSchema = z.strictObject({
  name,
  url: httpUrl,
  /** Probed directly too: refused, slow or failing names the cause. */
  upstream: httpUrl.optional(),
  interval: duration(100, 86_400_000).default(30_000),
  timeout: duration(100, 120_000).default(10_000),
  /** Retries before the target counts as down and an alert goes out (default: rules.consecutiveFailures − 1). */
  retries: z.number().int().min(0).max(100).optional(),
  expect: expectSchema.default({}),
  /** Groups targets on the public status page. */
  group: z.string().max(100).optional(),
});

export const alertSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('webhook'), url: httpUrl, name: name.optional() }),
  z.strictObject({ type: z.literal('slack'), url: httpUrl, name: name.optional() }),
  z.strictObject({ type: z.literal('alertmanager'), url: httpUrl, name: name.optional() }),
  z.strictObject({
    type: z.literal('email'),
    smtp: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL'),
    from: z.email(),
    to: z.array(z.email()).min(1),
    name: name.optional(),
  }),
]);

export const ruleSchema = z.strictObject({
  /** Failed checks in a row that open an incident, for targets that do not set `retries`. */
  consecutiveFailures: z.number().int().min(1).max(100).default(2),
  /** Share of 5xx (0–1) in followed logs over `window` that opens an incident. */
  errorRate: z.number().min(0).max(1).default(0.05),
  /** Fewer requests than this in the window never open a rate incident. */
  minRequests: z.number().int().min(1).default(20),
  window: duration(10_000, 86_400_000).default(300_000),
  /** p95 total latency above this marks a target degraded. */
  latencyP95: duration(1, 600_000).optional(),
  /** SLO target (e.g. 0.999): burn-rate alerts when the error budget burns 14.4x too fast over 1 h. */
  slo: z.number().min(0.5).max(0.99999).optional(),
  /** Quiet time that closes an incident. */
  resolveAfter: duration(100, 86_400_000).default(120_000),
});

export const maintenanceSchema = z.strictObject({
  targets: z.array(name).default([]),
  start: z.iso.datetime({ offset: true }),
  end: z.iso.datetime({ offset: true }),
  note: z.string().max(500).optional(),
});

export const watchConfigSchema = z.strictObject({
  targets: z.array(targetSchema).default([]),
  /** Files or globs to follow (rotation by rename and by copytruncate is followed); `{ path, format }` names the format. */
  logs: z.array(z.union([z.string().min(1), z.strictObject({ path: z.string().min(1), format: formatName.optional() })])).default([]),
  /** Receive syslog (RFC 3164/5424) from nginx `access_log syslog:server=…`, HAProxy, rsyslog. */
  syslog: z.strictObject({ udp: z.string().optional(), tcp: z.string().optional(), format: formatName.optional() }).optional(),
  /**
   * Follow the systemd journal (`journalctl --follow --output=json`), all of it or these units; of a journal
   * namespace (`journalctl --namespace`) or a directory of journal files (`journalctl --directory`) when given.
   */
  journald: z.strictObject({
    units: z.array(z.string().regex(/^[A-Za-z0-9@._:-]{1,128}$/, 'a unit name')).default([]),
    format: formatName.optional(),
    namespace: z.string().regex(/^(?:\*|\+?[A-Za-z0-9_][A-Za-z0-9_.-]{0,63})$/, 'a journal namespace (letters, digits, _ . -), * for all, +NAME for NAME and the default').optional(),
    directory: z.string().regex(/^\/[^\0\n]{0,4095}$/, 'an absolute path').optional(),
  }).refine((j) => j.namespace === undefined || j.directory === undefined, 'journald: namespace or directory, not both').optional(),
  /** The zone of times logs write without one (nginx's error log): an offset or IANA name; default this machine's. */
  logTimeZone: z.string().max(64).optional(),
  alerts: z.array(alertSchema).default([]),
  rules: ruleSchema.default({ consecutiveFailures: 2, errorRate: 0.05, minRequests: 20, window: 300_000, resolveAfter: 120_000 }),
  maintenance: z.array(maintenanceSchema).default([]),
  /** How long checks and incidents are kept. */
  retention: duration(3_600_000, 3650 * 86_400_000).default(90 * 86_400_000),
  /** How long the hourly and daily rollups of checks (dashboard timelines, status page bars) are kept. */
  rollupRetention: z.strictObject({
    hourly: duration(86_400_000, 3650 * 86_400_000).default(90 * 86_400_000),
    daily: duration(86_400_000, 3650 * 86_400_000).default(400 * 86_400_000),
  }).default({ hourly: 90 * 86_400_000, daily: 400 * 86_400_000 }),
  /** At most this many probes at once. */
  concurrency: z.number().int().min(1).max(10_000).default(64),
  /** Bearer tokens accepted by the API (`Authorization: Bearer …`); none = API closed. */
  apiTokens: z.array(z.string().min(16, 'an API token has at least 16 characters')).default([]),
  /** Require a token for /metrics too. */
  metricsToken: z.boolean().default(false),
  /** Who may log in to the dashboard: a name and an scrypt hash made by `fivexx watch --hash-password`. */
  users: z.array(z.strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,62}$/, 'letters, digits, dot, dash, @ or underscore, at most 63'),
    passwordHash: z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, 'a hash printed by fivexx watch --hash-password'),
  })).default([]),
  /** Mark the login cookie Secure (set it when a TLS proxy serves watch; HTTPS requests get it anyway). */
  secureCookies: z.boolean().default(false),
  /** How long a dashboard login lasts. */
  sessionTtl: duration(60_000, 30 * 86_400_000).default(12 * 3_600_000),
});

export type WatchConfig = z.output<typeof watchConfigSchema>;
export type TargetConfig = z.output<typeof targetSchema>;
export type AlertConfig = z.output<typeof alertSchema>;
export type RuleConfig = z.output<typeof ruleSchema>;
