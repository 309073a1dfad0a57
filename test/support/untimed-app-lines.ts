// Untimed output of the lab's plain Node app (test/lab/apps/plain-app.ts, Node.js 24), recorded by the
// crash-loop scenario: its start banner and the crash dump Node prints for an exception no handler caught.
export const CRASH = [
  'file:///work/s3-ut/test/lab/apps/plain-app.ts:13',
  '      throw new TypeError("Cannot read properties of null (reading \'reduce\')");',
  '      ^',
  '',
  "TypeError: Cannot read properties of null (reading 'reduce')",
  '    at Immediate.<anonymous> (file:///work/s3-ut/test/lab/apps/plain-app.ts:13:13)',
  '    at process.processImmediate (node:internal/timers:574:21)',
  '',
  'Node.js v24.21.0',
];
export const BANNER = 'Server listening on http://127.0.0.1:35075';
