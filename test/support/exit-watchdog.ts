// Loaded by `npm test` (--import) in each test file's process instead of --test-force-exit: once a file's tests
// and hooks are done its process should end by itself; if a leftover handle (server, timer, child) keeps it
// alive for LIMIT_MS, this names what is alive and exits 1, so the file fails visibly instead of hanging the run.
// --test-force-exit is not used because Node.js (24.21 here, nodejs/node#64833) then exits a file's process
// before its report is flushed: tests that ran are silently missing from the count (70 of catalog.test.ts gave 16).
import { after } from 'node:test';

/** 60 s (FIVEXX_TEST_EXIT_LIMIT_MS for the runner's own test): longer than any file's after hooks take. */
const LIMIT_MS = Number(process.env.FIVEXX_TEST_EXIT_LIMIT_MS) || 60_000;

// Only in a test file's own process (the runner sets NODE_TEST_CONTEXT there), not in the runner itself.
if (process.env.NODE_TEST_CONTEXT !== undefined) {
  after(() => {
    const file = process.argv[1] ?? '(unknown file)';
    setTimeout(() => {
      const alive = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap');
      process.stderr.write(`exit-watchdog: ${file}: its tests ended ${LIMIT_MS / 1000} s ago but the process is still alive (leftover handles: ${alive.join(', ') || 'none named'})\n`);
      process.exit(1);
    }, LIMIT_MS).unref();
  });
}
