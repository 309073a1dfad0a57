// Worker-thread entry of the combined fast path: started before its jobs are planned, it waits for
// them (one message), scans its byte ranges in turn, posts their tallies back and ends. It reads the
// descriptor the main thread opened (threads share a process's descriptors), never the path again.
import { parentPort } from 'node:worker_threads';
import { scanRange, type WorkerJob } from './scan-file.ts';

parentPort?.once('message', (jobs: WorkerJob[]) => {
  let before = 0;
  const tallies = jobs.map((job) => {
    const t = scanRange(job.fd, job.start, job.end, job.cfg, (bytes) => parentPort?.postMessage({ type: 'progress', bytes: before + bytes }), job.countOnly);
    before += job.end - job.start;
    return t;
  });
  parentPort?.postMessage({ type: 'done', tallies });
});
