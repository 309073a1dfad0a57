// Renders `fivexx incident` for people: the eight steps, each with what it found, looked at and could not see.
import type { ChangesStepFound, HealthFound, IdentifyFound, LogsFound, RollbackFound, ScopeFound } from '../incident/step-found.ts';
import type { Messages } from '../incident/communicate.ts';
import type { IncidentReport, Step } from '../incident/types.ts';
import { escapeControls as esc } from './safe-text.ts';
import type { Style } from './terminal.ts';

const TITLES: Record<Step['step'], string> = {
  identify: 'Identify the exact error', scope: 'Scope', changes: 'Recent changes', logs: 'Logs', health: 'Health',
  rollback: 'Roll back', communicate: 'Communicate', document: 'Document',
};

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const gib = (b: number): string => `${(b / 2 ** 30).toFixed(1)} GiB`;
const list = (xs: readonly [string, number][]): string => xs.slice(0, 5).map(([k, n]) => `${esc(k)} (${n})`).join(', ');

function identify(f: IdentifyFound, st: Style): string[] {
  const out: string[] = [];
  const v = f.verdict;
  if (v) {
    const statuses = Object.entries(v.statuses).map(([s, n]) => `${s} × ${n}`).join(', ');
    out.push(`logs:  ${st.bold(st.red(v.cause))} (${v.layer}) ${esc(v.title)}`, `       ${statuses}, ${v.start} → ${v.end}`);
    for (const e of v.evidence) out.push(st.dim(`       ${esc(e.source)}:${e.line}  ${esc(e.text).slice(0, 240)}`));
  } else out.push('logs:  no incident of server errors in the logs read');
  if (f.probe) {
    const p = f.probe.verdict;
    out.push(`probe: ${esc(f.probe.url)} → ${p.status ?? 'no answer'} from ${esc(p.responder)}${p.cause ? `: ${st.bold(p.cause)}` : ''}`, `       ${esc(p.summary)}`);
  }
  return out;
}

function scope(f: ScopeFound): string[] {
  const out = [`${f.totals.requests} request(s) read; ${Object.entries(f.totals.byStatus).filter(([s]) => Number(s) >= 500).map(([s, n]) => `${s} × ${n}`).join(', ') || 'no 5xx'}`];
  if (f.share !== null) out.push(`share of traffic in the incident window: ${pct(f.share)}`);
  if (f.paths.length) out.push(`paths: ${list(f.paths)}`);
  if (f.upstreams.length) out.push(`upstreams: ${list(f.upstreams)}`);
  if (f.hosts.length) out.push(`hosts: ${list(f.hosts)}`);
  if (f.incidents.length > 1) out.push(`other incidents: ${f.incidents.slice(1, 5).map((i) => `${i.cause} (${i.requests})`).join(', ')}`);
  return out;
}

function changes(f: ChangesStepFound): string[] {
  const out = [`window: ${f.window.from} → ${f.window.to} (onset)`];
  if (f.trigger) out.push(`trigger named by the analysis: ${f.trigger.kind} ${esc(f.trigger.ref)} at ${f.trigger.at} (${esc(f.trigger.source)})`);
  const d = f.deploy;
  if (d) {
    out.push(`deploy folder: ${esc(d.dir)} (${d.kind})`);
    for (const c of d.commits.slice(0, 3)) {
      const at = c.deployedAt ?? c.at;
      const pulled = c.deployedAt && c.deployedAt !== c.at ? ` (committed ${c.at})` : '';
      out.push(`  ${at}  ${c.sha.slice(0, 12)}  ${esc(c.subject).slice(0, 100)}${pulled}${at >= f.window.from && at <= f.window.to ? '  ← before the onset' : ''}`);
    }
    for (const r of d.releases.slice(0, 2)) out.push(`  release ${esc(r.name)} at ${r.at}`);
    for (const l of d.lockfiles) {
      out.push(`  ${l.file} changed in ${esc(l.ref)} (${l.at}): ${l.packages.slice(0, 8).map((p) => `${esc(p.name)} ${esc(p.from ?? '(new)')} → ${esc(p.to ?? '(removed)')}`).join(', ') || 'no version changed'}${l.packages.length > 8 ? ` and ${l.packages.length - 8} more` : ''}`);
    }
  }
  for (const x of f.files.slice(0, 8)) out.push(`file changed: ${x.at}  ${esc(x.path)}${x.backup ? ` (previous: ${esc(x.backup)})` : ''}`);
  if (f.files.length > 8) out.push(`… and ${f.files.length - 8} more file(s) changed in the window (--json lists them)`);
  for (const e of f.apt) {
    const pkgs = e.packages.slice(0, 5).map((p) => `${esc(p.name)} ${esc(p.from ?? '')}→${esc(p.to ?? '')}`).join(', ');
    out.push(`apt ${e.action.toLowerCase()} at ${e.at}: ${pkgs}${e.packages.length > 5 ? ` and ${e.packages.length - 5} more` : ''}`);
  }
  for (const e of f.deployLog.slice(-5)) out.push(`deploy log: ${e.at} ${e.kind} ${esc(e.ref)} (${esc(e.source)})`);
  if (out.length === 1) out.push('no change found in the window');
  return out;
}

function logs(f: LogsFound): string[] {
  const out = f.analyzed.map((s) => `analyzed: ${esc(s.path)} (${s.format}, ${s.lines} lines)`);
  for (const l of f.onHost) out.push(`on this host: ${esc(l.path)} (${l.kind}, ${l.bytes} bytes, modified ${l.modified})`);
  if (f.journal) {
    out.push(`journald: ${f.journal.lines.length} warning/error line(s) around the onset${f.journal.truncated ? ' (capped)' : ''}`);
    for (const l of f.journal.lines.slice(-5)) out.push(`  ${esc(l).slice(0, 200)}`);
  }
  return out;
}

function health(f: HealthFound, st: Style): string[] {
  const out: string[] = [];
  const r = f.resources;
  if (r.load) out.push(`load: ${r.load.one} ${r.load.five} ${r.load.fifteen}${r.load.cpus ? ` on ${r.load.cpus} CPU(s)` : ''}`);
  if (r.memory) out.push(`memory: ${pct(r.memory.usedShare)} used, ${gib(r.memory.available)} available of ${gib(r.memory.total)}`);
  if (r.swap) out.push(`swap: ${r.swap.total ? `${pct(r.swap.usedShare)} used of ${gib(r.swap.total)}` : 'none'}`);
  if (r.fileHandles) out.push(`file handles: ${r.fileHandles.used} of ${r.fileHandles.max}`);
  for (const d of f.disks) out.push(`disk ${esc(d.path)}: ${pct(d.bytes.usedShare)} used, ${gib(d.bytes.available)} free${d.inodes ? `; inodes ${pct(d.inodes.usedShare)} used` : ''}`);
  for (const u of f.listening?.upstreams ?? []) {
    const mark = u.listening === false ? st.red('NOT LISTENING') : u.listening ? st.green('listening') : 'not judged';
    out.push(`upstream ${esc(u.upstream)}: ${mark} (${esc(u.detail)})`);
  }
  if (f.listening) out.push(`listening TCP ports: ${f.listening.listeners.slice(0, 20).map((l) => `${l.address}:${l.port}`).join(', ') || 'none'}`);
  if (f.processes.length === 0) out.push('no web or app server process is running (nginx, apache2, haproxy, php-fpm, gunicorn, uwsgi, node…)');
  for (const p of f.processes) out.push(`process ${esc(p.name)}: ${p.pids.length} running${p.maxOpenFiles !== null ? `, at most ${p.maxOpenFiles} open files${p.limit ? ` of ${p.limit}` : ''}` : ''}`);
  for (const s of f.services) if (s.state) out.push(`service ${s.unit}: ${s.state === 'active' ? st.green(s.state) : st.red(s.state)}`);
  return out;
}

function rollback(f: RollbackFound): string[] {
  if (!f.plan) return ['nothing to roll back: no change before the onset'];
  const out = [`revert: ${esc(f.plan.change)} at ${f.plan.at}`, `  ${esc(f.plan.note)}`, ...f.plan.commands.map((c) => `  $ ${esc(c)}`), `  then ${esc(f.plan.then)}`];
  for (const o of f.others.slice(0, 3)) out.push(`also before the onset: ${esc(o.change)} at ${o.at}`);
  return out;
}

function body(s: Step, st: Style): string[] {
  switch (s.step) {
    case 'identify': return identify(s.found as IdentifyFound, st);
    case 'scope': return s.found ? scope(s.found as ScopeFound) : [];
    case 'changes': return changes(s.found as ChangesStepFound);
    case 'logs': return logs(s.found as LogsFound);
    case 'health': return health(s.found as HealthFound, st);
    case 'rollback': return rollback(s.found as RollbackFound);
    case 'communicate': {
      const m = s.found as Messages;
      return ['status page:', `  ${esc(m.statusPage)}`, 'customer message:', `  ${esc(m.customer)}`];
    }
    case 'document': return ['post-mortem draft: below (or --markdown for it alone)'];
  }
}

export function renderIncident(r: IncidentReport, st: Style): string {
  const v = r.verdict;
  const out = [st.bold(`fivexx incident: ${v ? `${v.cause} since ${v.start}` : 'no incident in the logs read'}`), ''];
  r.steps.forEach((s, i) => {
    out.push(st.bold(`${i + 1}. ${TITLES[s.step]}`));
    for (const l of body(s, st)) out.push(`   ${l}`);
    if (s.looked.length) out.push(st.dim(`   looked at: ${s.looked.map(esc).join('; ')}`));
    for (const u of s.unavailable) out.push(st.dim(`   could not see: ${esc(u.what)} (${esc(u.reason)})`));
    out.push('');
  });
  out.push(r.postmortem);
  return out.join('\n');
}
