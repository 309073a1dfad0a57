// Worker-thread entry of the combined fast path: scans one byte range and posts its tally back.
import { parentPort, workerData } from 'node:worker_threads';
import { scanRange, type WorkerJob } from './scan-file.ts';

const job = workerData as WorkerJob;
const tally = scanRange(job.path, job.start, job.end, job.cfg, (bytes) => parentPort?.postMessage({ type: 'progress', bytes }));
parentPort?.postMessage({ type: 'done', tally });
