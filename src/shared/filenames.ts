// What a received file may be called on disk or in a download: the sender chose the name, so it is
// treated as hostile. Pure, shared by the pages and the CLI.

/** Longest name we write, in UTF-16 units: well under every file system's 255-byte limit once encoded. */
export const MAX_FILE_NAME = 120;

// Control characters, and the bidirectional overrides that make "gpj.exe" look like "exe.jpg".
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A safe file name for `name`: no directory part (either slash), no control or bidi characters,
 * no trailing dots or spaces, not `.` or `..`, at most MAX_FILE_NAME units with the extension
 * kept. Leading dots stay (`.env` is what people share). Empty results become `fallback`.
 */
export function safeFileName(name: string, fallback = 'file'): string {
  let base = name.replace(UNSAFE, '');
  base = base.slice(Math.max(base.lastIndexOf('/'), base.lastIndexOf('\\')) + 1);
  base = base.trim().replace(/[. ]+$/, '');
  if (base === '' || base === '.' || base === '..') return fallback;
  if (base.length > MAX_FILE_NAME) {
    const dot = base.lastIndexOf('.');
    const ext = dot > 0 && base.length - dot <= 16 ? base.slice(dot) : '';
    base = base.slice(0, MAX_FILE_NAME - ext.length) + ext;
  }
  // Half a character (a cut surrogate pair, or one sent that way) cannot be written to disk.
  return base.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '') || fallback;
}

/** `name (1).ext`, `name (2).ext`, … for the n-th alternative to a name already taken. */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (${String(n)})${name.slice(dot)}` : `${name} (${String(n)})`;
}

/** Bytes in binary units for people: 999 B, 1.5 KiB, 10.0 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${String(n)} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 ** 2).toFixed(1)} MiB`;
}
