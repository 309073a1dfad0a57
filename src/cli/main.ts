// The `fivexx` command: dispatches to one file per command.
import { readFileSync } from 'node:fs';
import { FivexxError } from '../errors/codes.ts';
import type { CommandIo } from './io.ts';

const HELP = `Usage: fivexx <command> [options]

Commands:
  analyze PATH…     find 5xx incidents in logs and name the failing layer and cause
  diagnose URL      probe a URL hop by hop now and name the failing layer, cause and responder
  check-config      audit nginx, Apache and HAProxy configs for 502/504 causes before they happen
  pages --out DIR   write visitor error pages for 500/502/503/504 and snippets to serve them
  watch             keep probing targets, open incidents that name the cause, alert, serve metrics
  change            record a deploy, rollback or config change in a running watch (for deploy scripts)
  incident          walk the eight incident steps on this host (or on copied logs)
  runbook           write this site's runbook in Markdown (logs, restarts, rollback, contacts)
  help              this help
  version           print the version

Run 'fivexx <command> --help' for a command's options.`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs a command; a FivexxError thrown inside one (an invalid catalog file…) is reported with its code. */
export async function main(argv: string[], io: CommandIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (err) {
    if (err instanceof FivexxError) return io.fail(err.code, err.message);
    throw err;
  }
}

async function dispatch(argv: string[], io: CommandIo): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    // Each command loads only its own modules: analyze never pays for the HTTP client, diagnose for the parsers.
    case 'analyze':
      return (await import('./analyze.ts')).analyzeCommand(rest, io);
    case 'diagnose':
      return (await import('./diagnose.ts')).diagnoseCommand(rest, io);
    case 'check-config':
      return (await import('./check-config.ts')).checkConfigCommand(rest, io);
    case 'pages':
      return (await import('./pages.ts')).pagesCommand(rest, io);
    case 'watch':
      return (await import('./watch.ts')).watchCommand(rest, io);
    case 'change':
      return (await import('./change.ts')).changeCommand(rest, io);
    case 'incident':
      return (await import('./incident.ts')).incidentCommand(rest, io);
    case 'runbook':
      return (await import('./runbook.ts')).runbookCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(HELP + '\n');
      return cmd === undefined ? 2 : 0;
    case 'version':
    case '--version':
    case '-V':
      io.out(version() + '\n');
      return 0;
    default:
      return io.fail('FIVEXX_USAGE', `unknown command '${cmd}' (see fivexx help)`);
  }
}
