// Renders one error page (HTML, or JSON for API clients) for one server's way of filling in the request ID and time.
import { advice, RETRY_SECONDS, TEXTS, type PageStatus } from './content.ts';
import { FILLS, literal, type Flavor } from './placeholders.ts';

const RID = '@@FIVEXX_REQUEST_ID@@';
const TIME = '@@FIVEXX_TIME@@';

/** Light and dark palettes; test/pages checks each text colour's contrast against its background (WCAG AA). */
export const PALETTES = {
  light: { bg: '#ffffff', fg: '#1f2328', muted: '#4b535d', accent: '#0b57d0', card: '#f3f5f7', border: '#c9d1d9' },
  dark: { bg: '#0d1117', fg: '#e6edf3', muted: '#b1bac4', accent: '#8ab4f8', card: '#161b22', border: '#3d444d' },
} as const;

function vars(p: (typeof PALETTES)['light' | 'dark']): string {
  return `--bg: ${p.bg}; --fg: ${p.fg}; --muted: ${p.muted}; --accent: ${p.accent}; --card: ${p.card}; --border: ${p.border};`;
}

const STYLE = `:root { color-scheme: light dark; ${vars(PALETTES.light)} }
@media (prefers-color-scheme: dark) { :root { ${vars(PALETTES.dark)} } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 40rem; margin: 0 auto; padding: 2rem 1.5rem; }
.status { font-weight: 600; color: var(--muted); margin: 0; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: .3rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .4rem; }
ol { padding-left: 1.4rem; }
li { margin: .3rem 0; }
a { color: var(--accent); }
.box { background: var(--card); border: 1px solid var(--border); border-radius: .5rem; padding: .8rem 1rem; }
.bar { display: block; height: 4px; margin-top: .6rem; background: var(--accent); border-radius: 2px; transform-origin: left; animation: count ${RETRY_SECONDS}s linear forwards; }
@keyframes count { from { transform: scaleX(1); } to { transform: scaleX(0); } }
@media (prefers-reduced-motion: reduce) { .bar { animation: none; } }
dl { margin: 0; }
dt { color: var(--muted); font-size: .9rem; }
dd { margin: 0 0 .5rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }`;

export interface PageOptions {
  /** An http(s) URL of the site's status page, linked from every page. */
  readonly statusUrl?: string;
}

function escapeHtml(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** The words "status page" in a step become the link to it. */
function linked(step: string, statusUrl: string | undefined): string {
  return statusUrl ? step.replace('status page', `<a href="${escapeHtml(statusUrl)}">status page</a>`) : step;
}

function fill(flavor: Flavor, text: string): string {
  const f = FILLS[flavor];
  return literal(flavor, text).replaceAll(RID, f.requestId).replaceAll(TIME, f.time);
}

export function renderHtml(status: PageStatus, flavor: Flavor, opts: PageOptions = {}): string {
  const t = TEXTS[status];
  const steps = advice(status, opts.statusUrl).map((a) => `      <li>${linked(escapeHtml(a), opts.statusUrl)}</li>`).join('\n');
  const retry = t.retry ? `\n    <p class="box" role="status">This page tries again by itself in ${RETRY_SECONDS} seconds.<span class="bar" aria-hidden="true"></span></p>` : '';
  const html = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <meta name="robots" content="noindex">${t.retry ? `\n  <meta http-equiv="refresh" content="${RETRY_SECONDS}">` : ''}
  <title>${status} ${t.reason}: ${escapeHtml(t.title)}</title>
  <style>
${STYLE}
  </style>
</head>
<body>
  <main>
    <p class="status">Error ${status} · ${t.reason}</p>
    <h1>${escapeHtml(t.title)}</h1>
    <p>${escapeHtml(t.lead)}</p>${retry}
    <h2>What you can do</h2>
    <ol>
${steps}
    </ol>
    <h2>If you contact us</h2>
    <dl class="box">
      <dt>Request ID</dt>
      <dd>${RID}</dd>
      <dt>Time</dt>
      <dd>${TIME}</dd>
    </dl>
  </main>
</body>
</html>
`;
  return fill(flavor, html);
}

/** The JSON body for API clients (`Accept: application/json`). */
export function renderJson(status: PageStatus, flavor: Flavor, opts: PageOptions = {}): string {
  const t = TEXTS[status];
  const body = {
    error: {
      status, code: t.code, title: t.title, message: t.lead,
      ...(t.retry ? { retryAfterSeconds: RETRY_SECONDS } : {}),
      requestId: RID, time: TIME,
      ...(opts.statusUrl ? { statusPage: opts.statusUrl } : {}),
    },
  };
  return fill(flavor, JSON.stringify(body, null, 2) + '\n');
}
