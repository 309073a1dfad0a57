// Step 6, rollback: which change before the onset to revert, and the commands that revert it.
import type { AptEntry } from './apt-history.ts';
import type { ChangedFile } from './changed-files.ts';
import type { DeployFacts } from './deploy-git.ts';
import { serviceCommands, serviceOfPath } from './service-commands.ts';
import type { Service } from './services.ts';

export interface RollbackPlan {
  readonly change: string;
  readonly at: string;
  readonly commands: readonly string[];
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
}

const inWindow = (at: string, i: RollbackInput): boolean => Date.parse(at) >= i.from && Date.parse(at) <= i.onset;

function deployPlans(i: RollbackInput): RollbackPlan[] {
  const d = i.deploy;
  if (!d) return [];
  if (d.kind === 'releases') {
    const [now, prev] = d.releases;
    if (!now || !prev || !inWindow(now.at, i)) return [];
    return [{ change: `release ${now.name} in ${d.dir}`, at: now.at, commands: [`ln -sfn ${d.dir}/releases/${prev.name} ${d.dir}/current`, 'then restart the app (its service or process manager)'], note: `switches ${d.dir}/current back to release ${prev.name}` }];
  }
  return d.commits.filter((c) => inWindow(c.at, i) && c.parent).slice(0, 3).map((c) => {
    const lock = d.lockfiles.find((l) => c.sha.startsWith(l.ref));
    const pkgs = lock ? `; it changed ${lock.file}: ${lock.packages.slice(0, 8).map((p) => `${p.name} ${p.from ?? '(new)'} → ${p.to ?? '(removed)'}`).join(', ')}` : '';
    return {
      change: `commit ${c.sha.slice(0, 12)} "${c.subject}" in ${d.dir}`,
      at: c.at,
      commands: [`git -C ${d.dir} revert --no-edit ${c.sha.slice(0, 12)}`, `# or, to go back now and fix later: git -C ${d.dir} checkout ${(c.parent ?? '').slice(0, 12)}`, ...(lock ? [`# then reinstall the previous packages (${lock.file}), e.g. npm ci / composer install / pip install -r / bundle install / poetry install`] : []), 'then restart or redeploy the app'],
      note: `reverts the deploy${pkgs}`,
    };
  });
}

function filePlans(i: RollbackInput): RollbackPlan[] {
  return i.files.filter((f) => inWindow(f.at, i)).slice(0, 5).map((f) => {
    const s = serviceOfPath(f.path, i.services);
    const reload = s ? [serviceCommands(s, i.systemd).reload] : [];
    if (f.backup) return { change: `${f.path} changed`, at: f.at, commands: [`cp -p ${f.path} ${f.path}.incident`, `cp -p ${f.backup} ${f.path}`, ...reload], note: `restores the previous version kept in ${f.backup}` };
    if (i.etcGit && f.path.startsWith(`${i.etcGit}/`)) {
      const rel = f.path.slice(i.etcGit.length + 1);
      return { change: `${f.path} changed`, at: f.at, commands: [`git -C ${i.etcGit} log -n 3 -- ${rel}`, `git -C ${i.etcGit} checkout HEAD~1 -- ${rel}`, ...reload], note: 'restores the version etckeeper committed before' };
    }
    return { change: `${f.path} changed`, at: f.at, commands: reload, note: 'no previous version beside it (.bak, ~, .orig, .dpkg-old): restore it from backups or config management, then test and reload' };
  });
}

function aptPlans(i: RollbackInput): RollbackPlan[] {
  return i.apt.filter((e) => (e.action === 'Upgrade' || e.action === 'Install') && inWindow(e.at, i)).map((e) => {
    const back = e.packages.filter((p) => p.from).map((p) => `${p.name}=${p.from ?? ''}`);
    const cmd = back.length ? `apt-get install --allow-downgrades ${back.join(' ')}` : `apt-get remove ${e.packages.map((p) => p.name).join(' ')}`;
    return { change: `apt ${e.action.toLowerCase()} of ${e.packages.map((p) => p.name).slice(0, 6).join(', ')}`, at: e.at, commands: [cmd], note: `undoes "${e.commandline}"` };
  });
}

/** Every change in the window before onset that could be reverted, latest first; the first is the plan. */
export function planRollback(i: RollbackInput): RollbackPlan[] {
  return [...deployPlans(i), ...filePlans(i), ...aptPlans(i)].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
