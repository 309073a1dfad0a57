// What each error page says to a visitor, in plain language: what happened, whether it is their fault, what to do.

export const STATUSES = [500, 502, 503, 504] as const;
export type PageStatus = (typeof STATUSES)[number];

export interface PageText {
  readonly reason: string;
  readonly title: string;
  readonly lead: string;
  /** Whether the page retries by itself (the server or the app may be back in a moment). */
  readonly retry: boolean;
  readonly code: string;
}

export const TEXTS: Record<PageStatus, PageText> = {
  500: {
    reason: 'Internal Server Error', code: 'internal_error', retry: false,
    title: 'Something went wrong on our side',
    lead: 'The site ran into an error while handling your request. It is not caused by your device or your connection, and our team can find it with the request ID below.',
  },
  502: {
    reason: 'Bad Gateway', code: 'bad_gateway', retry: true,
    title: 'The site is briefly unavailable',
    lead: 'Our front server could not get an answer from the application behind it. This usually passes within a minute, for example while a new version starts.',
  },
  503: {
    reason: 'Service Unavailable', code: 'service_unavailable', retry: true,
    title: 'The site is busy or under maintenance',
    lead: 'The site cannot take your request right now, because of heavy traffic or planned work. Nothing is wrong with your device or your connection.',
  },
  504: {
    reason: 'Gateway Timeout', code: 'gateway_timeout', retry: true,
    title: 'The site took too long to answer',
    lead: 'Your request reached us, but the application did not finish in time. It may have completed anyway, so please check before you repeat anything that changes data.',
  },
};

/** Seconds before a page retries by itself. */
export const RETRY_SECONDS = 45;

/** What the visitor can do, in order. */
export function advice(status: PageStatus, statusUrl: string | undefined): string[] {
  const list = [
    TEXTS[status].retry ? `Wait 30 to 60 seconds and try again: this page reloads by itself in ${RETRY_SECONDS} seconds.` : 'Wait a minute and try again; if it keeps failing, the problem is on our side and reloading will not fix it.',
    'If you were paying or submitting a form, do not send it again yet: check your e-mail or your account first, so you are not charged twice.',
    'If only this site fails for you, try a private window (it skips your saved cookies and cache) or another network, such as mobile data.',
  ];
  if (statusUrl) list.push('See our status page for news about this problem.');
  list.push('If you contact us, include the request ID and the time shown below: they let us find exactly what happened.');
  return list;
}
