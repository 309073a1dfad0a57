// Step 6, rollback: which change before the onset to revert, and the commands that revert it.
import type { IncidentTrigger } from '../events/analysis.ts';
import type { AptEntry } from './apt-history.ts';
import type { ChangedFile } from './changed-files.ts';
import type { DeployFacts } from './deploy-git.ts';
import { serviceCommands, serviceOfPath } from './service-commands.ts';
import type { Service } from './services.ts';

export interface RollbackPlan {
  readonly change: string;
  readonly at: string;
  /** Shell commands, in order (lines starting with # are alternatives or remarks). */
  readonly commands: readonly string[];
  /** What to do after them, in words. */
  readonly then: string;
  readonly note: string;
}

export interface RollbackInput {
  readonly onset: number;
  readonly from: number;
  readonly deploy: DeployFacts | null;
  readonly files: readonly ChangedFile[];
  readonly apt: readonly AptEntry[];
  readonly services: readonly Service[];
  readonly systemd: boolean;
  /** Where /etc is (for etckeeper's git), and whether it is a git work tree. */
  readonly etcGit: string | null;
  /** The change the analysis named as the trigger (a deploy log line, a reload in a server log). */
  readonly trigger: IncidentTrigger | null;
}

const inWindow = (at: string, i: RollbackInput): boolean => Date.parse(at) >= i.from && Date.parse(at) <= i.onset;

function deployPlans(i: RollbackInput): RollbackPlan[] {
  const d = i.deploy;
  if (!d) return [];
  if (d.kind === 'releases') {
    const [now, prev] = d.releases;
    if (!now || !prev || !inWindow(now.at, i)) return [];
    return [{ change: `release ${now.name} in ${d.dir}`, at: now.at, commands: [`ln -sfn ${d.dir}/releases/${prev.name} ${d.dir}/current`], then: 'restart the app (its service or process manager) and check the error rate', note: `switches ${d.dir}/current back to release ${prev.name}` }];
  }
  // A commit made long ago may have been pulled just now: the reflog's time is when it reached this host.
  return d.commits.filter((c) => inWindow(c.deployedAt ?? c.at, i) && c.parent).slice(0, 3).map((c) => {
    const lock = d.lockfiles.find((l) => c.sha.startsWith(l.ref));
    const pkgs = lock ? `; it changed ${lock.file}: ${lock.packages.slice(0, 8).map((p) => `${p.name} ${p.from ?? '(new)'} → ${p.to ?? '(removed)'}`).join(', ')}` : '';
    return {
      change: `commit ${c.sha.slice(0, 12)} "${c.subject}" in ${d.dir}`,
      at: c.deployedAt ?? c.at,
      commands: [`git -C ${d.dir} revert --no-edit ${c.sha.slice(0, 12)}`, `# or, to go back now and fix later: git -C ${d.dir} checkout ${(c.parent ?? '').slice(0, 12)}`, ],
      then: `${lock ? `reinstall the previous packages (${lock.file}: npm ci, composer install, pip install -r, bundle install or poetry install), ` : ''}restart or redeploy the app and check the error rate`,
      note: `reverts the deploy${pkgs}`,
    };
  });
}

function filePlans(i: RollbackInput): RollbackPlan[] {
  // Files of the deploy folder changed with the deploy: reverting the deploy reverts them.
  const ofDeploy = (p: string): boolean => i.deploy !== null && p.startsWith(`${i.deploy.dir}/`);
  return i.files.filter((f) => inWindow(f.at, i) && !ofDeploy(f.path)).slice(0, 5).map((f) => {
    const s = serviceOfPath(f.path, i.services);
    const reload = s ? [serviceCommands(s, i.systemd).reload] : [];
    if (f.backup) return { change: `${f.path} changed`, at: f.at, commands: [`cp -p ${f.path} ${f.path}.incident`, `cp -p ${f.backup} ${f.path}`, ...reload], then: 'check the error rate', note: `restores the previous version kept in ${f.backup}` };
    if (i.etcGit && f.path.startsWith(`${i.etcGit}/`)) {
      const rel = f.path.slice(i.etcGit.length + 1);
      return { change: `${f.path} changed`, at: f.at, commands: [`git -C ${i.etcGit} log -n 3 -- ${rel}`, `git -C ${i.etcGit} checkout HEAD~1 -- ${rel}`, ...reload], then: 'check the error rate', note: 'restores the version etckeeper committed before' };
    }
    return { change: `${f.path} changed`, at: f.at, commands: reload, then: 'check the error rate', note: 'no previous version beside it (.bak, ~, .orig, .dpkg-old): restore it from backups or config management first' };
  });
}

function aptPlans(i: RollbackInput): RollbackPlan[] {
  return i.apt.filter((e) => (e.action === 'Upgrade' || e.action === 'Install') && inWindow(e.at, i)).map((e) => {
    const back = e.packages.filter((p) => p.from).map((p) => `${p.name}=${p.from ?? ''}`);
    const cmd = back.length ? `apt-get install --allow-downgrades ${back.join(' ')}` : `apt-get remove ${e.packages.map((p) => p.name).join(' ')}`;
    return { change: `apt ${e.action.toLowerCase()} of ${e.packages.map((p) => p.name).slice(0, 6).join(', ')}`, at: e.at, commands: [cmd], then: 'restart the services that use these packages and check the error rate', note: `undoes "${e.commandline}"` };
  });
}

/** The analysis's trigger, when no commit of the deploy folder is that change. */
function triggerPlan(i: RollbackInput, known: readonly RollbackPlan[]): RollbackPlan[] {
  const t = i.trigger;
  if (!t || (t.ref && known.some((p) => p.change.includes(t.ref.slice(0, 7))))) return [];
  const what = `${t.kind}${t.ref ? ` ${t.ref}` : ''} (${t.source})`;
  if (t.kind === 'deploy') return [{ change: what, at: t.at, commands: [], then: `redeploy the release before ${t.ref || 'it'} with your deploy tool (or give --app DIR for the exact git commands)`, note: 'the deploy the analysis names as the trigger' }];
  if (t.kind === 'config') return [{ change: what, at: t.at, commands: [], then: 'restore the previous configuration, test it (nginx -t, apache2ctl configtest, haproxy -c) and reload', note: 'the configuration change the analysis names as the trigger' }];
  return [{ change: what, at: t.at, commands: [], then: 'undo that change', note: 'the change the analysis names as the trigger' }];
}

/** Every change in the window before onset that could be reverted, latest first; the first is the plan. */
export function planRollback(i: RollbackInput): RollbackPlan[] {
  const found = [...deployPlans(i), ...filePlans(i), ...aptPlans(i)];
  return [...found, ...triggerPlan(i, found)].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
