// Split secrets, k of n (docs/protocol.md §15): what a share secret holds and how it is bound to
// its vault. Pure: the Shamir arithmetic itself is an audited library's (src/client/split.ts);
// this module only defines the share record, its envelope and the commitment to the vault's key.
import { b64uDecode, b64uEncode } from './b64u.js';
import { utf8DecodeStrict, utf8Encode, type Bytes } from './bytes.js';
import type { EnvelopeFile, OpenedEnvelope } from './envelope.js';
import { ProtocolError } from './errors.js';
import { KEY_BYTES, hkdf } from './keys.js';
import { isValidId } from './links.js';

export const SPLIT_VERSION = 1;
/** Fewest and most shares of one secret (k and n): 2 ≤ k ≤ n ≤ 10 (§15). */
export const MIN_SHARES = 2;
export const MAX_SHARES = 10;
/** A Shamir share of the 32-byte vault key: one byte per key byte, then its x coordinate. */
export const SHARE_BYTES = KEY_BYTES + 1;
/** HKDF label of the commitment, distinct from every label of §2 so it stands for no other key. */
export const SPLIT_COMMITMENT_LABEL = 'hush/v1 split-commitment';
/** The one file a share secret's envelope carries: the share record (§15). */
export const SHARE_FILE_TYPE = 'application/vnd.hush.share+json';

/** One share, as sealed in its share secret (§15). */
export interface ShareRecord {
  /** The vault's id: the stored secret holding the content, sealed under the key the shares rebuild. */
  readonly vault: string;
  /** Shares needed (threshold) and shares made. */
  readonly k: number;
  readonly n: number;
  /** This share's number, 1 … n, as the sender labelled it. */
  readonly index: number;
  /** The Shamir share of the vault key (SHARE_BYTES; the last byte is its x coordinate). */
  readonly share: Bytes;
  /** HKDF(vault key, SPLIT_COMMITMENT_LABEL): lets a combiner check the rebuilt key before using it. */
  readonly commitment: Bytes;
}

const invalid = (why: string): ProtocolError => new ProtocolError('invalid_input', why);
const malformed = (why: string): ProtocolError => new ProtocolError('malformed_envelope', why);

/** @throws ProtocolError `invalid_input` unless 2 ≤ k ≤ n ≤ 10 */
export function checkSplitCounts(k: number, n: number): void {
  if (!Number.isSafeInteger(k) || !Number.isSafeInteger(n) || k < MIN_SHARES || n > MAX_SHARES || k > n) {
    throw invalid(`a split needs 2 ≤ k ≤ n ≤ ${String(MAX_SHARES)} (k shares of n open it)`);
  }
}

/** The commitment to the vault key: one-way (HKDF of a 256-bit key), so it reveals nothing usable. */
export const splitCommitment = (vaultKey: Bytes): Promise<Bytes> => hkdf(vaultKey, SPLIT_COMMITMENT_LABEL);

/** The share's x coordinate, which names it in Shamir's scheme: two shares with one x are one share. */
export const shareX = (record: ShareRecord): number => record.share[SHARE_BYTES - 1]!;

/** The record as JSON, members in a fixed order, so a vector can be reproduced byte for byte. */
export function encodeShareRecord(r: ShareRecord): Bytes {
  checkSplitCounts(r.k, r.n);
  if (!isValidId(r.vault)) throw invalid('the vault id is not valid');
  if (!Number.isSafeInteger(r.index) || r.index < 1 || r.index > r.n) throw invalid('the share index must be 1 … n');
  if (r.share.length !== SHARE_BYTES || r.commitment.length !== KEY_BYTES) throw invalid('a share is 33 bytes and its commitment 32');
  return utf8Encode(JSON.stringify({ v: SPLIT_VERSION, vault: r.vault, k: r.k, n: r.n, i: r.index, x: b64uEncode(r.share), c: b64uEncode(r.commitment) }));
}

function bytesOf(value: unknown, length: number, what: string): Bytes {
  let bytes: Bytes;
  try {
    bytes = b64uDecode(typeof value === 'string' ? value : '!');
  } catch {
    throw malformed(`the share's ${what} is not valid`);
  }
  if (bytes.length !== length) throw malformed(`the share's ${what} has the wrong length`);
  return bytes;
}

/**
 * Parses a share record strictly: any member missing, of the wrong type or out of bounds is
 * `malformed_envelope` (a damaged share must never be taken for a good one); a newer `v` is
 * `unsupported_version`.
 */
export function decodeShareRecord(bytes: Uint8Array): ShareRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8DecodeStrict(bytes));
  } catch {
    throw malformed('the share record is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed('the share record is not an object');
  const { v, vault, k, n, i, x, c } = parsed as Record<string, unknown>;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw malformed('the share record has no version');
  if (v > SPLIT_VERSION) throw new ProtocolError('unsupported_version', 'this share was made by a newer version of Hush; update Hush to combine it');
  if (typeof vault !== 'string' || !isValidId(vault)) throw malformed("the share's vault id is not valid");
  const whole = (a: unknown): a is number => typeof a === 'number' && Number.isSafeInteger(a);
  if (!whole(k) || !whole(n) || k < MIN_SHARES || n > MAX_SHARES || k > n) throw malformed("the share's k and n are not valid");
  if (!whole(i) || i < 1 || i > n) throw malformed("the share's index is not valid");
  const share = bytesOf(x, SHARE_BYTES, 'bytes');
  if (share[SHARE_BYTES - 1] === 0) throw malformed("the share's x coordinate is not valid"); // x = 0 would be the key itself
  return { vault, k, n, index: i, share, commitment: bytesOf(c, KEY_BYTES, 'commitment') };
}

/**
 * What a share secret's envelope (§4) holds: a message for whoever opens it with a client that
 * does not know split secrets, and the record as its one file.
 */
export function shareEnvelopeInput(r: ShareRecord): { message: string; files: EnvelopeFile[] } {
  return {
    message: `This is share ${String(r.index)} of ${String(r.n)} of a secret split with Hush. On its own it reveals nothing: any ${String(r.k)} shares together open the secret (hush combine LINK…). The attached file is this share.`,
    files: [{ name: `hush-share-${String(r.index)}-of-${String(r.n)}.json`, type: SHARE_FILE_TYPE, content: encodeShareRecord(r) }],
  };
}

/** The record of an opened share secret. @throws ProtocolError `malformed_envelope` (no share in it), `unsupported_version` */
export function shareFromEnvelope(opened: OpenedEnvelope): ShareRecord {
  const [file, ...more] = opened.files;
  if (opened.raw || file === undefined || more.length > 0 || file.type !== SHARE_FILE_TYPE) throw malformed('this secret holds no share of a split secret');
  return decodeShareRecord(file.content);
}
