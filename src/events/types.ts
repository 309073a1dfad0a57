// The typed event model every stage speaks: sources produce lines, parsers produce these events.

export const LAYERS = ['client', 'edge', 'gateway', 'upstream', 'app', 'dependency', 'host'] as const;
export type Layer = (typeof LAYERS)[number];

/** Which kind of log a format reads: request lines, server error lines or application output. */
export type LogKind = 'access' | 'error' | 'app';

/** The software that wrote a record; cause patterns may be limited to some producers. */
export type Producer =
  | 'nginx' | 'apache' | 'haproxy' | 'caddy' | 'varnish' | 'traefik' | 'envoy' | 'alb'
  | 'php-fpm' | 'php' | 'node' | 'python' | 'gunicorn' | 'uwsgi' | 'kernel' | 'systemd' | 'app';

/** One request line from an access log. Times are epoch milliseconds, UTC. */
export interface AccessEvent {
  readonly kind: 'access';
  readonly source: number;
  readonly line: number;
  /** Epoch ms; NaN when the line carries no readable time. */
  readonly time: number;
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly client: string;
  readonly host: string;
  readonly bytes: number;
  /** Seconds, or NaN when the log has no such field. */
  readonly requestTime: number;
  readonly upstreamAddr: string;
  readonly upstreamStatus: string;
  readonly upstreamConnectTime: string;
  readonly upstreamHeaderTime: string;
  readonly upstreamResponseTime: string;
  /** HAProxy's termination state (e.g. "SC--"), Envoy's response flags; '' when the log has none. */
  readonly termination: string;
  /** The software that wrote the line, when the format says (haproxy); '' for shared formats (combined). */
  readonly producer: Producer | '';
  /** False when the line's time had no zone (HAProxy): the alignment stage converts it. */
  readonly zoned: boolean;
  readonly text: string;
}

/** One record (possibly several physical lines) from an error or application log. */
export interface LogRecord {
  readonly kind: 'log';
  readonly source: number;
  readonly line: number;
  /** Epoch ms as written; for unzoned sources it is shifted by the alignment stage. NaN when absent. */
  time: number;
  /**
   * The latest time the record can have: `time` for timed records; for records without a time of
   * their own, the time of the next timed record in the file (Infinity when none follows).
   */
  timeMax: number;
  /** True when the record's own text carried the time; false when it was inherited from a neighbour. */
  readonly timed: boolean;
  /** True when the written time had a zone (or was epoch); false for local wall-clock times. */
  readonly zoned: boolean;
  readonly level: string;
  readonly producer: Producer;
  /** The message without the line's prefix (time, level, pid). */
  readonly message: string;
  /** The whole record as written, capped. */
  readonly text: string;
  readonly client: string;
  readonly request: string;
  readonly upstream: string;
  readonly host: string;
  readonly pid: string;
  /** The HTTP status the record says its request got (uWSGI's request line); absent for most records. */
  readonly status?: number;
}

/** A record from a changes log or a git history: a deploy, a config change, a restart. */
/** What a change did, as its log line says (`change`: a git commit or a line naming none of these). */
export type ChangeKind = 'deploy' | 'rollback' | 'config' | 'reload' | 'restart' | 'change';

export interface ChangeEvent {
  readonly kind: ChangeKind;
  readonly time: number;
  readonly ref: string;
  readonly text: string;
  readonly source: string;
  readonly line: number;
  /** The software whose own log marked the change (an nginx reload, a PHP-FPM restart); absent for a changes log. */
  readonly producer?: Producer;
}
