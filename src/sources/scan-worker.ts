// Worker-thread entry of the combined fast path: started before its jobs are planned, it scans one byte
// range per message and posts its tally back, until the parent ends it. It reads the descriptor the main
// thread opened (threads share a process's descriptors), never the path again.
import { parentPort } from 'node:worker_threads';
import { scanRange, type WorkerJob } from './scan-file.ts';

/** Progress is posted every this many bytes scanned (not every block: a message costs both threads). */
const PROGRESS_BYTES = 4 << 20;

parentPort?.on('message', (job: WorkerJob) => {
  let posted = 0;
  const progress = (bytes: number): void => {
    if (bytes - posted < PROGRESS_BYTES) return;
    posted = bytes;
    parentPort?.postMessage({ type: 'progress', bytes });
  };
  const t = scanRange(job.fd, job.start, job.end, job.cfg, progress, job.countOnly);
  // The cheap failures' columns are moved, not copied: no second copy waits for this thread's collector.
  const c = t.cheap;
  const moved = c ? [c.time, c.status, c.endpoint, c.line, c.offset, c.length].map((a) => a.buffer as ArrayBuffer) : [];
  parentPort?.postMessage({ type: 'done', tally: t }, moved);
});
