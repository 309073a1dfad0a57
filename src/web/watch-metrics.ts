// The metrics watch exposes on /metrics (docs/contract.md): errors by cause and layer, open incidents, probe phases.
import { Counter, Gauge, Histogram, Registry } from './prometheus.ts';

export const PHASES = ['dns', 'connect', 'tls', 'ttfb', 'total'] as const;

export function watchMetrics(): {
  registry: Registry; errors: Counter; incidentsOpen: Gauge; probeDuration: Histogram; targetState: Gauge; checks: Counter; alerts: Counter; logLines: Counter;
} {
  const registry = new Registry();
  return {
    registry,
    errors: registry.add(new Counter('fivexx_errors_total', 'Every classified 5xx, from probes and followed logs.', ['target', 'status', 'cause', 'layer'])),
    incidentsOpen: registry.add(new Gauge('fivexx_incidents_open', 'Incidents open now.', ['cause', 'layer'])),
    probeDuration: registry.add(new Histogram('fivexx_probe_duration_seconds', 'Probe time by phase.', ['target', 'phase'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])),
    targetState: registry.add(new Gauge('fivexx_target_state', 'Target state: 1 for the state it is in.', ['target', 'state'])),
    checks: registry.add(new Counter('fivexx_checks_total', 'Checks run, by result.', ['target', 'result'])),
    alerts: registry.add(new Counter('fivexx_alerts_total', 'Alerts sent, by channel and result.', ['channel', 'result'])),
    logLines: registry.add(new Counter('fivexx_log_lines_total', 'Lines read from followed logs and syslog.', ['source'])),
  };
}

export type WatchMetrics = ReturnType<typeof watchMetrics>;
