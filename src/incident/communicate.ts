// Step 7, communicate: a status-page update and a customer message drafted from the verdict, in plain words.
import { clock, PLAIN_LAYER, span, type Headline } from './headline.ts';

export interface Messages {
  readonly statusPage: string;
  readonly customer: string;
}

function affected(h: Headline): string {
  const paths = h.paths.slice(0, 3).map(([p]) => p);
  return paths.length ? `some pages of our site (${paths.join(', ')})` : 'our site';
}

function share(h: Headline): string {
  if (h.share === null) return '';
  const pct = Math.round(h.share * 100);
  return pct >= 90 ? ' Nearly every request failed in that period.' : ` About ${pct || '<1'}% of requests failed in that period.`;
}

export function draftMessages(h: Headline): Messages {
  if (!h.cause) {
    return {
      statusPage: 'Investigating: we are looking into reports of errors on our site. We will post an update within 30 minutes.',
      customer: 'Hello, thank you for telling us. We are checking our systems and will let you know what we find.',
    };
  }
  const since = h.start ? `Since ${clock(h.start)}, ` : '';
  const why = PLAIN_LAYER[h.layer ?? ''] ?? 'a part of our system failed';
  const where = h.paths.length ? `requests to our site (${h.paths.slice(0, 3).map(([p]) => p).join(', ')})` : 'requests to our site';
  const statusPage = `Identified: ${since}some ${where} fail with an error page.${share(h)} The cause is found: ${why}. ` +
    'We are restoring service now and will post an update within 30 minutes.';
  const window = h.start && h.end ? span(h.start, h.end) : 'for a while today';
  const customer = `Hello, ${window} ${affected(h)} showed an error page instead of loading, because ${why}. ` +
    "We're sorry for the trouble. If you placed an order or made a payment during that time, please check your account before trying again, " +
    'so that it is not made twice. If something still looks wrong, reply to this message and we will sort it out.';
  return { statusPage, customer };
}
