// Names the log formats fivexx recognises but does not read (FIVEXX_FORMAT_UNSUPPORTED), with what their lines
// look like: a file of them is said to be "a Monitorix log, not read", not "no known log format".
import { escapeControls } from '../report/safe-text.ts';

interface Unsupported {
  readonly name: string;
  /** What its lines look like, in words. */
  readonly shape: string;
  readonly line: RegExp;
  /** A line the sample must hold (W3C's "#Fields:" header). */
  readonly requires?: RegExp;
}

const FORMATS: readonly Unsupported[] = [
  {
    // One with sc-status is read (src/parse/w3c.ts): without it there is no status to read.
    name: 'W3C extended log without sc-status',
    shape: '"#Fields: date time …" (no sc-status), then space- or tab-separated fields in that order',
    line: /^(?:#Fields: |\d{4}-\d{2}-\d{2}[ \t]\d{2}:\d{2}:\d{2}[ \t])/,
    requires: /^#Fields: (?!.*\bsc-status\b)/,
  },
  {
    name: "Monitorix's web server log",
    shape: '"<ctime> - <OK|NOTEXIST|NOTALLOWED|AUTHERR…> - [<client>] <text>"',
    line: /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4} - [A-Z]{2,20} - \[[^\]\s]{1,100}\] /,
  },
  {
    name: 'logfmt (Go logrus: Traefik runtime log and others)',
    shape: 'time="<ISO time>" level=<level> msg="<text>" key=value…',
    line: /^time="[^"]{10,40}" level=[a-z]{3,8} /,
  },
  {
    name: 'klog (Kubernetes components: ingress-nginx controller and others)',
    shape: '"<I|W|E|F><MMDD> <hh:mm:ss.micro> <pid> <file>:<line>] <text>", Go stack traces after a fatal line',
    line: /^[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d{6} {1,12}\d{1,10} [\w.-]{1,100}:\d{1,6}\] /,
  },
  {
    name: "Zoraxy's router log",
    shape: '"<Go log time> [<time>] [router:<kind>] [origin:<host>] [client: <addr>] … <METHOD> <path> <status>"',
    line: /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} \[\d{4}-\d{2}-\d{2} [\d:.]{8,20}\] \[[a-z]{1,20}:[^\]]{0,100}\] /,
  },
  {
    name: 'AWS Network Load Balancer TLS log or ALB connection log',
    shape: '"tls 2.0 <time> net/<lb>/…" (NLB) or "<ISO time> <client> <port> <listener port> <TLS version> …" (ALB connection log)',
    line: /^(?:tls 2\.0 \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2} net\/|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z \S{1,45} \d{1,5} \d{1,5} (?:TLSv[\d.]{1,4}|-) )/,
  },
];

/** A format needs this share of the sample's record starts (comment lines aside) to be named. */
const MIN_SHARE = 0.3;

/**
 * The coded message for lines of a format fivexx does not read, or undefined when none fits. `lines`: the
 * first lines of the file, as detection saw them.
 */
export function unsupportedFormat(lines: readonly string[]): string | undefined {
  // Indented lines continue a record (a Go stack trace after klog's fatal line): only record starts count.
  const nonBlank = lines.filter((l) => l.trim() !== '' && !/^\s/.test(l));
  let best: { f: Unsupported; n: number; first: string } | undefined;
  for (const f of FORMATS) {
    const own = f.line.source.startsWith('^#');
    const counted = own ? nonBlank : nonBlank.filter((l) => !l.startsWith('#'));
    const hits = counted.filter((l) => f.line.test(l));
    const first = hits[0];
    if (first === undefined || hits.length < MIN_SHARE * counted.length || (f.requires && !nonBlank.some((l) => f.requires?.test(l)))) continue;
    if (!best || hits.length > best.n) best = { f, n: hits.length, first };
  }
  if (!best) return undefined;
  const sample = best.first.length > 160 ? `${best.first.slice(0, 160)}…` : best.first;
  return `${best.f.name}: not a format fivexx reads (its lines look like ${best.f.shape}; the first: ${JSON.stringify(escapeControls(sample))})`;
}
