// Tells nginx error records that name no HTTP request: the stream (TCP/UDP) and mail proxies' lines, and HTTP
// connection-level lines written before any request existed. No visitor got an HTTP status from them.
//
// nginx writes the context of an HTTP record as `, client: A, server: NAME, request: "…", upstream: "scheme://…"`
// (ngx_http_log_error_handler); with no request yet, as `, client: A, server: ADDR:PORT` (ngx_http_log_error,
// the listening address). The stream module writes `, [udp ]client: A, server: ADDR:PORT[, upstream: "ADDR:PORT",
// bytes from/to client:N/N, bytes from/to upstream:N/N]` (ngx_stream_log_error); the mail module
// `, client: A[ using starttls], server: ADDR:PORT[, login: "…"][, upstream: ADDR:PORT]` (ngx_mail_log_error).

export type NoRequestKind = 'stream' | 'mail' | 'connection';

/** A listening address as nginx prints it: IPv4 or [IPv6] with a port, `*:PORT`, or `unix:PATH`. */
const LISTEN = String.raw`(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]{2,45}\]|\*):\d{1,5}|unix:[^,\s]{1,300})`;
const TAIL = new RegExp(
  String.raw`^, (udp )?client: [^,\s]{1,100}( using starttls)?, server: ${LISTEN}` +
    String.raw`(, login: "[^"\n]{0,300}")?(, upstream: (?:"[^"\n]{1,300}"|[^,\s]{1,300}))?` +
    String.raw`(, bytes from/to client:\d{1,20}/\d{1,20}, bytes from/to upstream:\d{1,20}/\d{1,20})?$`,
);

/** The mail proxy's states, as its records' "while in …" says (ngx_mail_*_module.c). */
const MAIL_ACTION = / while in (?:auth|http auth|resolving client address|resolving client hostname|smtp|pop3|imap)\b/;

/**
 * What kind of no-request nginx record `text` (one record, as written) is; undefined when it names an HTTP
 * request or when its context is not whole (a line nginx cut at its 2 KiB limit keeps no such tail).
 */
export function noRequestKind(text: string): NoRequestKind | undefined {
  const nl = text.lastIndexOf('\n');
  const last = nl < 0 ? text : text.slice(nl + 1);
  const udp = last.lastIndexOf(', udp client: ');
  const at = udp >= 0 ? udp : last.lastIndexOf(', client: ');
  if (at < 0) return undefined;
  const m = TAIL.exec(last.slice(at).trimEnd());
  if (!m) return undefined;
  const [, isUdp, starttls, login, upstream, bytes] = m;
  // An HTTP record never has an upstream without a request; to be safe, one with a scheme is not set aside.
  if (upstream?.includes('://')) return undefined;
  if (login || starttls || MAIL_ACTION.test(last.slice(0, at))) return 'mail';
  // The stream module quotes its upstream ("ADDR:PORT") and counts bytes; the mail proxy's upstream is bare.
  if (isUdp || bytes || upstream?.startsWith(', upstream: "')) return 'stream';
  return upstream ? 'mail' : 'connection';
}
