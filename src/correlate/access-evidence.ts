// What an access line proves on its own ($upstream_status, timings), when no error record explains it.
import { loadTerminationRules, terminationRule } from '../catalog/termination-states.ts';
import type { AccessEvent, Layer } from '../events/types.ts';

export interface AccessVerdict {
  readonly causeId: string;
  readonly confidence: number;
}

function last(list: string): string {
  const parts = list.split(/, | : /);
  return (parts[parts.length - 1] ?? '').trim();
}

/** The layer a bare status points at when nothing else is known. */
export function layerForStatus(status: number): Layer {
  if (status === 500) return 'app';
  if (status === 502 || status === 504) return 'upstream';
  return 'gateway';
}

/**
 * Reads nginx's upstream variables: nginx writes its own 502/504 into $upstream_status for attempts
 * that got no response, and leaves $upstream_header_time at "-" when no header arrived.
 */
let rules: ReturnType<typeof loadTerminationRules> | undefined;

export function accessVerdict(e: AccessEvent): AccessVerdict {
  // Loaded once: the default argument of loadTerminationRules builds a path on every call.
  const rule = terminationRule((rules ??= loadTerminationRules()), e);
  if (rule) return { causeId: rule.cause, confidence: rule.cause.endsWith('.unexplained') ? 0.5 : 0.85 };
  const us = last(e.upstreamStatus);
  const uht = last(e.upstreamHeaderTime);
  const uct = last(e.upstreamConnectTime);
  const hasUpstreamFields = e.upstreamStatus !== '' || e.upstreamAddr !== '';
  if (!hasUpstreamFields) return { causeId: `${layerForStatus(e.status)}.unexplained`, confidence: 0.3 };
  if (us === '-' || us === '') {
    return { causeId: 'gateway.unexplained', confidence: 0.4 };
  }
  if (uht !== '' && uht !== '-') {
    return { causeId: 'app.unexplained', confidence: 0.6 };
  }
  if (e.status === 504 && us === '504') return { causeId: 'upstream.timeout', confidence: 0.7 };
  if (e.status === 502 && us === '502' && uct === '-') {
    const fast = Number.isNaN(e.requestTime) || e.requestTime < 0.5;
    if (fast && e.upstreamAddr && !e.upstreamAddr.startsWith('unix:')) return { causeId: 'upstream.refused', confidence: 0.5 };
    return { causeId: 'upstream.unexplained', confidence: 0.45 };
  }
  return { causeId: 'upstream.unexplained', confidence: 0.45 };
}
