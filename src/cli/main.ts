// The `fivexx` command: dispatches to one file per command.
import { readFileSync } from 'node:fs';
import type { CommandIo } from './io.ts';

const HELP = `Usage: fivexx <command> [options]

Commands:
  analyze PATH…     find 5xx incidents in logs and name the failing layer and cause
  diagnose URL      probe a URL hop by hop now and name the failing layer, cause and responder
  incident          walk the eight incident steps on this host (or on copied logs)
  runbook           write this site's runbook in Markdown (logs, restarts, rollback, contacts)
  help              this help
  version           print the version

Run 'fivexx <command> --help' for a command's options.`;

const PLANNED = new Set(['watch', 'check-config', 'pages']);

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    // Each command loads only its own modules: analyze never pays for the HTTP client, diagnose for the parsers.
    case 'analyze':
      return (await import('./analyze.ts')).analyzeCommand(rest, io);
    case 'diagnose':
      return (await import('./diagnose.ts')).diagnoseCommand(rest, io);
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
      if (PLANNED.has(cmd)) return io.fail('FIVEXX_USAGE', `${cmd}: not available in this version yet`);
      return io.fail('FIVEXX_USAGE', `unknown command '${cmd}' (see fivexx help)`);
  }
}
