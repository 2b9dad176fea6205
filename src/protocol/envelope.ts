// Plaintext envelope of docs/protocol.md §4: {"v":1,"m":message,"e"?:unixSeconds,"f"?:[files]}, and,
// when files are attached, their contents as raw bytes after the header (docs/protocol.md §4).
import { concatBytes, utf8DecodeStrict, utf8Encode, type Bytes } from './bytes.js';
import { ProtocolError } from './errors.js';

export const ENVELOPE_VERSION = 1;

/**
 * Most files one secret may carry (docs/protocol.md §4). A bound a reader can check before it cuts out or
 * writes anything: without it, a small envelope of many empty entries would make the CLI create
 * thousands of files and a page list thousands of downloads.
 */
export const MAX_FILES = 100;

/** The byte that ends the JSON header when a binary section follows (compact JSON never holds it). */
const NEWLINE = 0x0a;

/** A file carried in an envelope. `type` is what the sender's system said; readers never act on it. */
export interface EnvelopeFile {
  readonly name: string;
  readonly type: string;
  readonly content: Uint8Array;
}

export interface EnvelopeInput {
  readonly message: string;
  /** Expiry sealed inside the ciphertext, Unix seconds. */
  readonly expiresAt?: number;
  /** Attachments, in order. */
  readonly files?: readonly EnvelopeFile[];
}

/** What a reader gets out of a decrypted plaintext. */
export interface OpenedEnvelope {
  readonly message: string;
  /** Unix seconds, when the envelope carries "e". */
  readonly expiresAt: number | undefined;
  /** Attachments, in the sender's order (empty when none). */
  readonly files: readonly EnvelopeFile[];
  /** True when the plaintext was not an envelope and is shown as raw text (compatibility). */
  readonly raw: boolean;
}

interface Header {
  v: number;
  m: string;
  e?: number;
  f?: { n: string; t: string; s: number }[];
}

function header(input: EnvelopeInput): Header {
  const body: Header = { v: ENVELOPE_VERSION, m: input.message };
  if (input.expiresAt !== undefined) {
    if (!Number.isSafeInteger(input.expiresAt) || input.expiresAt < 0) {
      throw new ProtocolError('invalid_input', 'expiresAt must be whole Unix seconds');
    }
    body.e = input.expiresAt;
  }
  const files = input.files ?? [];
  if (files.length > MAX_FILES) throw new ProtocolError('invalid_input', `a secret carries at most ${String(MAX_FILES)} files`);
  if (files.length > 0) {
    body.f = files.map((file) => {
      if (typeof file.name !== 'string' || file.name === '') throw new ProtocolError('invalid_input', 'every file needs a name');
      return { n: file.name, t: file.type, s: file.content.length };
    });
  }
  return body;
}

/** The envelope's length in bytes, without building it (for size checks before encrypting). */
export function envelopeSize(input: EnvelopeInput): number {
  const files = input.files ?? [];
  const head = utf8Encode(JSON.stringify(header(input))).length;
  return files.length === 0 ? head : head + 1 + files.reduce((n, f) => n + f.content.length, 0);
}

export function encodeEnvelope(input: EnvelopeInput): Bytes {
  const head = utf8Encode(JSON.stringify(header(input)));
  const files = input.files ?? [];
  if (files.length === 0) return head;
  return concatBytes(head, Uint8Array.of(NEWLINE), ...files.map((f) => f.content));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Parses strict UTF-8 JSON into a versioned object ({"v": number, …}), or returns null. */
function versioned(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(utf8DecodeStrict(bytes));
    return isRecord(parsed) && typeof parsed.v === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

const malformed = (why: string): ProtocolError => new ProtocolError('malformed_envelope', why);

/** JSON whitespace only (another client may end its JSON with a newline). */
const blank = (bytes: Uint8Array): boolean => bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);

/** The files of "f" cut out of the binary section `rest` (null: there is none). */
function readFiles(f: unknown, rest: Uint8Array | null): EnvelopeFile[] {
  if (f === undefined) {
    if (rest !== null && !blank(rest)) throw malformed('the envelope has data after it but no file list');
    return [];
  }
  if (!Array.isArray(f)) throw malformed('the envelope file list is not valid');
  // Refused whole, before any entry is looked at: no reader writes the first 100 of 10 000.
  if (f.length > MAX_FILES) throw malformed(`the envelope lists more than ${String(MAX_FILES)} files`);
  const files: EnvelopeFile[] = [];
  let offset = 0;
  for (const entry of f as unknown[]) {
    if (!isRecord(entry)) throw malformed('an envelope file entry is not valid');
    const { n, t, s } = entry;
    if (typeof n !== 'string' || n === '' || typeof t !== 'string' || typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) {
      throw malformed('an envelope file entry is not valid');
    }
    if (rest === null || offset + s > rest.length) throw malformed('the envelope is shorter than its files');
    files.push({ name: n, type: t, content: rest.subarray(offset, offset + s) });
    offset += s;
  }
  if (offset !== (rest?.length ?? 0)) throw malformed('the envelope is longer than its files');
  return files;
}

/**
 * Decodes a plaintext and enforces its sealed expiry against `nowMs`.
 *
 * - A compact JSON header, a newline and a binary section: an envelope with files, whose sizes
 *   must add up to the section exactly.
 * - Otherwise the whole plaintext as JSON. Not an object with a numeric "v": raw text
 *   (compatibility with plain payloads).
 * - "v" greater than 1: `unsupported_version` (say so, do not guess).
 * - "v": 1 with "m" not a string, "e" not whole seconds or "f" not matching the bytes:
 *   `malformed_envelope`. We fail closed rather than fall back to raw text, so a damaged "e" can
 *   never switch expiry off.
 * - "e" reached: `expired`, carrying the expiry; neither message nor files are returned.
 */
export function decodeEnvelope(plaintext: Uint8Array, nowMs: number = Date.now()): OpenedEnvelope {
  const cut = plaintext.indexOf(NEWLINE);
  let parsed = cut < 0 ? null : versioned(plaintext.subarray(0, cut));
  let rest: Uint8Array | null = null;
  if (parsed !== null) {
    rest = plaintext.subarray(cut + 1);
  } else {
    parsed = versioned(plaintext);
    if (parsed === null) {
      let text: string;
      try {
        text = utf8DecodeStrict(plaintext);
      } catch {
        text = new TextDecoder().decode(plaintext);
      }
      return { message: text, expiresAt: undefined, files: [], raw: true };
    }
  }
  const { v, m, e, f } = parsed;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw malformed('the envelope version is not valid');
  if (v > ENVELOPE_VERSION) {
    throw new ProtocolError('unsupported_version', 'this secret was made by a newer version of Hush; update Hush to open it');
  }
  if (typeof m !== 'string') throw malformed('the envelope has no message');
  if (e !== undefined && (typeof e !== 'number' || !Number.isSafeInteger(e) || e < 0)) throw malformed('the envelope expiry is not valid');
  const files = readFiles(f, rest);
  if (e !== undefined && nowMs >= e * 1000) {
    throw new ProtocolError('expired', `this secret expired on ${new Date(e * 1000).toISOString()}`, { expiredAt: e });
  }
  return { message: m, expiresAt: e, files, raw: false };
}
