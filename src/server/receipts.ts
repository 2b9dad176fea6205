// The server's receipt key (docs/protocol.md §10): an Ed25519 key that signs receipts, published
// with its retired predecessors at /.well-known/hush-receipts.json. The key is the 32-byte seed
// of HUSH_RECEIPT_KEY; without it, on a SQLite file, the seed is made once beside the database
// (receipt.key, as pow.key: src/server/keys.ts) and read from there afterwards; on PostgreSQL or
// Redis without it, each process makes its own, so receipts verify against that instance's keys
// only while it runs (docs/deploy.md recommends setting it there).
//
// Signing is node:crypto's Ed25519 (deterministic, RFC 8032): the private key never leaves this
// process. Building the payload and verifying are src/protocol/receipt.ts, the same code the CLI runs.
import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { dirname } from 'node:path';
import { b64uDecode, b64uEncode } from '../protocol/b64u.js';
import {
  buildReceiptPayload,
  canonicalJson,
  ED25519_KEY_BYTES,
  keyIdOf,
  RECEIPT_ALG,
  type ReceiptFile,
  type ReceiptInput,
  type ReceiptKey,
  type ReceiptKeySet,
} from '../protocol/receipt.js';
import type { StoreSpec } from '../store/index.js';
import { keyFromFile } from './keys.js';

/** PKCS#8 DER of an Ed25519 private key, up to the 32-byte seed that follows (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The settings the signer is made from (src/server/config.ts holds them as receiptKey, receiptRetiredKeys). */
export interface ReceiptSettings {
  /** HUSH_RECEIPT_KEY: b64u of the 32-byte Ed25519 seed; '' = kept beside a SQLite file, else one per process. */
  readonly receiptKey: string;
  /** HUSH_RECEIPT_RETIRED_KEYS: b64u raw public keys of earlier keys, still published as retired. */
  readonly receiptRetiredKeys: readonly string[];
  readonly store: StoreSpec;
}

/** Where the key came from, for the start-up log. */
export type ReceiptKeySource = { readonly kind: 'setting' } | { readonly kind: 'file'; readonly path: string; readonly created: boolean } | { readonly kind: 'process' };

function decodeExactly(raw: string, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = b64uDecode(raw.trim());
  } catch {
    throw new Error(`${what} is not base64url (unpadded, with - and _)`);
  }
  if (bytes.length !== ED25519_KEY_BYTES) throw new Error(`${what} must be 32 bytes (43 base64url characters), not ${String(bytes.length)}`);
  return bytes;
}

/**
 * HUSH_RECEIPT_KEY's parser for the settings table: '' or the base64url of a 32-byte seed, e.g.
 * `openssl rand 32 | basenc --base64url | tr -d =`. Returns the text unchanged (trimmed).
 */
export function parseReceiptKey(raw: string): string {
  const text = raw.trim();
  if (text !== '') decodeExactly(text, 'the receipt key');
  return text;
}

/** HUSH_RECEIPT_RETIRED_KEYS's parser: a comma list of base64url raw Ed25519 public keys. */
export function parseRetiredKeys(raw: string): string[] {
  const keys = raw
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  for (const k of keys) decodeExactly(k, `the retired receipt key ${k.slice(0, 12)}…`);
  return keys;
}

const privateKeyFromSeed = (seed: Uint8Array): KeyObject =>
  createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });

/** The raw 32-byte public key of an Ed25519 key (the JWK's `x`). */
function rawPublicKey(key: KeyObject): Uint8Array {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  return b64uDecode(jwk.x ?? '');
}

export class ReceiptSigner {
  readonly #key: KeyObject;
  /** `ed25519:…` of the current key. */
  readonly kid: string;
  readonly publicKeyRaw: Uint8Array;
  readonly source: ReceiptKeySource;
  readonly #retired: readonly ReceiptKey[];

  private constructor(key: KeyObject, kid: string, publicKeyRaw: Uint8Array, retired: readonly ReceiptKey[], source: ReceiptKeySource) {
    this.#key = key;
    this.kid = kid;
    this.publicKeyRaw = publicKeyRaw;
    this.#retired = retired;
    this.source = source;
  }

  /** A signer for the 32-byte seed, publishing `retired` (raw public keys) beside it. */
  static async fromSeed(seed: Uint8Array, retired: readonly Uint8Array[] = [], source: ReceiptKeySource = { kind: 'setting' }): Promise<ReceiptSigner> {
    if (seed.length !== ED25519_KEY_BYTES) throw new Error('an Ed25519 seed is 32 bytes');
    const key = privateKeyFromSeed(seed);
    const publicKeyRaw = rawPublicKey(key);
    const kid = await keyIdOf(publicKeyRaw);
    const seen = new Set([kid]);
    const old: ReceiptKey[] = [];
    for (const pub of retired) {
      const id = await keyIdOf(pub);
      if (seen.has(id)) continue; // the current key, or listed twice
      seen.add(id);
      old.push({ kid: id, alg: RECEIPT_ALG, publicKey: b64uEncode(pub), status: 'retired' });
    }
    return new ReceiptSigner(key, kid, publicKeyRaw, old, source);
  }

  /**
   * The signer the settings describe: the seed of HUSH_RECEIPT_KEY; else, on a SQLite file, the one
   * kept in receipt.key beside it (made on first start); else a new key for this process.
   */
  static async fromConfig(settings: ReceiptSettings): Promise<ReceiptSigner> {
    const retired = settings.receiptRetiredKeys.map((k) => decodeExactly(k, 'a retired receipt key'));
    if (settings.receiptKey !== '') return ReceiptSigner.fromSeed(decodeExactly(settings.receiptKey, 'HUSH_RECEIPT_KEY'), retired, { kind: 'setting' });
    if (settings.store.kind === 'sqlite' && settings.store.path !== ':memory:') {
      const kept = keyFromFile(dirname(settings.store.path), 'receipt');
      const seed = decodeExactly(kept.key, `${kept.path} (remove it to have a new key made, or set HUSH_RECEIPT_KEY)`);
      return ReceiptSigner.fromSeed(seed, retired, { kind: 'file', path: kept.path, created: kept.created });
    }
    return ReceiptSigner.fromSeed(randomBytes(ED25519_KEY_BYTES), retired, { kind: 'process' });
  }

  /** b64u of the Ed25519 signature over the UTF-8 bytes of `payload`. */
  sign(payload: string): string {
    return b64uEncode(sign(null, Buffer.from(payload, 'utf8'), this.#key));
  }

  /** The receipt file for a payload text (canonical JSON, made by issue() or by hand in tests). */
  file(payload: string): ReceiptFile {
    return { receipt: payload, signature: this.sign(payload), kid: this.kid };
  }

  /**
   * A signed receipt of one secret's history. `text` is the file as canonical JSON, what the
   * manage link's receipt route sends (application/json) and what `hush receipt verify` reads.
   */
  async issue(input: Omit<ReceiptInput, 'kid'>): Promise<{ file: ReceiptFile; text: string }> {
    const payload = await buildReceiptPayload({ ...input, kid: this.kid });
    const file = this.file(canonicalJson(payload));
    return { file, text: canonicalJson(file) };
  }

  /** The document served at /.well-known/hush-receipts.json: the current key, then the retired ones. */
  wellKnown(): ReceiptKeySet {
    return { keys: [{ kid: this.kid, alg: RECEIPT_ALG, publicKey: b64uEncode(this.publicKeyRaw), status: 'current' }, ...this.#retired] };
  }
}
