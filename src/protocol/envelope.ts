// Plaintext envelope of PROTOCOL §4: {"v":1,"m":message,"e"?:unixSeconds}.
import { utf8DecodeStrict, utf8Encode, type Bytes } from './bytes.js';
import { ProtocolError } from './errors.js';

export const ENVELOPE_VERSION = 1;

export interface EnvelopeInput {
  readonly message: string;
  /** Expiry sealed inside the ciphertext, Unix seconds. */
  readonly expiresAt?: number;
}

/** What a reader gets out of a decrypted plaintext. */
export interface OpenedEnvelope {
  readonly message: string;
  /** Unix seconds, when the envelope carries "e". */
  readonly expiresAt: number | undefined;
  /** True when the plaintext was not an envelope and is shown as raw text (compatibility). */
  readonly raw: boolean;
}

export function encodeEnvelope(input: EnvelopeInput): Bytes {
  const body: { v: number; m: string; e?: number } = { v: ENVELOPE_VERSION, m: input.message };
  if (input.expiresAt !== undefined) {
    if (!Number.isSafeInteger(input.expiresAt) || input.expiresAt < 0) {
      throw new ProtocolError('invalid_input', 'expiresAt must be whole Unix seconds');
    }
    body.e = input.expiresAt;
  }
  return utf8Encode(JSON.stringify(body));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Decodes a plaintext and enforces its sealed expiry against `nowMs`.
 *
 * - Not a JSON object with a numeric "v": raw text (compatibility with plain payloads).
 * - "v" greater than 1: `unsupported_version` (say so, do not guess).
 * - "v": 1 with "m" not a string or "e" not whole seconds: `malformed_envelope`. We fail closed
 *   here rather than fall back to raw text, so a damaged "e" can never switch expiry off.
 * - "e" reached: `expired`, carrying the expiry; the message is not returned at all.
 */
export function decodeEnvelope(plaintext: Uint8Array, nowMs: number = Date.now()): OpenedEnvelope {
  let text: string;
  try {
    text = utf8DecodeStrict(plaintext);
  } catch {
    return { message: new TextDecoder().decode(plaintext), expiresAt: undefined, raw: true };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { message: text, expiresAt: undefined, raw: true };
  }
  if (!isRecord(parsed) || typeof parsed.v !== 'number') {
    return { message: text, expiresAt: undefined, raw: true };
  }
  const { v, m, e } = parsed;
  if (!Number.isInteger(v) || v < 1) throw new ProtocolError('malformed_envelope', 'the envelope version is not valid');
  if (v > ENVELOPE_VERSION) {
    throw new ProtocolError('unsupported_version', 'this secret was made by a newer version of Hush; update Hush to open it');
  }
  if (typeof m !== 'string') throw new ProtocolError('malformed_envelope', 'the envelope has no message');
  if (e !== undefined && (typeof e !== 'number' || !Number.isSafeInteger(e) || e < 0)) {
    throw new ProtocolError('malformed_envelope', 'the envelope expiry is not valid');
  }
  if (e !== undefined && nowMs >= e * 1000) {
    throw new ProtocolError('expired', `this secret expired on ${new Date(e * 1000).toISOString()}`, { expiredAt: e });
  }
  return { message: m, expiresAt: e, raw: false };
}
