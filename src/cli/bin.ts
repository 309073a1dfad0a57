#!/usr/bin/env node
// Entry point of the installed `fivexx` command.
import { enableCompileCache } from 'node:module';
import { compileCacheDir } from './compile-cache-dir.ts';

// Node keeps the compiled code of fivexx's modules in its compile cache, so the next start skips
// compiling them; before the first import, or it does not apply to them. The cache is code we run:
// only in a folder no other user can write (inside the package, or the user's own cache folder).
const cacheDir = compileCacheDir(import.meta.url);
if (cacheDir !== undefined) {
  try {
    enableCompileCache(cacheDir);
  } catch {
    // No cache: the same start, a little slower.
  }
}
const relaunched = (await import('./relaunch.ts')).relaunchIfBig(process.argv.slice(2));
if (relaunched !== undefined) process.exit(relaunched);
// A big nginx error log is read by worker threads too: they start loading now, beside this thread.
if (process.argv[2] === 'analyze') (await import('../engine/digest-workers.ts')).warmFor(process.argv.slice(3));
const { main } = await import('./main.ts');
const { processIo } = await import('./io.ts');
const { escapeControls } = await import('../report/safe-text.ts');

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});
main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fivexx: FIVEXX_INTERNAL: internal error: ${escapeControls(err instanceof Error ? err.message : String(err))}\n`);
    process.exitCode = 2;
  },
);
