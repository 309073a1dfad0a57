// How each server fills in the request ID and the time: the same page template, one spelling per server.

export type Flavor = 'ssi' | 'haproxy' | 'caddy';

export interface Fill {
  readonly requestId: string;
  readonly time: string;
}

/**
 * `ssi`: nginx (ssi on; `$unique_id` set from `$request_id`) and Apache (mod_include, mod_unique_id's UNIQUE_ID)
 * read the same SSI comments, nginx looking variable names up in lower case; DATE_GMT is both servers' time.
 * `haproxy`: an `lf-file` read as a log-format string (`%[unique-id]`, `%T` the GMT date).
 * `caddy`: the `templates` handler (`placeholder` reads a Caddy placeholder).
 */
export const FILLS: Record<Flavor, Fill> = {
  ssi: {
    requestId: '<!--#echo var="UNIQUE_ID" -->',
    time: '<!--#config timefmt="%Y-%m-%d %H:%M:%S UTC" --><!--#echo var="DATE_GMT" -->',
  },
  haproxy: { requestId: '%[unique-id]', time: '%T' },
  caddy: { requestId: '{{placeholder "http.request.uuid"}}', time: '{{now.UTC.Format "2006-01-02 15:04:05 UTC"}}' },
};

/** Text safe in the flavour's file: HAProxy reads `%` as a log-format directive, so a literal one is doubled. */
export function literal(flavor: Flavor, text: string): string {
  return flavor === 'haproxy' ? text.replaceAll('%', '%%') : flavor === 'caddy' ? text.replaceAll('{{', '{{"{{"}}') : text;
}
