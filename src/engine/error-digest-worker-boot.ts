// The error-log worker's entry: turns on Node's compile cache in the worker (the main thread's folder,
// handed in workerData: one the main thread checked no other user can write) before loading the worker's
// modules, which then start from cached code (about half the worker's load time).
import { enableCompileCache } from 'node:module';
import { workerData } from 'node:worker_threads';

const dir = (workerData as { compileCache?: unknown } | null)?.compileCache;
if (typeof dir === 'string') {
  try {
    enableCompileCache(dir);
  } catch {
    // No cache: the same worker, a little slower to start.
  }
}
await import(import.meta.url.endsWith('.ts') ? './error-digest-worker.ts' : './error-digest-worker.js');
