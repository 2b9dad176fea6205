// Key schedule of docs/protocol.md §2. Every key is derived from the 256-bit link key with HKDF-SHA256
// and a distinct label, so no derived value can stand in for another.
import { concatBytes, utf8Encode, type Bytes } from './bytes.js';
import { ProtocolError } from './errors.js';

export const KEY_BYTES = 32;
export const SALT_BYTES = 16;
/** Lower bound of PBKDF2 iterations (docs/protocol.md §2); servers reject fewer. */
export const MIN_ITERATIONS = 600_000;
/** Upper bound of PBKDF2 iterations (docs/protocol.md §2); servers reject more. */
export const MAX_ITERATIONS = 10_000_000;
/** What this client uses when it creates a passphrase-protected secret. */
export const DEFAULT_ITERATIONS = 600_000;

export const LABELS = {
  encryption: 'hush/v1 encryption',
  readAuth: 'hush/v1 read-auth',
  encryptionPassphrase: 'hush/v1 encryption+passphrase',
  passphraseProof: 'hush/v1 passphrase-proof',
  statelessPassphrase: 'hush/v1 stateless-passphrase',
  requestResponse: 'hush/v1 request-response',
} as const;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** HKDF-SHA256 with an empty salt and a 32-byte output (docs/protocol.md §1). */
export async function hkdf(ikm: Bytes, info: string): Promise<Bytes> {
  const base = await subtle().importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
  const bits = await subtle().deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8Encode(info) },
    base,
    KEY_BYTES * 8,
  );
  return new Uint8Array(bits);
}

export async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}

/** Imports 32 raw bytes as a non-extractable AES-256-GCM key. */
export async function importAesKey(raw: Bytes): Promise<CryptoKey> {
  return subtle().importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

function checkLinkKey(k: Uint8Array): void {
  if (k.length !== KEY_BYTES) throw new ProtocolError('invalid_input', 'the link key must be 32 bytes');
}

/** Values derived from the link key alone. */
export interface LinkKeys {
  /** Raw AES key bytes; exposed for test vectors, otherwise use `encKey`. */
  readonly enc: Bytes;
  readonly encKey: CryptoKey;
  /** Sent when reading; proves possession of the link. */
  readonly auth: Bytes;
  /** SHA-256(auth): the only key-derived value the server stores. */
  readonly verifier: Bytes;
}

export async function deriveLinkKeys(k: Bytes): Promise<LinkKeys> {
  checkLinkKey(k);
  const [enc, auth] = await Promise.all([hkdf(k, LABELS.encryption), hkdf(k, LABELS.readAuth)]);
  const [encKey, verifier] = await Promise.all([importAesKey(enc), sha256(auth)]);
  return { enc, encKey, auth, verifier };
}

/**
 * Checks passphrase parameters as a reader must: the server (or a link) chose them, and the
 * server is the adversary in Hush's model. Accepts exactly the bounds of docs/protocol.md §2.
 * @throws ProtocolError `unsafe_parameters`
 */
export function checkPassphraseParams(salt: Uint8Array, iterations: number, maxIterations = MAX_ITERATIONS): void {
  if (salt.length !== SALT_BYTES) {
    throw new ProtocolError('unsafe_parameters', `the passphrase salt must be ${SALT_BYTES} bytes`);
  }
  if (!Number.isSafeInteger(iterations) || iterations < MIN_ITERATIONS || iterations > Math.min(maxIterations, MAX_ITERATIONS)) {
    throw new ProtocolError(
      'unsafe_parameters',
      `refusing ${String(iterations)} PBKDF2 iterations (accepted: ${MIN_ITERATIONS}…${Math.min(maxIterations, MAX_ITERATIONS)})`,
    );
  }
}

/** `pk = PBKDF2-HMAC-SHA256(UTF-8(NFC(p)), s, n, 32 bytes)` (docs/protocol.md §2). */
export async function derivePassphraseKey(passphrase: string, salt: Bytes, iterations: number): Promise<Bytes> {
  checkPassphraseParams(salt, iterations);
  const base = await subtle().importKey('raw', utf8Encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, KEY_BYTES * 8);
  return new Uint8Array(bits);
}

/** Values derived from the link key and the passphrase key together. */
export interface PassphraseKeys {
  readonly enc: Bytes;
  readonly encKey: CryptoKey;
  /** Sent when consuming; proves knowledge of the passphrase. */
  readonly proof: Bytes;
  /** SHA-256(proof): stored by the server. */
  readonly proofVerifier: Bytes;
}

export async function derivePassphraseKeys(k: Bytes, pk: Bytes): Promise<PassphraseKeys> {
  checkLinkKey(k);
  const ikm = concatBytes(k, pk);
  const [enc, proof] = await Promise.all([hkdf(ikm, LABELS.encryptionPassphrase), hkdf(ikm, LABELS.passphraseProof)]);
  const [encKey, proofVerifier] = await Promise.all([importAesKey(enc), sha256(proof)]);
  return { enc, encKey, proof, proofVerifier };
}

/** Encryption key of a passphrase-keyed stateless link (docs/protocol.md §5). */
export async function deriveStatelessPassphraseKey(pk: Bytes): Promise<{ enc: Bytes; encKey: CryptoKey }> {
  const enc = await hkdf(pk, LABELS.statelessPassphrase);
  return { enc, encKey: await importAesKey(enc) };
}
