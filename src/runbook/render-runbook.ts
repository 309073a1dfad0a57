// Writes the runbook in Markdown: contacts, links, health checks, first steps, services, rollback, gaps.
import { escapeControls } from '../report/safe-text.ts';
import type { RunbookConfig } from './config.ts';
import type { Discovery } from './discover.ts';

/** Text from configs, safe in Markdown: control characters escaped, no backtick, pipe or angle bracket to break code, tables or HTML. */
const t = (s: string): string => escapeControls(s).replaceAll('`', "'").replaceAll('|', '\\|').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const code = (s: string): string => '`' + escapeControls(s).replaceAll('`', "'") + '`';

function contacts(c: RunbookConfig): string[] {
  if (!c.contacts.length) return ['_No contacts configured: add `contacts:` to the runbook config._'];
  return ['| name | role | phone | email | chat |', '|---|---|---|---|---|', ...c.contacts.map((x) => `| ${t(x.name)} | ${t(x.role ?? '')} | ${t(x.phone ?? '')} | ${t(x.email ?? '')} | ${t(x.chat ?? '')} |`)];
}

function links(c: RunbookConfig): string[] {
  const out = [c.statusPage ? `- Status page: ${t(c.statusPage)}` : '- Status page: _none configured (`status_page:`)_'];
  for (const d of c.dashboards) out.push(`- Dashboard: [${t(d.name)}](${t(d.url)})`);
  if (!c.dashboards.length) out.push('- Dashboards: _none configured (`dashboards:`)_');
  return out;
}

function health(c: RunbookConfig, d: Discovery): string[] {
  const out = c.health.map((h) => `- ${t(h.name)}: ${code(`curl -fsS -o /dev/null -w '%{http_code}\\n' --max-time 5 ${h.url}`)} or ${code(`fivexx diagnose ${h.url}`)}`);
  for (const s of d.services) for (const k of s.facts.checks) out.push(`- ${t(s.service.unit)}: ${t(k.what)} (${t(k.from)})`);
  return out.length ? out : ['_No health checks configured or found: add `health:` URLs to the config, and `option httpchk` / `check` to load-balanced servers._'];
}

function firstSteps(c: RunbookConfig, d: Discovery): string[] {
  const url = c.health[0]?.url;
  return [
    `1. Run ${code(`fivexx incident${url ? ` --url ${url}` : ''}${d.app ? ` --app ${d.app.dir}` : ''}`)} on this host: it names the failing layer and cause, the change before it, the host's health, and drafts the messages and the post-mortem.`,
    `2. Post the status-page update it drafts${c.statusPage ? ` on ${t(c.statusPage)}` : ''} and tell the contacts above.`,
    '3. If a change came just before the onset, roll it back (below) before debugging further.',
    '4. Check the logs below for the first error, then restart or reload only the service that failed.',
  ];
}

function services(d: Discovery): string[] {
  const out: string[] = [];
  for (const s of d.services) {
    out.push(`### ${t(s.service.unit)}`, '', `- Configuration: ${code(s.service.config)}${s.commands.test ? `; test it with ${code(s.commands.test)}` : ''}`);
    out.push(`- Reload (keeps connections): ${code(s.commands.reload)}`, `- Restart: ${code(s.commands.restart)}`, `- State: ${code(s.commands.status)}`);
    if (s.facts.logs.length) {
      out.push('', '| log | what | set in | there now |', '|---|---|---|---|');
      for (const l of s.facts.logs) out.push(`| ${code(l.path)} | ${t(l.what)} | ${t(l.from)} | ${l.exists === null ? '(not a file)' : l.exists ? 'yes' : 'no'} |`);
    }
    if (s.facts.upstreams.length) {
      out.push('', 'Sends requests to:');
      for (const u of s.facts.upstreams.slice(0, 20)) out.push(`- ${code(u.target)} (${t(u.from)})`);
    }
    out.push('');
  }
  return out.length ? out : ['_No web services found on this host._', ''];
}

function rollback(c: RunbookConfig, d: Discovery): string[] {
  const out: string[] = [];
  const restart = c.app?.restart ?? (c.app?.service ? (d.systemd ? `systemctl restart ${c.app.service}` : `service ${c.app.service} restart`) : 'restart the app');
  const a = d.app;
  if (a?.kind === 'git') {
    out.push(`### The app (git work tree ${code(a.dir)})`, '', `- The last deploys: ${code(`git -C ${a.dir} log --oneline -n 10`)}`,
      `- Undo the last one: ${code(`git -C ${a.dir} revert --no-edit HEAD`)}, then ${code(restart)}`,
      `- Go back to the one before now, fix later: ${code(`git -C ${a.dir} checkout HEAD~1`)}, then ${code(restart)}`,
      '- If a lockfile changed (package-lock.json, composer.lock, requirements.txt, Gemfile.lock, poetry.lock), reinstall the packages before the restart.', '');
  } else if (a?.kind === 'releases') {
    out.push(`### The app (releases in ${code(`${a.dir}/releases`)})`, '', `- The releases: ${code(`ls -1t ${a.dir}/releases`)}`,
      `- Switch back: ${code(`ln -sfn ${a.dir}/releases/PREVIOUS ${a.dir}/current`)}, then ${code(restart)}`, '');
  } else if (a) out.push(`### The app (${code(a.dir)})`, '', '- Not under git and no releases/ folder: keep the previous release to switch back to.', '');
  out.push('### Configuration', '');
  out.push(d.etcGit ? `- /etc is kept in git (etckeeper): ${code('git -C /etc log --stat -n 5')}, restore a file with ${code('git -C /etc checkout HEAD~1 -- FILE')}, then test and reload.`
    : '- Keep a copy before each edit (`cp -p FILE FILE.bak`): `fivexx incident` finds it and proposes restoring it. Test (`nginx -t`, `apache2ctl configtest`, `haproxy -c -f …`) before every reload.');
  out.push('- Packages: `/var/log/apt/history.log` lists each upgrade with the versions before; `apt-get install --allow-downgrades PKG=OLDVERSION` goes back.');
  return out;
}

export function renderRunbook(c: RunbookConfig, d: Discovery, now: Date): string {
  const out = [`# Runbook: ${t(c.site ?? 'this site')}`, '', `_Written by \`fivexx runbook\` on ${now.toISOString().slice(0, 10)} from this host's configuration. Run it again after changing the setup._`, ''];
  out.push('## Who to contact', '', ...contacts(c), '', '## Status page and dashboards', '', ...links(c), '', '## Health checks', '', ...health(c, d), '');
  out.push('## When 5xx errors start', '', ...firstSteps(c, d), '', '## Services, their logs and how to restart them', '', ...services(d));
  out.push('## Rolling back', '', ...rollback(c, d), '');
  if (d.unavailable.length) {
    out.push('## What this runbook could not see', '');
    for (const u of d.unavailable) out.push(`- ${t(u.what)}: ${t(u.reason)}`);
    out.push('');
  }
  return out.join('\n');
}
