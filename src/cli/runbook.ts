// `fivexx runbook [--config FILE] [--out FILE]`: write this site's runbook in Markdown from what the host shows.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { REAL_HOST, type HostRoots } from '../incident/types.ts';
import { EMPTY_CONFIG, readRunbookConfig } from '../runbook/config.ts';
import { discover } from '../runbook/discover.ts';
import { renderRunbook } from '../runbook/render-runbook.ts';
import { escapeControls } from '../report/safe-text.ts';
import type { CommandIo } from './io.ts';

export const RUNBOOK_HELP = `Usage: fivexx runbook [--config FILE] [--out FILE]

Writes a site-specific runbook in Markdown from what this host shows: where each log is (from the
nginx, Apache, HAProxy and PHP-FPM configurations), how to test, reload and restart each service,
how to roll back (the deploy folder's git or releases), which health checks exist, and, from the
config file, who to contact, the dashboards and the status page.

Options:
  --config FILE   a YAML file: site, app (dir, service, restart), contacts (name, role, phone, email,
                  chat), dashboards (name, url), status_page, health (name, url)
  --out FILE      write the runbook there instead of stdout
  --root DIR      read the host's /etc, /var/log and /run under DIR (a copied host tree)
  -h, --help      this help

Exit status: 0 written, 2 bad input or usage.`;

function rootsUnder(dir: string | undefined): HostRoots {
  if (!dir) return REAL_HOST;
  return { ...REAL_HOST, etc: `${dir}/etc`, varLog: `${dir}/var/log`, run: `${dir}/run`, appParents: REAL_HOST.appParents.map((p) => `${dir}${p}`) };
}

export async function runbookCommand(argv: string[], io: CommandIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: false, options: { config: { type: 'string' }, out: { type: 'string' }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    return io.fail('FIVEXX_USAGE', `runbook: ${(err as Error).message.split('\n')[0]}`);
  }
  const v = parsed.values;
  if (v.help) {
    io.out(RUNBOOK_HELP + '\n');
    return 0;
  }
  let config = EMPTY_CONFIG;
  if (v.config) {
    const r = await readRunbookConfig(v.config);
    if ('errors' in r) {
      const more = r.errors.length > 1 ? ` (and ${r.errors.length - 1} more problem(s))` : '';
      return io.fail('FIVEXX_CONFIG_INVALID', escapeControls(`runbook: ${r.errors[0] ?? ''}${more}`));
    }
    config = r.config;
  }
  const text = renderRunbook(config, await discover(rootsUnder(v.root), config), new Date());
  if (!v.out) {
    io.out(text);
    return 0;
  }
  try {
    await writeFile(v.out, text);
  } catch (err) {
    return io.fail('FIVEXX_OUTPUT_UNWRITABLE', `runbook: --out ${v.out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return 0;
}
