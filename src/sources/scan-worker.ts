// Worker-thread entry of the combined fast path: scans its byte ranges in turn and posts their tallies back.
import { parentPort, workerData } from 'node:worker_threads';
import { scanRange, type WorkerJob } from './scan-file.ts';

const jobs = workerData as WorkerJob[];
let before = 0;
const tallies = jobs.map((job) => {
  const t = scanRange(job.path, job.start, job.end, job.cfg, (bytes) => parentPort?.postMessage({ type: 'progress', bytes: before + bytes }), job.countOnly);
  before += job.end - job.start;
  return t;
});
parentPort?.postMessage({ type: 'done', tallies });
