// The head of a plain nginx error record read in WebAssembly, for the error-log fast path
// (engine/error-digest.ts): an accelerator of parse/nginx-error-bytes.ts `readPlainHead` and
// `serverAfter` (the same spans, the JS reader stays the reference: error-head-kernel.test.ts holds them
// together), on the newline kernel's memory, that also says whether the record's time bytes, message
// bytes and tail (from ", server: " to the end) are ones seen before, compared inside WebAssembly
// instead of with Buffer.compare from JavaScript.
//
// `run` (below) reads many such records in one call while they are one more of the same batch.
//
//   head(a, end, state) -> NOT_PLAIN (-2), or flags (HEAD_FLAG). It stores at state: the message's start
//   and end (+0, +4), the last ", client: " (+8, -1 when none), the first ", server: " after it (+12) and
//   the tail's cache slot (+16). The last time bytes (+32, 19 bytes), whether they are set (+56), the last
//   message's length (+60, -1 when none) and bytes (+64); the tail cache's address at +20.
import { NGINX_ERROR_START as START } from '../parse/line-shapes.ts';
import { CLIENT_TAIL as TAIL } from '../parse/nginx-error.ts';
import { MAX_RECORD_CHARS } from '../parse/record.ts';
import { QUIET_SCRATCH } from './quiet-kernel.ts';
import type { NewlineKernel } from './newline-kernel.ts';
import { SCRATCH_BYTES } from './newline-kernel.ts';
import {
  BLOCK, BR, BR_IF, byteAt, compile, END, get, I32, I32_ADD, I32_AND, I32_EQ, I32_EQZ, I32_GE_S, I32_GE_U, I32_GT_S, I32_GT_U, i32, I32_LE_S,
  I32_LOAD, I32_LT_S, I32_LT_U, I32_MUL, I32_NE, I32_OR, I32_SHL, I32_SHR_U, I32_STORE, I32_SUB, I64_EQ, i64Bytes, I64_LOAD, I32_LOAD16_U, I64_NE, I64_STORE,
  I32_LOAD8_U, I32_WRAP_I64, I64, I64_CONST, I64_EXTEND_I32_U, I64_ROTL, I64_SHR_U, I64_XOR, IF, RETURN, SELECT, LOOP, MEMORY_COPY, moduleBytes,
  returnIf, sameRun, set, skipBackVector, skipToVector, splatBytes, uleb, V128, VOID,
} from './wasm-asm.ts';

/** What `head` returns for a line readPlainHead does not read (its NOT_PLAIN). */
export const HEAD_NOT_PLAIN = -2;
/** Bits of `head`'s answer. */
export const HEAD_FLAG = {
  /** The time bytes differ from the last ones (now at TIME_BYTES_AT): compute the time. */
  newTime: 1,
  /** The message bytes are the last message's (of the last call that got this far). */
  sameMessage: 2,
  /** The tail's bytes are those cached in its slot. */
  tailHit: 4,
  /** The tail is too long for the cache: not cached. */
  tailLong: 8,
  /** No ", client: " or no ", server: " after it (readPlainHead's -1, or serverAfter's): no tail. */
  noServer: 16,
} as const;

/** Offsets in the state. */
const W = { msgStart: 0, msgEnd: 4, client: 8, server: 12, slot: 16, tails: 20, time: 32, timeSet: 56, msgLen: 60, msg: 64 } as const;
/** Messages longer than this are not kept for the next record's comparison. */
const MSG_MAX = 2048;
/** The state lies after the quiet kernel's (the two run on the same records). */
const STATE_OFFSET = Math.ceil(QUIET_SCRATCH / 64) * 64;
const STATE_BYTES = W.msg + MSG_MAX;
/** Tail cache: slots of SLOT_BYTES (an i32 length, then the bytes), picked by a hash of some bytes. */
export const TAIL_SLOTS = 1024;
const SLOT_BYTES = 256;
const TAIL_MAX = SLOT_BYTES - 4;
/** The run's words (see `run` below), then its counts and first-seen list (an i32 a slot) and good marks (a byte a slot). */
const RUN_WORD = {
  found: 0, a: 4, max: 8, maxLine: 12, pending: 16, pendingFlags: 20, pendingA: 24, lastA: 28, lastNl: 32, lastSlot: 36,
  touchedN: 40, head: 44, counts: 48, touched: 52, good: 56, end: 60, pendingEnd: 64,
} as const;
const RUN_WORDS_BYTES = 128;
const RUN_BYTES = RUN_WORDS_BYTES + TAIL_SLOTS * 4 * 2 + TAIL_SLOTS;
/** Scratch this kernel needs of the newline kernel's memory beyond the quiet kernel's. */
export const ERROR_HEAD_SCRATCH = STATE_OFFSET + STATE_BYTES + TAIL_SLOTS * SLOT_BYTES + RUN_BYTES;

const COLON = 0x3a;
const SP = 0x20;
const STAR = 0x2a;
const COMMA = 0x2c;
const SERVER = Buffer.from(', server: ');

// locals: params a, end, state; then close, p, i, at, sv, n, h, q, flags, j, same, m, msg, lim; then hh (i64); then vc, vc2 (v128)
const L = { A: 0, END: 1, STATE: 2, CLOSE: 3, P: 4, I: 5, AT: 6, SV: 7, N: 8, H: 9, Q: 10, FLAGS: 11, J: 12, SAME: 13, M: 14, MSG: 15, LIM: 16, HH: 17, VC: 18, VC2: 19 };

const notPlainIf = (cond: number[]): number[] => returnIf(cond, HEAD_NOT_PLAIN);
const stateWord = (off: number): number[] => [...get(L.STATE), I32_LOAD, 2, ...uleb(off)];
const storeWord = (off: number, value: number[]): number[] => [...get(L.STATE), ...value, I32_STORE, 2, ...uleb(off)];
const addFlag = (f: number): number[] => [...get(L.FLAGS), ...i32(f), I32_OR, ...set(L.FLAGS)];
/** memory[l + k] == bytes[k] for every k (an i32 on the stack). */
const bytesEqual = (l: number, bytes: Uint8Array): number[] => [
  ...[...bytes].flatMap((c, k) => [...byteAt(l, k), ...i32(c), I32_EQ]),
  ...Array.from({ length: bytes.length - 1 }, () => I32_AND),
];

/** The start and level, as levelClose reads it: close = the level's "]". */
const start = [
  ...notPlainIf([...get(L.END), ...get(L.A), I32_SUB, ...i32(MAX_RECORD_CHARS), I32_GE_S]),
  ...notPlainIf([...get(L.END), ...get(L.A), I32_SUB, ...i32(START.length), I32_LE_S]),
  ...START.fixed.flatMap(([at, c]) => returnIf([...byteAt(L.A, at), ...i32(c), I32_NE], HEAD_NOT_PLAIN)),
  ...START.digits.flatMap((d) => notPlainIf([...byteAt(L.A, d), ...i32(48), I32_SUB, ...i32(10), I32_GE_U])),
  ...get(L.A), ...i32(START.length), I32_ADD, ...set(L.CLOSE),
  BLOCK, VOID, LOOP, VOID,
  ...notPlainIf([...get(L.CLOSE), ...get(L.A), I32_SUB, ...i32(START.length + 7), I32_EQ]),
  ...notPlainIf([...get(L.CLOSE), ...get(L.END), I32_GE_U]),
  ...byteAt(L.CLOSE, 0), ...set(L.M),
  ...get(L.M), ...i32(START.levelEnd), I32_EQ, IF, VOID,
  ...notPlainIf([...get(L.CLOSE), ...get(L.A), I32_SUB, ...i32(START.length), I32_EQ]),
  BR, 2,
  END,
  ...notPlainIf([...get(L.M), ...i32(97), I32_SUB, ...i32(26), I32_GE_U]),
  ...get(L.CLOSE), ...i32(1), I32_ADD, ...set(L.CLOSE),
  BR, 0,
  END, END,
];

/** The 19 time bytes against the last ones: newTime (and kept) when they differ or none are set. */
const time = [
  ...get(L.STATE), ...i32(W.time), I32_ADD, ...set(L.Q),
  ...stateWord(W.timeSet), I32_EQZ,
  ...[0, 8, 11].flatMap((k) => [...get(L.A), I64_LOAD, 0, ...uleb(k), ...get(L.Q), I64_LOAD, 0, ...uleb(k), I64_NE, I32_OR]),
  IF, VOID,
  ...[0, 8, 11].flatMap((k) => [...get(L.Q), ...get(L.A), I64_LOAD, 0, ...uleb(k), I64_STORE, 0, ...uleb(k)]),
  ...storeWord(W.timeSet, i32(1)),
  ...addFlag(HEAD_FLAG.newTime),
  END,
];

/** The message's start, as readPlainHead: after the first ": " from close + 2, and after a "*conn " there. */
const messageStart = [
  ...get(L.CLOSE), ...i32(2), I32_ADD, ...set(L.P),
  ...get(L.P), ...set(L.I),
  ...get(L.END), ...i32(1), I32_SUB, ...set(L.LIM),
  BLOCK, VOID, LOOP, VOID,
  ...skipToVector(L.I, COLON, L.LIM, L.M),
  ...get(L.I), ...get(L.LIM), I32_GE_S, BR_IF, 1,
  ...byteAt(L.I, 1), ...i32(SP), I32_EQ, IF, VOID,
  ...get(L.I), ...i32(2), I32_ADD, ...set(L.P), BR, 2,
  END,
  ...get(L.I), ...i32(1), I32_ADD, ...set(L.I), BR, 0,
  END, END,
  ...get(L.P), ...get(L.END), I32_LT_U, IF, VOID,
  ...byteAt(L.P, 0), ...i32(STAR), I32_EQ, IF, VOID,
  ...get(L.P), ...set(L.I),
  ...skipToVector(L.I, SP, L.END, L.M),
  ...get(L.I), ...get(L.END), I32_LT_U, IF, VOID, ...get(L.I), ...i32(1), I32_ADD, ...set(L.P), END,
  END, END,
];

/**
 * The last ", client: " at or after a, -1 when none (lastClientTail's answer), found backward from the
 * end down to the level's "]" (no comma lies before it), 16 bytes a step to each ", c", a word compared
 * there: the tail after the client is shorter than what lies before it, and holds few such pairs.
 */
const lastClient = [
  ...i32(-1), ...set(L.AT),
  ...get(L.END), ...i32(TAIL.length), I32_SUB, ...set(L.I),
  ...splatBytes(COMMA, L.VC), ...splatBytes(TAIL[2] ?? 0, L.VC2),
  BLOCK, VOID, LOOP, VOID,
  ...skipBackVector(L.I, COMMA, 2, TAIL[2] ?? 0, L.CLOSE, L.M, L.VC, L.VC2),
  ...get(L.I), ...get(L.CLOSE), I32_LE_S, BR_IF, 1,
  ...get(L.I), I64_LOAD, 0, 0, ...i64Bytes(TAIL), I64_EQ,
  ...get(L.I), I32_LOAD16_U, 0, 8, ...i32((TAIL[8] ?? 0) | ((TAIL[9] ?? 0) << 8)), I32_EQ, I32_AND,
  IF, VOID, ...get(L.I), ...set(L.AT), BR, 2, END,
  ...get(L.I), ...i32(1), I32_SUB, ...set(L.I), BR, 0,
  END, END,
];

/** The first ", server: " after the ", client: " (which cannot hold one before its 10th byte), -1 when none. */
const server = [
  ...i32(-1), ...set(L.SV),
  ...get(L.AT), ...i32(TAIL.length), I32_ADD, ...set(L.I),
  BLOCK, VOID, LOOP, VOID,
  ...skipToVector(L.I, COMMA, L.END, L.M),
  ...get(L.I), ...i32(SERVER.length), I32_ADD, ...get(L.END), I32_GT_U, BR_IF, 1,
  ...bytesEqual(L.I, SERVER), IF, VOID, ...get(L.I), ...set(L.SV), BR, 2, END,
  ...get(L.I), ...i32(1), I32_ADD, ...set(L.I), BR, 0,
  END, END,
];

/** The message against the last one: sameMessage, else it is kept (when short enough) for the next. */
const message = [
  ...stateWord(W.msgEnd), ...stateWord(W.msgStart), I32_SUB, ...set(L.N),
  ...get(L.STATE), ...i32(W.msg), I32_ADD, ...set(L.MSG),
  ...stateWord(W.msgStart), ...set(L.P),
  ...get(L.N), ...stateWord(W.msgLen), I32_EQ, IF, VOID,
  ...sameRun(L.P, L.MSG, L.N, L.J, L.SAME),
  ...get(L.SAME), IF, VOID, ...addFlag(HEAD_FLAG.sameMessage), END,
  END,
  ...get(L.FLAGS), ...i32(HEAD_FLAG.sameMessage), I32_AND, I32_EQZ, IF, VOID,
  ...get(L.N), ...i32(MSG_MAX), I32_LE_S, IF, VOID,
  ...get(L.MSG), ...get(L.P), ...get(L.N), ...MEMORY_COPY,
  ...storeWord(W.msgLen, get(L.N)),
  END,
  ...get(L.N), ...i32(MSG_MAX), I32_GT_S, IF, VOID, ...storeWord(W.msgLen, i32(-1)), END,
  END,
];

/** The tail b[sv, end) against its cache slot: tailHit, else it is kept there (tailLong when too long). */
/** The tail b[sv, end)'s slot (H), its address (Q) and its bytes' address (MSG); n = its length. */
const tailSlot = [
  // the slot: a hash of the length, the last 8 bytes (a tail has 10 at least) and every 8-byte word
  // from the server's name on, folded to 32 bits
  ...get(L.N), I64_EXTEND_I32_U, ...get(L.END), ...i32(8), I32_SUB, I64_LOAD, 0, 0, I64_XOR, ...set(L.HH),
  ...get(L.SV), ...i32(SERVER.length), I32_ADD, ...set(L.I),
  BLOCK, VOID, LOOP, VOID,
  ...get(L.I), ...i32(8), I32_ADD, ...get(L.END), I32_GT_U, BR_IF, 1,
  ...get(L.HH), I64_CONST, 5, I64_ROTL, ...get(L.I), I64_LOAD, 0, 0, I64_XOR, ...set(L.HH),
  ...get(L.I), ...i32(8), I32_ADD, ...set(L.I), BR, 0,
  END, END,
  ...get(L.HH), ...get(L.HH), I64_CONST, 32, I64_SHR_U, I64_XOR, I32_WRAP_I64, ...set(L.H),
  ...get(L.H), ...i32(0x9e3779b1 | 0), I32_MUL, ...i32(22), I32_SHR_U, ...i32(TAIL_SLOTS - 1), I32_AND, ...set(L.H),
  ...stateWord(W.tails), ...get(L.H), ...i32(Math.log2(SLOT_BYTES)), I32_SHL, I32_ADD, ...set(L.Q),
  ...get(L.Q), ...i32(4), I32_ADD, ...set(L.MSG),
];

const tail = [
  ...get(L.END), ...get(L.SV), I32_SUB, ...set(L.N),
  ...get(L.N), ...i32(TAIL_MAX), I32_GT_U, IF, VOID, ...addFlag(HEAD_FLAG.tailLong), ...get(L.FLAGS), RETURN, END,
  ...tailSlot,
  ...storeWord(W.slot, get(L.H)),
  ...get(L.Q), I32_LOAD, 2, 0, ...get(L.N), I32_EQ, IF, VOID,
  ...sameRun(L.SV, L.MSG, L.N, L.J, L.SAME),
  ...get(L.SAME), IF, VOID, ...addFlag(HEAD_FLAG.tailHit), ...get(L.FLAGS), RETURN, END,
  END,
  ...get(L.MSG), ...get(L.SV), ...get(L.N), ...MEMORY_COPY,
  ...get(L.Q), ...get(L.N), I32_STORE, 2, 0,
];

const headBody = [
  3, 14, I32, 1, I64, 2, V128,
  ...start,
  ...time,
  ...messageStart,
  ...lastClient,
  // msgStart = min(p, end); msgEnd = at > p ? at : end
  ...storeWord(W.msgStart, [...get(L.P), ...get(L.END), ...get(L.P), ...get(L.END), I32_LT_U, SELECT]),
  ...storeWord(W.msgEnd, [...get(L.AT), ...get(L.END), ...get(L.AT), ...get(L.P), I32_GT_S, SELECT]),
  ...storeWord(W.client, get(L.AT)),
  ...storeWord(W.server, i32(-1)),
  ...get(L.AT), ...i32(0), I32_LT_S, IF, VOID, ...addFlag(HEAD_FLAG.noServer), ...get(L.FLAGS), RETURN, END,
  ...server,
  ...storeWord(W.server, get(L.SV)),
  ...get(L.SV), ...i32(0), I32_LT_S, IF, VOID, ...addFlag(HEAD_FLAG.noServer), ...get(L.FLAGS), RETURN, END,
  ...message,
  ...tail,
  ...get(L.FLAGS),
  END,
];

/** ", client: " at local l (10 bytes), as an i32 on the stack. */
const clientAt = (l: number): number[] => [
  ...get(l), I64_LOAD, 0, 0, ...i64Bytes(TAIL), I64_EQ,
  ...get(l), I32_LOAD16_U, 0, 8, ...i32((TAIL[8] ?? 0) | ((TAIL[9] ?? 0) << 8)), I32_EQ, I32_AND,
];
const minusOneIf = (cond: number[]): number[] => returnIf(cond, -1);

// quick(a, end, state) -> slot, or a negative number: without changing any state, whether `head` would
// answer exactly sameMessage | tailHit for the record (then its tail's slot). The last message (its
// length and bytes kept in the state) must be followed by ", client: " (so that is the last one: no
// ", client: " lies between it and the first ", server: " after it, checked at each comma there, nor in
// the tail, which equals a tail `head` cached, cut after the last one), the time bytes be the last ones
// and the tail a hit in its slot. Any other record: negative, and `run` asks `head`. It skips `head`'s
// search for the last ", client: " over the whole record.
const quickBody = [
  3, 14, I32, 1, I64, 2, V128,
  ...start,
  ...minusOneIf([...stateWord(W.timeSet), I32_EQZ]),
  ...minusOneIf([
    ...get(L.STATE), ...i32(W.time), I32_ADD, ...set(L.Q),
    ...[0, 8, 11].flatMap((k, j) => [...get(L.A), I64_LOAD, 0, ...uleb(k), ...get(L.Q), I64_LOAD, 0, ...uleb(k), I64_NE, ...(j > 0 ? [I32_OR] : [])]),
  ]),
  ...messageStart,
  // the last message at p, then ", client: "
  ...stateWord(W.msgLen), ...set(L.N),
  ...minusOneIf([...get(L.N), ...i32(0), I32_LE_S]),
  ...get(L.P), ...get(L.N), I32_ADD, ...set(L.AT),
  ...minusOneIf([...get(L.AT), ...i32(TAIL.length), I32_ADD, ...get(L.END), I32_GT_U]),
  ...minusOneIf([...clientAt(L.AT), I32_EQZ]),
  ...get(L.STATE), ...i32(W.msg), I32_ADD, ...set(L.MSG),
  ...sameRun(L.P, L.MSG, L.N, L.J, L.SAME),
  ...minusOneIf([...get(L.SAME), I32_EQZ]),
  // the first ", server: " after it, no ", client: " before it
  ...i32(-1), ...set(L.SV),
  ...get(L.AT), ...i32(TAIL.length), I32_ADD, ...set(L.I),
  BLOCK, VOID, LOOP, VOID,
  ...skipToVector(L.I, COMMA, L.END, L.M),
  ...get(L.I), ...i32(SERVER.length), I32_ADD, ...get(L.END), I32_GT_U, BR_IF, 1,
  ...minusOneIf(clientAt(L.I)),
  ...bytesEqual(L.I, SERVER), IF, VOID, ...get(L.I), ...set(L.SV), BR, 2, END,
  ...get(L.I), ...i32(1), I32_ADD, ...set(L.I), BR, 0,
  END, END,
  ...minusOneIf([...get(L.SV), ...i32(0), I32_LT_S]),
  // the tail: a hit in its slot
  ...get(L.END), ...get(L.SV), I32_SUB, ...set(L.N),
  ...minusOneIf([...get(L.N), ...i32(TAIL_MAX), I32_GT_U]),
  ...tailSlot,
  ...minusOneIf([...get(L.Q), I32_LOAD, 2, 0, ...get(L.N), I32_NE]),
  ...sameRun(L.SV, L.MSG, L.N, L.J, L.SAME),
  ...minusOneIf([...get(L.SAME), I32_EQZ]),
  ...get(L.H),
  END,
];

// run(k, n, r) -> lines: the error-log fast path's run (engine/error-digest.ts `run`). From found[k] on
// (the newline kernel's positions, up to found[n - 1] and the data's end), each line is read by `head`
// while it is one more record of the record before it: the same time bytes and message, its tail a hit
// in a slot the caller marked good (its values name a request). It counts each such line in its slot
// (first-seen slots listed in order) and stops before an empty or over-long line, at `max` lines, and
// at a line `head` read that is no such record: that line's answer is kept (pending) for the caller's
// next `head` call on it, which must not read it twice (head remembers what it saw). The run's words
// lie at r (RUN_WORD); the tail cache's counts, first-seen list and good marks after them.
/** The answer of `head` for one more record of the same time, message and cached tail. */
const SIMPLE = HEAD_FLAG.sameMessage | HEAD_FLAG.tailHit;
const CR = 0x0d;
const CALL = 0x10;

// locals: params k, n, r; then m, a, max, maxLine, hs, nl, e, f, s, c, end, found, t, lastA, lastNl
const R = { K: 0, N: 1, R: 2, M: 3, A: 4, MAX: 5, ML: 6, HS: 7, NL: 8, E: 9, F: 10, S: 11, C: 12, END: 13, FOUND: 14, T: 15, LA: 16, LN: 17 };
const runWord = (off: number): number[] => [...get(R.R), I32_LOAD, 2, ...uleb(off)];
const runStore = (off: number, value: number[]): number[] => [...get(R.R), ...value, I32_STORE, 2, ...uleb(off)];

const runBody = [
  1, 15, I32,
  ...runWord(RUN_WORD.found), ...set(R.FOUND),
  ...runWord(RUN_WORD.a), ...set(R.A),
  ...runWord(RUN_WORD.max), ...set(R.MAX),
  ...runWord(RUN_WORD.maxLine), ...set(R.ML),
  ...runWord(RUN_WORD.head), ...set(R.HS),
  ...runWord(RUN_WORD.end), ...set(R.END),
  ...runStore(RUN_WORD.pending, i32(0)),
  BLOCK, VOID, LOOP, VOID,
  ...get(R.K), ...get(R.N), I32_GE_U, BR_IF, 1,
  ...get(R.M), ...get(R.MAX), I32_GE_U, BR_IF, 1,
  // nl = found[k], inside the data; the line a non-empty one of at most maxLine bytes
  ...get(R.FOUND), ...get(R.K), ...i32(2), I32_SHL, I32_ADD, I32_LOAD, 2, 0, ...set(R.NL),
  ...get(R.NL), ...get(R.END), I32_GE_U, BR_IF, 1,
  ...get(R.NL), ...get(R.A), I32_SUB, ...set(R.T),
  ...get(R.T), I32_EQZ, BR_IF, 1,
  ...get(R.T), ...get(R.ML), I32_GT_U, BR_IF, 1,
  // e = nl, less a CR before it
  ...get(R.NL), ...get(R.NL), ...i32(1), I32_SUB, I32_LOAD8_U, 0, 0, ...i32(CR), I32_EQ, I32_SUB, ...set(R.E),
  // quick's good slot, else head's answer and slot (head also leaves the spans in the words the
  // caller reads for a line the run stops at)
  ...get(R.A), ...get(R.E), ...get(R.HS), CALL, 2, ...set(R.S),
  ...i32(SIMPLE), ...set(R.F),
  ...get(R.S), ...i32(0), I32_LT_S,
  ...runWord(RUN_WORD.good), ...get(R.S), ...i32(TAIL_SLOTS - 1), I32_AND, I32_ADD, I32_LOAD8_U, 0, 0, I32_EQZ, I32_OR,
  IF, VOID,
  ...get(R.A), ...get(R.E), ...get(R.HS), CALL, 0, ...set(R.F),
  ...get(R.HS), I32_LOAD, 2, ...uleb(W.slot), ...i32(TAIL_SLOTS - 1), I32_AND, ...set(R.S),
  END,
  ...get(R.F), ...i32(SIMPLE), I32_NE,
  ...runWord(RUN_WORD.good), ...get(R.S), I32_ADD, I32_LOAD8_U, 0, 0, I32_EQZ, I32_OR,
  IF, VOID,
  ...runStore(RUN_WORD.pending, i32(1)), ...runStore(RUN_WORD.pendingFlags, get(R.F)), ...runStore(RUN_WORD.pendingA, get(R.A)), ...runStore(RUN_WORD.pendingEnd, get(R.E)),
  BR, 2,
  END,
  // counts[s]++, s listed when first seen
  ...runWord(RUN_WORD.counts), ...get(R.S), ...i32(2), I32_SHL, I32_ADD, ...set(R.T),
  ...get(R.T), I32_LOAD, 2, 0, ...set(R.C),
  ...get(R.C), I32_EQZ, IF, VOID,
  ...runWord(RUN_WORD.touched), ...runWord(RUN_WORD.touchedN), ...i32(2), I32_SHL, I32_ADD, ...get(R.S), I32_STORE, 2, 0,
  ...runStore(RUN_WORD.touchedN, [...runWord(RUN_WORD.touchedN), ...i32(1), I32_ADD]),
  END,
  ...get(R.T), ...get(R.C), ...i32(1), I32_ADD, I32_STORE, 2, 0,
  ...get(R.A), ...set(R.LA), ...get(R.NL), ...set(R.LN),
  ...runStore(RUN_WORD.lastSlot, get(R.S)),
  ...get(R.M), ...i32(1), I32_ADD, ...set(R.M),
  ...get(R.K), ...i32(1), I32_ADD, ...set(R.K),
  ...get(R.NL), ...i32(1), I32_ADD, ...set(R.A),
  BR, 0,
  END, END,
  ...runStore(RUN_WORD.a, get(R.A)),
  ...runStore(RUN_WORD.lastA, get(R.LA)),
  ...runStore(RUN_WORD.lastNl, get(R.LN)),
  ...get(R.M),
  END,
];

const MODULE_BYTES = moduleBytes([
  { name: 'head', params: 3, body: headBody }, { name: 'run', params: 3, body: runBody }, { name: 'quick', params: 3, body: quickBody },
]);

type KernelFn = (a: number, b: number, c: number) => number;

/** The kernel on one newline kernel's memory; one an owner (a digest), which it resets when another used it. */
export class ErrorHeadKernel {
  private readonly headFn: KernelFn;
  private readonly runFn: KernelFn;
  private readonly quickFn: KernelFn;
  private readonly state: number;
  /** The words at state (W / 4). */
  readonly words: Int32Array;
  /** The last time bytes (19). */
  readonly timeBytes: Uint8Array;
  private readonly tailLengths: Int32Array;
  private readonly runAt: number;
  /** The run's words (RUN_WORD / 4). */
  private readonly runWords: Int32Array;
  /** Per tail slot: lines the last run counted there (the caller sets them back to 0). */
  readonly counts: Int32Array;
  /** The slots the last run counted in, in the order first seen (`touched` of them). */
  readonly touchedSlots: Int32Array;
  /** Per tail slot: 1 when the caller's values of the cached tail name a request (a run goes on over it), else 0. */
  readonly good: Uint8Array;

  private constructor(kernel: NewlineKernel, fns: { head: KernelFn; run: KernelFn; quick: KernelFn }) {
    this.headFn = fns.head;
    this.runFn = fns.run;
    this.quickFn = fns.quick;
    this.state = kernel.scratchAt + STATE_OFFSET;
    const buffer = kernel.memory.buffer;
    this.words = new Int32Array(buffer, this.state, W.msg / 4);
    this.timeBytes = new Uint8Array(buffer, this.state + W.time, 19);
    const tailsAt = this.state + STATE_BYTES;
    this.words[W.tails / 4] = tailsAt;
    this.tailLengths = new Int32Array(buffer, tailsAt, (TAIL_SLOTS * SLOT_BYTES) / 4);
    this.runAt = tailsAt + TAIL_SLOTS * SLOT_BYTES;
    this.runWords = new Int32Array(buffer, this.runAt, RUN_WORDS_BYTES / 4);
    const countsAt = this.runAt + RUN_WORDS_BYTES;
    this.counts = new Int32Array(buffer, countsAt, TAIL_SLOTS);
    this.touchedSlots = new Int32Array(buffer, countsAt + TAIL_SLOTS * 4, TAIL_SLOTS);
    this.good = new Uint8Array(buffer, countsAt + TAIL_SLOTS * 8, TAIL_SLOTS);
    const r = this.runWords;
    r[RUN_WORD.found / 4] = kernel.found.byteOffset;
    r[RUN_WORD.head / 4] = this.state;
    r[RUN_WORD.counts / 4] = countsAt;
    r[RUN_WORD.touched / 4] = countsAt + TAIL_SLOTS * 4;
    r[RUN_WORD.good / 4] = countsAt + TAIL_SLOTS * 8;
    this.reset();
  }

  /** The kernel on `kernel`'s memory (made once a kernel); null where WebAssembly is not available or it is off. */
  static create(kernel: NewlineKernel): ErrorHeadKernel | null {
    if (!made.has(kernel)) made.set(kernel, ErrorHeadKernel.make(kernel));
    return made.get(kernel) ?? null;
  }

  private static make(kernel: NewlineKernel): ErrorHeadKernel | null {
    if (SCRATCH_BYTES < ERROR_HEAD_SCRATCH) return null;
    const c = compile(MODULE_BYTES, 'error-head');
    if (!c) return null;
    try {
      const fns = new c.wasm.Instance(c.module, { env: { memory: kernel.memory } }).exports as { head: KernelFn; run: KernelFn; quick: KernelFn };
      return new ErrorHeadKernel(kernel, fns);
    } catch {
      return null;
    }
  }

  /** The user of the state now (a digest): the last time, message and tails are forgotten when it changes. */
  owner: object | undefined;

  /** Forgets the last time and message, every cached tail and what a run left. */
  reset(): void {
    this.words[W.timeSet / 4] = 0;
    this.words[W.msgLen / 4] = -1;
    for (let s = 0; s < TAIL_SLOTS; s++) this.tailLengths[(s * SLOT_BYTES) / 4] = 0;
    this.good.fill(0);
    this.counts.fill(0);
    this.runWords[RUN_WORD.touchedN / 4] = 0;
    this.runWords[RUN_WORD.pending / 4] = 0;
  }

  /**
   * head(a, end) on the kernel's own bytes: HEAD_NOT_PLAIN or HEAD_FLAG bits; the spans in `words`. The
   * line a run stopped at was read by it: its answer is given again (and its spans are still in `words`).
   */
  head(a: number, end: number): number {
    const r = this.runWords;
    if (r[RUN_WORD.pending / 4] !== 0) {
      r[RUN_WORD.pending / 4] = 0;
      if (r[RUN_WORD.pendingA / 4] === a && r[RUN_WORD.pendingEnd / 4] === end) return r[RUN_WORD.pendingFlags / 4] ?? HEAD_NOT_PLAIN;
    }
    return this.headFn(a, end, this.state);
  }

  /**
   * Reads the lines ending at found[k], … found[n - 1] (the newline kernel's `find` output), the first
   * starting at `a`, while each is one more record of the same time, message and a good cached tail:
   * at most `max` of them, none empty, past `end` or longer than `maxLine` bytes. Returns how many; their
   * slots' `counts` and `touched` list, and `lastA`/`lastNl`/`lastSlot` of the last one.
   */
  run(k: number, n: number, a: number, end: number, max: number, maxLine: number): number {
    const r = this.runWords;
    r[RUN_WORD.a / 4] = a;
    r[RUN_WORD.max / 4] = max;
    r[RUN_WORD.maxLine / 4] = maxLine;
    r[RUN_WORD.end / 4] = end;
    r[RUN_WORD.touchedN / 4] = 0;
    return this.runFn(k, n, this.runAt);
  }

  /** quick(a, end): the slot when `head` would answer exactly sameMessage | tailHit, else negative; changes nothing (`run` uses it; tests). */
  quick(a: number, end: number): number {
    return this.quickFn(a, end, this.state);
  }

  /** Slots of `touchedSlots` the last run filled. */
  get touched(): number {
    return this.runWords[RUN_WORD.touchedN / 4] ?? 0;
  }

  get lastA(): number {
    return this.runWords[RUN_WORD.lastA / 4] ?? 0;
  }

  get lastNl(): number {
    return this.runWords[RUN_WORD.lastNl / 4] ?? 0;
  }

  get lastSlot(): number {
    return this.runWords[RUN_WORD.lastSlot / 4] ?? 0;
  }
}

/** Slots of `words`. */
export const HEAD_WORD = { msgStart: W.msgStart / 4, msgEnd: W.msgEnd / 4, client: W.client / 4, server: W.server / 4, slot: W.slot / 4 } as const;

const made = new WeakMap<NewlineKernel, ErrorHeadKernel | null>();
