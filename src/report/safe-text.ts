// Makes text from logs, headers and pages safe to print: no control byte reaches a terminal or a ticket raw.

// C0 controls but tab, DEL, C1 controls, and the Unicode line/paragraph separators and bidi overrides.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

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
