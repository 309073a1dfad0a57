// Worker-thread entry of the combined fast path: started before its jobs are planned, it scans one byte
// range per message and posts its tally back, until the parent ends it.
import { parentPort } from 'node:worker_threads';
import { scanRange, type WorkerJob } from './scan-file.ts';

parentPort?.on('message', (job: WorkerJob) => {
  const t = scanRange(job.path, job.start, job.end, job.cfg, (bytes) => parentPort?.postMessage({ type: 'progress', bytes }), job.countOnly);
  parentPort?.postMessage({ type: 'done', tally: t });
});
