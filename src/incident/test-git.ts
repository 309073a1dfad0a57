// Test helper: a git deploy folder in a temp dir, with commits at given times (no user config needed).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const GIT = '/usr/bin/git';

/** Runs git in `dir` with author and committer time `at` (which the reflog records too). */
export function gitAt(dir: string, args: string[], at?: Date): void {
  const when = (at ?? new Date()).toISOString();
  execFileSync(GIT, ['-C', dir, ...args], {
    stdio: 'ignore',
    env: { PATH: '/usr/bin:/bin', GIT_AUTHOR_NAME: 'Dee Ploy', GIT_AUTHOR_EMAIL: 'deploy@example.com', GIT_COMMITTER_NAME: 'Dee Ploy', GIT_COMMITTER_EMAIL: 'deploy@example.com', GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when, GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
  });
}

export const npmLock = (versions: Record<string, string>): string =>
  JSON.stringify({ name: 'shop', lockfileVersion: 3, packages: { '': { name: 'shop' }, ...Object.fromEntries(Object.entries(versions).map(([n, v]) => [`node_modules/${n}`, { version: v }])) } }, null, 2) + '\n';

/** A git work tree at `dir` with one commit per entry: files to write, a subject, a time. */
export function makeDeployRepo(dir: string, commits: readonly { files: Record<string, string>; subject: string; at: Date }[]): void {
  mkdirSync(dir, { recursive: true });
  gitAt(dir, ['init', '-q', '-b', 'main']);
  for (const c of commits) {
    for (const [name, text] of Object.entries(c.files)) writeFileSync(join(dir, name), text);
    gitAt(dir, ['add', '-A']);
    gitAt(dir, ['commit', '-q', '-m', c.subject], c.at);
  }
}
