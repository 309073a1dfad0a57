// Next steps that fit how the verdict was reached: a live probe can probe again (the backend directly,
// a burst, the failing hop's request id); a saved page can be read against logs or probed live. The cause
// catalog's steps speak of log analysis, which is right only when nothing better can be done from here.
import type { Check, Verdict } from './types.ts';

export interface LiveContext {
  readonly url: string;
  readonly upstreamGiven: boolean;
  readonly burstGiven: boolean;
  /** The check that failed (its address and request id let the operator find it in the hop's logs). */
  readonly failing: Check | undefined;
}

const hop = (v: Verdict): string => (v.responder === 'unknown' || v.responder === 'app' ? 'the server that answered' : v.responder);

/** Steps for a live verdict whose cause is unexplained: what this command can still find out. */
export function liveSteps(v: Verdict, ctx: LiveContext): string[] {
  const steps: string[] = [];
  const f = ctx.failing;
  if (f?.name === 'dns' || f?.name === 'tcp' || f?.name === 'tls') steps.push(`The ${f.name} hop failed (${f.detail ?? f.code ?? ''}): check that hop first, it is before any web server.`);
  else if (f) steps.push(`The failing hop is ${hop(v)}${f.address ? ` at ${f.address}` : ''}${v.status ? ` (HTTP ${v.status})` : ''}${f.requestId ? `; find X-Request-ID ${f.requestId} in its access and error logs` : ''}.`);
  if (!ctx.upstreamGiven) steps.push(`Run again with --upstream URL (the backend directly, e.g. fivexx diagnose --upstream http://127.0.0.1:3000/ ${ctx.url}): if the backend fails too, the app is at fault; if it answers, the hop in front is.`);
  if (!ctx.burstGiven) steps.push(`Run again with --burst 50: a rate of failures below 100% means an intermittent fault (a bad instance behind a balancer, a pool running out).`);
  steps.push(`Then read that hop's logs for the same minute: fivexx analyze /var/log/<server>/error.log (and the app's log).`);
  return steps;
}

/** Steps for a verdict read from a saved page: the page names who drew it; logs and a live probe say why. */
export function pageSteps(v: Verdict): string[] {
  const steps = [...v.nextSteps];
  steps.unshift(`Probe the site now to see whether it still fails and at which hop: fivexx diagnose URL (add --upstream for the backend).`);
  if (v.responder !== 'unknown') steps.push(`Find the request in ${hop(v)}'s logs by the time the page was saved (and any request id on the page).`);
  return steps;
}
