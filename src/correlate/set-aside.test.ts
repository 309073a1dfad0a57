import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retriedThenAnswered, SetAside } from './set-aside.ts';

test('a request retried to another upstream and answered is told from a failed one', () => {
  // Recorded from nginx 1.22.1: us="502, 200" ua="127.0.0.1:18991, 127.0.0.1:18992", status 200.
  assert.equal(retriedThenAnswered('502, 200', 200), true);
  assert.equal(retriedThenAnswered('504 : 200', 200), true);
  assert.equal(retriedThenAnswered('-, 200', 301), true);
  assert.equal(retriedThenAnswered('200', 200), false);
  assert.equal(retriedThenAnswered('502, 502', 502), false);
  assert.equal(retriedThenAnswered('502, 404', 404), false);
  assert.equal(retriedThenAnswered('200, 200', 200), false);
});

test('what is set aside is said once per kind, with a count and the first place', () => {
  const s = new SetAside();
  s.addRetried(0, 2);
  s.addRetried(0, 9);
  s.addNoRequest('stream', 1, 20);
  s.addNoRequest('mail', 1, 23);
  s.addBelow500('app.script_not_found', 1, 11, 3);
  const notes = s.notes((i) => ['access.log', 'error.log'][i] ?? '?', () => 404);
  assert.deepEqual(notes, [
    '2 request(s) retried to another upstream and answered: not failed requests, no incident from them (first: access.log:2)',
    '1 nginx error record(s) of the stream (TCP/UDP) proxy name no HTTP request: not taken as failed requests (first: error.log:20)',
    '1 nginx error record(s) of the mail proxy name no HTTP request: not taken as failed requests (first: error.log:23)',
    '3 record(s) of app.script_not_found, which answers 404, not 5xx: no 5xx incident from them without an access log (first: error.log:11)',
  ]);
  assert.deepEqual(new SetAside().notes(() => '', () => 0), []);
});
