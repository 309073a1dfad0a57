#!/usr/bin/env node
// Entry point of the installed `fivexx` command.
import { enableCompileCache } from 'node:module';

// Node keeps the compiled code of fivexx's modules in its compile cache (in the temp folder), so the
// next start skips compiling them; before the first import, or it does not apply to them.
try {
  enableCompileCache();
} catch {
  // No cache (a read-only temp folder): the same start, a little slower.
}
const relaunched = (await import('./relaunch.ts')).relaunchIfBig(process.argv.slice(2));
if (relaunched !== undefined) process.exit(relaunched);
const { main } = await import('./main.ts');
const { processIo } = await import('./io.ts');

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});
main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fivexx: FIVEXX_INTERNAL: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
