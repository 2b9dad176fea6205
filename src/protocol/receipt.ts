// Signed receipts (docs/protocol.md §10): what happened to a secret, as a small canonical JSON
// document signed by the server's Ed25519 key, which anyone can check offline with the server's
// public key. This module builds the payload and verifies a receipt; signing is the server's
// (src/server/receipts.ts, node:crypto), so no private key ever passes through code that pages run.
// Pure: WebCrypto only (Ed25519 and SHA-256), no I/O.
import { b64uDecode, b64uEncode } from './b64u.js';
import { utf8DecodeStrict, utf8Encode, type Bytes } from './bytes.js';
import { HushError, ProtocolError } from './errors.js';

export const RECEIPT_VERSION = 1;
export const RECEIPT_TYPE = 'hush.receipt';
/** Where a server publishes its receipt keys, below its origin (docs/protocol.md §10). */
export const RECEIPT_KEYS_PATH = '/.well-known/hush-receipts.json';
export const RECEIPT_ALG = 'Ed25519';
/** Raw Ed25519 public keys and seeds are 32 bytes, signatures 64. */
export const ED25519_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
const KID_PREFIX = 'ed25519:';
const KID = /^ed25519:[A-Za-z0-9_-]{22}$/;

/** Why a receipt does not verify. */
export type ReceiptErrorCode =
  /** Not a receipt file, or a signed payload that is not a v1 receipt. */
  | 'malformed_receipt'
  /** The signature does not match the payload under the key: the receipt was changed, or forged. */
  | 'bad_signature'
  /** The key given is not the one the receipt names (kid), or the server does not list that key. */
  | 'unknown_key';

export class ReceiptError extends HushError<ReceiptErrorCode> {
  override readonly name = 'ReceiptError';
}

export interface ReceiptEvent {
  /** An event type of docs/protocol.md §9 (`created`, `opened`, `read`, …). */
  readonly type: string;
  /** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
  readonly at: string;
  /** The client class of §9, or null for what the server itself did (expired). */
  readonly client: string | null;
}

export interface ReceiptSecret {
  /** b64u(SHA-256(UTF-8(id))): names the secret without its id. */
  readonly idHash: string;
  /** b64u(SHA-256(container as created)). */
  readonly ciphertextHash: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  /** pending, consumed, expired, revoked or burned (§6). */
  readonly state: string;
  /** When it was read for the last time, burned, revoked or expired; null while pending. */
  readonly endedAt: string | null;
  /** Events the server did not keep (beyond its per-secret limit). */
  readonly dropped: number;
}

export interface ReceiptPayload {
  readonly v: 1;
  readonly type: 'hush.receipt';
  /** The server's public URL (HUSH_PUBLIC_URL), or null when it has none. */
  readonly issuer: string | null;
  readonly kid: string;
  readonly issuedAt: string;
  readonly secret: ReceiptSecret;
  /** Oldest first. */
  readonly events: readonly ReceiptEvent[];
}

/** What the server returns and `hush receipt verify` reads. */
export interface ReceiptFile {
  /** The payload as canonical JSON text: the exact string that was signed. */
  readonly receipt: string;
  /** b64u of the 64-byte Ed25519 signature over UTF-8(receipt). */
  readonly signature: string;
  readonly kid: string;
}

/** One key of the well-known key set. */
export interface ReceiptKey {
  readonly kid: string;
  readonly alg: 'Ed25519';
  /** b64u of the raw 32-byte public key. */
  readonly publicKey: string;
  /** `current` signs new receipts; `retired` keys signed older ones and still verify them. */
  readonly status: 'current' | 'retired';
}

/** `/.well-known/hush-receipts.json`. */
export interface ReceiptKeySet {
  readonly keys: readonly ReceiptKey[];
}

/** What a receipt is made from: the store's history of the secret (src/store/types.ts `History`). */
export interface ReceiptSource {
  readonly state: string;
  /** Unix milliseconds, as every time below. */
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly endedAt: number | null;
  /** SHA-256 of the container as created (32 bytes). */
  readonly ciphertextHash: Uint8Array;
  readonly events: readonly { readonly type: string; readonly at: number; readonly client: string | null }[];
  readonly dropped: number;
}

export interface ReceiptInput {
  readonly id: string;
  readonly history: ReceiptSource;
  readonly issuer: string | null;
  readonly kid: string;
  readonly issuedAt: number;
}

const invalid = (message: string): ProtocolError => new ProtocolError('invalid_input', message);
const malformed = (message: string): ReceiptError => new ReceiptError('malformed_receipt', message);

/** Deepest nesting canonicalJson writes; a receipt has three levels. */
const MAX_DEPTH = 16;

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function write(value: unknown, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw invalid(`canonical JSON holds whole numbers only, not ${String(value)}`);
      return String(value === 0 ? 0 : value); // -0 is written 0
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (depth >= MAX_DEPTH) throw invalid('canonical JSON nested too deeply');
      if (Array.isArray(value)) return `[${value.map((x) => write(x, depth + 1)).join(',')}]`;
      if (!isPlainObject(value)) throw invalid('canonical JSON holds plain objects only');
      const keys = Object.keys(value).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${write(value[k], depth + 1)}`).join(',')}}`;
    }
    default:
      throw invalid(`canonical JSON cannot hold ${typeof value}`);
  }
}

/**
 * The canonical JSON text of a value (docs/protocol.md §10): no whitespace; object members sorted
 * by key (UTF-16 code units, as Array.prototype.sort orders strings); strings as JSON.stringify
 * writes them; whole numbers only (safe integers, no exponent, -0 as 0); no undefined, NaN,
 * infinities or fractions. It is RFC 8785 (JCS) for the values it accepts.
 * @throws ProtocolError `invalid_input` for anything it cannot write
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0);
}

const sha256 = async (bytes: Uint8Array): Promise<Bytes> => new Uint8Array(await crypto.subtle.digest('SHA-256', Uint8Array.from(bytes)));

/** The key id: `ed25519:` + b64u(first 16 bytes of SHA-256(raw 32-byte public key)). */
export async function keyIdOf(publicKeyRaw: Uint8Array): Promise<string> {
  if (publicKeyRaw.length !== ED25519_KEY_BYTES) throw invalid('an Ed25519 public key is 32 bytes');
  return KID_PREFIX + b64uEncode((await sha256(publicKeyRaw)).subarray(0, 16));
}

/** How a receipt names a secret: b64u(SHA-256(UTF-8(id))), so the receipt never holds the id. */
export async function receiptIdHash(id: string): Promise<string> {
  return b64uEncode(await sha256(utf8Encode(id)));
}

function iso(ms: number, what: string): string {
  if (!Number.isSafeInteger(ms)) throw invalid(`${what} is not a time in whole milliseconds`);
  return new Date(ms).toISOString();
}

/** The payload of a receipt for one secret's history (not yet signed; canonicalJson gives its text). */
export async function buildReceiptPayload(input: ReceiptInput): Promise<ReceiptPayload> {
  const h = input.history;
  if (!KID.test(input.kid)) throw invalid('not a receipt key id');
  if (h.ciphertextHash.length !== 32) throw invalid('the ciphertext hash is 32 bytes');
  if (!Number.isSafeInteger(h.dropped) || h.dropped < 0) throw invalid('dropped is a count');
  return {
    v: RECEIPT_VERSION,
    type: RECEIPT_TYPE,
    issuer: input.issuer,
    kid: input.kid,
    issuedAt: iso(input.issuedAt, 'issuedAt'),
    secret: {
      idHash: await receiptIdHash(input.id),
      ciphertextHash: b64uEncode(h.ciphertextHash),
      createdAt: iso(h.createdAt, 'createdAt'),
      expiresAt: iso(h.expiresAt, 'expiresAt'),
      state: h.state,
      endedAt: h.endedAt === null ? null : iso(h.endedAt, 'endedAt'),
      dropped: h.dropped,
    },
    events: h.events.map((e) => ({ type: e.type, at: iso(e.at, 'an event time'), client: e.client })),
  };
}

// Checking what comes from a file or a server: the shapes above, and nothing taken on trust.

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const isIso = (v: unknown): v is string => typeof v === 'string' && ISO.test(v) && Number.isFinite(Date.parse(v)) && new Date(Date.parse(v)).toISOString() === v;
const isHash = (v: unknown): v is string => typeof v === 'string' && v.length === 43 && isBytes(v, 32);
const isShortString = (v: unknown, max = 200): v is string => typeof v === 'string' && v.length <= max;

function isBytes(text: string, length: number): boolean {
  try {
    return b64uDecode(text).length === length;
  } catch {
    return false;
  }
}

/** A receipt file's three members, checked; `value` is the parsed JSON of the file. */
export function parseReceiptFile(value: unknown): ReceiptFile {
  if (!isRecord(value)) throw malformed('a receipt file is a JSON object');
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'kid,receipt,signature') throw malformed('a receipt file has exactly the members "receipt", "signature" and "kid"');
  const { receipt, signature, kid } = value;
  if (typeof receipt !== 'string' || typeof signature !== 'string' || typeof kid !== 'string') throw malformed('"receipt", "signature" and "kid" are strings');
  if (!KID.test(kid)) throw malformed('"kid" is not a receipt key id (ed25519:…)');
  if (!isBytes(signature, ED25519_SIGNATURE_BYTES)) throw malformed('"signature" is not the canonical base64url of 64 bytes');
  return { receipt, signature, kid };
}

/** A signed payload's text, checked: canonical JSON of a v1 receipt (unknown members allowed). */
export function parseReceiptPayload(text: string): ReceiptPayload {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed('the signed payload is not JSON');
  }
  if (!isRecord(value)) throw malformed('the signed payload is not a JSON object');
  if (value.type !== RECEIPT_TYPE) throw malformed(`the signed payload is not a Hush receipt (type is not "${RECEIPT_TYPE}")`);
  if (value.v !== RECEIPT_VERSION) {
    const v = typeof value.v === 'number' ? String(value.v) : 'unknown';
    throw malformed(`the receipt is of version ${v}; this client reads version ${String(RECEIPT_VERSION)}`);
  }
  let canonical: string;
  try {
    canonical = canonicalJson(value);
  } catch {
    canonical = '';
  }
  if (canonical !== text) throw malformed('the signed payload is not in canonical form');
  const s = value.secret;
  const ok =
    (value.issuer === null || isShortString(value.issuer, 2048)) &&
    typeof value.kid === 'string' &&
    KID.test(value.kid) &&
    isIso(value.issuedAt) &&
    isRecord(s) &&
    isHash(s.idHash) &&
    isHash(s.ciphertextHash) &&
    isIso(s.createdAt) &&
    isIso(s.expiresAt) &&
    isShortString(s.state) &&
    (s.endedAt === null || isIso(s.endedAt)) &&
    typeof s.dropped === 'number' &&
    s.dropped >= 0 &&
    Array.isArray(value.events) &&
    value.events.every((e: unknown) => isRecord(e) && isShortString(e.type) && isIso(e.at) && (e.client === null || isShortString(e.client)));
  if (!ok) throw malformed('the signed payload does not have the fields of a v1 receipt');
  return value as unknown as ReceiptPayload;
}

/**
 * Verifies a receipt against the raw public key of the server that signed it, and returns its
 * payload (docs/protocol.md §10, "Verifying"). The file is checked first, then that the key is the
 * one the receipt names, then the signature over the exact UTF-8 bytes of `receipt`, and only then
 * the payload, so a changed byte anywhere fails: as `bad_signature` in the payload or signature,
 * `unknown_key` in the key id, `malformed_receipt` where the file no longer parses.
 * @throws ReceiptError
 */
export async function verifyReceipt(file: unknown, publicKeyRaw: Uint8Array): Promise<ReceiptPayload> {
  const f = parseReceiptFile(file);
  if (publicKeyRaw.length !== ED25519_KEY_BYTES) throw new ReceiptError('unknown_key', 'an Ed25519 public key is 32 bytes');
  const kid = await keyIdOf(publicKeyRaw);
  if (kid !== f.kid) throw new ReceiptError('unknown_key', `the receipt was signed with key ${f.kid}, not with the key given (${kid})`);
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('raw', Uint8Array.from(publicKeyRaw), { name: RECEIPT_ALG }, false, ['verify']);
  } catch {
    throw new ReceiptError('unknown_key', 'the key given is not an Ed25519 public key');
  }
  const valid = await crypto.subtle.verify({ name: RECEIPT_ALG }, key, b64uDecode(f.signature), utf8Encode(f.receipt));
  if (!valid) throw new ReceiptError('bad_signature', 'the signature does not match: the receipt was changed after it was signed, or was not signed by this key');
  const payload = parseReceiptPayload(f.receipt);
  if (payload.kid !== f.kid) throw malformed('the signed payload names another key than the file');
  return payload;
}

/**
 * The key a server's well-known document lists under `kid`, checked: its id is recomputed from
 * the public key, so a document cannot file one key under another's id.
 * @throws ReceiptError `unknown_key` when it is not listed; `malformed_receipt` for a bad document
 */
export async function findReceiptKey(keySet: unknown, kid: string): Promise<{ publicKey: Bytes; status: 'current' | 'retired' }> {
  if (!isRecord(keySet) || !Array.isArray(keySet.keys)) throw malformed('the key document has no "keys" list');
  const listed: string[] = [];
  for (const k of keySet.keys as unknown[]) {
    if (!isRecord(k) || typeof k.kid !== 'string') continue;
    listed.push(k.kid);
    if (k.kid !== kid) continue;
    if (k.alg !== RECEIPT_ALG || typeof k.publicKey !== 'string' || !isBytes(k.publicKey, ED25519_KEY_BYTES) || (k.status !== 'current' && k.status !== 'retired')) {
      throw malformed(`the key document's entry for ${kid} is not an Ed25519 key with a status`);
    }
    const publicKey = b64uDecode(k.publicKey);
    if ((await keyIdOf(publicKey)) !== kid) throw new ReceiptError('unknown_key', `the key document files another key under ${kid}`);
    return { publicKey, status: k.status };
  }
  throw new ReceiptError('unknown_key', `the server does not list key ${kid}${listed.length === 0 ? '' : ` (it lists ${listed.slice(0, 5).join(', ')})`}`);
}

/** Strict UTF-8 text of a receipt file's bytes, or `malformed_receipt`. */
export function decodeReceiptText(bytes: Uint8Array): string {
  try {
    return utf8DecodeStrict(bytes);
  } catch {
    throw malformed('a receipt file is UTF-8 text');
  }
}
