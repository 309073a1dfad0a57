// Makes text from logs, headers and pages safe to print: no control byte reaches a terminal or a ticket raw.

// C0 controls but tab, DEL, C1 controls, the Unicode line/paragraph separators, and the bidi marks,
// embeddings, overrides and isolates (which reorder what a reader sees).
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Each unsafe character as a visible escape (`\x1b`, `\u202e`); everything else unchanged. */
export function escapeControls(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    if (n === 0x0a) return '\\n';
    if (n === 0x0d) return '\\r';
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

// What JSON.stringify leaves raw (it escapes only C0): DEL, C1, separators and bidi controls.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A JSON document (2-space indent) in which no string carries a raw control or bidi character: they
 * are `\uXXXX` escapes, so the text is safe on a terminal and parses to exactly the same values.
 */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `escapeControls` on every string inside `value` (object keys too), for a report that prints any of them. */
export function escapeDeep<T>(value: T): T {
  return escapeAny(value) as T;
}

function escapeAny(value: unknown): unknown {
  if (typeof value === 'string') return escapeControls(value);
  if (Array.isArray(value)) return value.map(escapeAny);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [escapeControls(k), escapeAny(v)]));
}
