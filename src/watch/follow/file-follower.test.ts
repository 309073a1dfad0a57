import assert from 'node:assert/strict';
import { appendFileSync, closeSync, copyFileSync, mkdtempSync, openSync, renameSync, rmSync, truncateSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileFollower, type FollowedLine } from './file-follower.ts';

function setup(t: { after: (fn: () => void) => void }): { path: string; got: string[]; notes: string[]; follower: (saved?: Parameters<FileFollower['start']>[0], fromEnd?: boolean) => FileFollower } {
  const dir = mkdtempSync(join(tmpdir(), 'fivexx-follow-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'access.log');
  const got: string[] = [];
  const notes: string[] = [];
  return {
    path, got, notes,
    follower: (saved, fromEnd = false) => {
      const f = new FileFollower(path, { onLine: (l: FollowedLine) => got.push(l.text), onNote: (_p, n) => notes.push(n) });
      f.start(saved, fromEnd);
      return f;
    },
  };
}

test('appended lines, a partial last line and CRLF', (t) => {
  const s = setup(t);
  writeFileSync(s.path, 'a\nb\r\nc');
  const f = s.follower();
  f.poll();
  assert.deepEqual(s.got, ['a', 'b']);
  appendFileSync(s.path, 'd\ne\n');
  f.poll();
  assert.deepEqual(s.got, ['a', 'b', 'cd', 'e']);
  f.stop();
});

test('rename rotation: the old file is drained (its writer still appends), then the new one read from 0', (t) => {
  const s = setup(t);
  const w = openSync(s.path, 'a');
  writeSync(w, '1\n2\n');
  const f = s.follower();
  f.poll();
  renameSync(s.path, `${s.path}.1`);
  writeSync(w, '3\n');
  closeSync(w);
  writeFileSync(s.path, '4\n5\n');
  f.poll();
  assert.deepEqual(s.got, ['1', '2', '3', '4', '5']);
  assert.ok(s.notes.some((n) => n.includes('rotated')));
  f.stop();
});

test('rename rotation: a new file that grew meanwhile is read by polls of `maxBytes`, not at once (timers run between)', (t) => {
  const s = setup(t);
  writeFileSync(s.path, 'old\n');
  const f = s.follower();
  f.poll(1 << 16);
  renameSync(s.path, `${s.path}.1`);
  const lines = Array.from({ length: 40_000 }, (_, i) => `line ${i}`);
  writeFileSync(s.path, `${lines.join('\n')}\n`);
  f.poll(1 << 16);
  assert.ok(s.got.length < 20_000, `one poll read ${s.got.length} lines of a 300 KiB file`);
  assert.equal(f.behind, true);
  for (let i = 0; i < 20 && f.behind; i++) f.poll(1 << 16);
  assert.deepEqual(s.got, ['old', ...lines]);
  assert.equal(f.behind, false);
  f.stop();
});

test('a reader two rotations behind reads the rotated file it never opened before the new one (no file skipped)', (t) => {
  const s = setup(t);
  writeFileSync(s.path, '1\n2\n');
  utimesSync(s.path, 1000, 1000);
  const f = s.follower();
  f.poll();
  // Two rotations before the next poll: the file read becomes .2, the one after it .1, then a new one.
  renameSync(s.path, `${s.path}.1`);
  writeFileSync(s.path, '3\n4\n');
  utimesSync(s.path, 2000, 2000);
  renameSync(`${s.path}.1`, `${s.path}.2`);
  renameSync(s.path, `${s.path}.1`);
  writeFileSync(s.path, '5\n');
  utimesSync(s.path, 3000, 3000);
  // Older rotated files and compressed ones are not read again.
  writeFileSync(`${s.path}.3`, 'old\n');
  utimesSync(`${s.path}.3`, 500, 500);
  writeFileSync(`${s.path}.4.gz`, 'gz\n');
  for (let i = 0; i < 10; i++) f.poll(1 << 16);
  assert.deepEqual(s.got, ['1', '2', '3', '4', '5']);
  assert.ok(s.notes.some((n) => n.includes('reading the 1 rotated files first')), s.notes.join('; '));
  f.stop();
});

test('copytruncate: a file that shrinks is read again from its start', (t) => {
  const s = setup(t);
  writeFileSync(s.path, 'old1\nold2\n');
  const f = s.follower();
  f.poll();
  copyFileSync(s.path, `${s.path}.1`);
  truncateSync(s.path, 0);
  appendFileSync(s.path, 'new\n');
  f.poll();
  assert.deepEqual(s.got, ['old1', 'old2', 'new']);
  assert.ok(s.notes.some((n) => n.includes('truncated')));
  f.stop();
});

test('a restart resumes at the saved position: no line lost or read twice, even across a rotation while stopped', (t) => {
  const s = setup(t);
  writeFileSync(s.path, 'a\nb\npart');
  const f1 = s.follower();
  f1.poll();
  const saved = f1.position();
  f1.stop();
  assert.deepEqual(s.got, ['a', 'b']);
  appendFileSync(s.path, 'ial\nc\n');
  const f2 = s.follower(saved);
  f2.poll();
  assert.deepEqual(s.got, ['a', 'b', 'partial', 'c']);
  const saved2 = f2.position();
  f2.stop();
  appendFileSync(s.path, 'd\n');
  renameSync(s.path, `${s.path}.1`);
  writeFileSync(s.path, 'e\n');
  const f3 = s.follower(saved2);
  f3.poll();
  assert.deepEqual(s.got, ['a', 'b', 'partial', 'c', 'd', 'e']);
  f3.stop();
});

test('a new file can start at its end; an over-long line is skipped and said', (t) => {
  const s = setup(t);
  writeFileSync(s.path, 'history\n');
  const f = s.follower(undefined, true);
  f.poll();
  assert.deepEqual(s.got, []);
  appendFileSync(s.path, `${'x'.repeat((1 << 20) + 10)}\nafter\n`);
  f.poll();
  assert.deepEqual(s.got, ['after']);
  assert.ok(s.notes.some((n) => n.includes('over')));
  f.stop();
});

test('a writer rotating every 500 lines while the follower polls: every line exactly once, in order', async (t) => {
  const s = setup(t);
  writeFileSync(s.path, '');
  const f = s.follower();
  let fd = openSync(s.path, 'a');
  const N = 5000;
  for (let i = 0; i < N; i++) {
    writeSync(fd, `line ${i}\n`);
    if (i % 500 === 499) {
      renameSync(s.path, `${s.path}.${i}`);
      writeSync(fd, `late ${i}\n`);
      closeSync(fd);
      fd = openSync(s.path, 'a');
    }
    if (i % 97 === 0) f.poll();
    if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
  }
  closeSync(fd);
  f.poll();
  const want: string[] = [];
  for (let i = 0; i < N; i++) {
    want.push(`line ${i}`);
    if (i % 500 === 499) want.push(`late ${i}`);
  }
  assert.deepEqual(s.got, want);
  f.stop();
});
