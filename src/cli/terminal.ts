// Text from elsewhere on a terminal. A secret, a note, a server's version or error message may hold
// control characters, and a terminal acts on them: ESC sequences set the window title, clear the
// screen, write the clipboard (OSC 52) or hide a link behind other words (OSC 8); C1 characters
// (U+0080–U+009F, e.g. U+009B, a one-character CSI) do the same on some terminals; DEL and a lone
// CR rub out what was shown; bidirectional overrides make text read differently from its bytes.
// Here each such character is written out visibly instead (ESC as \x1b, U+009B as \u009b), so
// a terminal shows it rather than obeying it.

// C0, DEL, C1, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
// U+2066–U+2069). The bidi marks (U+200E, U+200F, U+061C) are left alone: right-to-left text
// needs them and they reorder nothing around them.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is matched
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: number, width: number): string => c.toString(16).padStart(width, '0');

/** ESC as `\x1b`, DEL as `\x7f`, U+009B as `\u009b`, U+202E as `\u202e`. */
const escape = (ch: string): string => {
  const c = ch.codePointAt(0)!;
  return c < 0x80 ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`;
};

export interface Shown {
  /** The text with every unsafe character written out visibly. */
  text: string;
  /** How many characters were written out. */
  count: number;
}

/**
 * Multi-line text (a secret, a note) made safe for a terminal: newline, tab, and a CR right before
 * a newline (Windows line ends) stay; every other control or bidi character is written out.
 */
export function visible(text: string): Shown {
  let count = 0;
  const shown = text.replace(UNSAFE, (ch, offset: number) => {
    if (ch === '\n' || ch === '\t' || (ch === '\r' && text[offset + 1] === '\n')) return ch;
    count++;
    return escape(ch);
  });
  return { text: shown, count };
}

/**
 * One line for a message or a value (a server's error message, version, link, views left):
 * newlines, CRs and tabs become single spaces, anything else unsafe is written out.
 */
export function oneLine(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(UNSAFE, escape)
    .replace(/ {2,}/g, ' ')
    .trim();
}

// JSON.stringify already escapes C0; these it leaves as they are.
const JSON_UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * A value as one line of JSON that is also safe on a terminal: DEL, C1 and bidi characters (which
 * JSON.stringify leaves raw) become `\uXXXX` escapes. They can only occur inside strings, and the
 * escape means the same character to any JSON reader, so nothing is lost: `--json` stays exact.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(JSON_UNSAFE, (ch) => `\\u${hex(ch.codePointAt(0)!, 4)}`)}\n`;
}

/** "3 control characters". */
export const controlCharacters = (n: number): string => `${String(n)} control character${n === 1 ? '' : 's'}`;
