// Strict base64url without padding (docs/protocol.md §1). Written out by hand because neither atob nor
// Buffer is strict: both accept padding, whitespace or non-canonical trailing bits.
import { ProtocolError } from './errors.js';
import type { Bytes } from './bytes.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

const CODES = Uint8Array.from(ALPHABET, (ch) => ch.charCodeAt(0));
/** Below this many bytes, building the string directly is cheaper than a TextDecoder call. */
const SMALL = 1024;

/** Encodes bytes as base64url without padding. */
export function b64uEncode(bytes: Uint8Array): string {
  if (bytes.length < SMALL) return encodeSmall(bytes);
  // Large inputs (files): write ASCII codes into a buffer and decode it once — about 40 times
  // faster for 10 MiB than growing a string four characters at a time.
  const full = bytes.length - (bytes.length % 3);
  const out = new Uint8Array((full / 3) * 4 + (bytes.length - full === 0 ? 0 : bytes.length - full + 1));
  let o = 0;
  for (let i = 0; i < full; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[n >> 18]!;
    out[o++] = CODES[(n >> 12) & 63]!;
    out[o++] = CODES[(n >> 6) & 63]!;
    out[o++] = CODES[n & 63]!;
  }
  const tail = encodeSmall(bytes.subarray(full));
  for (let k = 0; k < tail.length; k++) out[o++] = tail.charCodeAt(k);
  return new TextDecoder().decode(out);
}

/** Character codes of one small encoding, turned into a string at once (no I/O: never shared). */
const SCRATCH = new Uint16Array(Math.ceil((SMALL * 4) / 3));

// One string made from the codes: appending four characters at a time made a new string at each
// step (about 1.6 KB of garbage for the two tokens of a create; docs/performance.md).
function encodeSmall(bytes: Uint8Array): string {
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    SCRATCH[o++] = CODES[n >> 18]!;
    SCRATCH[o++] = CODES[(n >> 12) & 63]!;
    SCRATCH[o++] = CODES[(n >> 6) & 63]!;
    SCRATCH[o++] = CODES[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    SCRATCH[o++] = CODES[n >> 18]!;
    SCRATCH[o++] = CODES[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    SCRATCH[o++] = CODES[n >> 18]!;
    SCRATCH[o++] = CODES[(n >> 12) & 63]!;
    SCRATCH[o++] = CODES[(n >> 6) & 63]!;
  }
  return String.fromCharCode.apply(null, SCRATCH.subarray(0, o) as unknown as number[]);
}

/**
 * Decodes base64url without padding. Rejects padding, `+`, `/`, whitespace, a length of 1 mod 4
 * and non-zero trailing bits, so that every accepted string is the canonical encoding of its bytes.
 * @throws ProtocolError `invalid_input`
 */
export function b64uDecode(text: string): Bytes {
  const len = text.length;
  if (len % 4 === 1) throw new ProtocolError('invalid_input', 'invalid base64url length');
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) throw new ProtocolError('invalid_input', 'invalid base64url character');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero, or two different strings would decode to the same bytes.
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) {
    throw new ProtocolError('invalid_input', 'non-canonical base64url');
  }
  return out;
}

/** True when `text` is canonical base64url of exactly `byteLength` bytes. */
export function isB64uOfLength(text: string, byteLength: number): boolean {
  try {
    return b64uDecode(text).length === byteLength;
  } catch {
    return false;
  }
}

/** Characters of the unpadded base64url text of `byteLength` bytes. */
export const b64uLength = (byteLength: number): number => Math.ceil((byteLength * 4) / 3);
