// Requests (docs/protocol.md §7): the requester's client makes an ECDH P-256 key pair and sends
// the public key to the server; the request link carries a fingerprint of that key (and of the
// note) in its fragment, so the sender's client detects a key the server swapped. The sender
// seals the secret to the public key with an ephemeral key pair (ECDH + HKDF + the usual
// AES-256-GCM container and envelope); only the requester's private key opens it.
import { b64uDecode, b64uEncode } from './b64u.js';
import { bytesEqual, concatBytes, utf8Encode, type Bytes } from './bytes.js';
import { MIN_CONTAINER_BYTES, openContainer, sealContainer } from './container.js';
import { decodeEnvelope, encodeEnvelope, type EnvelopeInput, type OpenedEnvelope } from './envelope.js';
import { ProtocolError } from './errors.js';
import { KEY_BYTES, LABELS, hkdf, importAesKey, sha256 } from './keys.js';
import { FINGERPRINT_BYTES } from './links.js';

/** An uncompressed P-256 point: 0x04 ‖ x(32) ‖ y(32). */
export const PUBLIC_KEY_BYTES = 65;
/** The requester's bearer token (status, pickup, cancel): 32 random bytes chosen by the server. */
export const REQUEST_TOKEN_BYTES = 32;
/** Longest note, in characters (code points). */
export const MAX_NOTE_LENGTH = 500;
/** The smallest possible response: an ephemeral public key and an empty container. */
export const MIN_RESPONSE_BYTES = PUBLIC_KEY_BYTES + MIN_CONTAINER_BYTES;

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

/** An ECDH P-256 key pair: the private key as a WebCrypto key, the public key as its 65 raw bytes. */
export interface EcdhKeys {
  readonly privateKey: CryptoKey;
  readonly publicKey: Bytes;
}

/**
 * Makes the requester's key pair. `extractable: false` in the browser (the private key can be
 * kept in IndexedDB but never read out); `true` where it must be written to a file (the CLI).
 */
export async function generateRequesterKeys(options: { extractable: boolean }): Promise<EcdhKeys> {
  const pair = await subtle().generateKey(ECDH, options.extractable, ['deriveBits']);
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle().exportKey('raw', pair.publicKey)) };
}

/** The private key as a JWK (`{kty:"EC", crv:"P-256", d, x, y}`), for a key file. Needs an extractable key. */
export async function exportRequesterKeys(keys: EcdhKeys): Promise<JsonWebKey> {
  const jwk = await subtle().exportKey('jwk', keys.privateKey);
  return { kty: jwk.kty!, crv: jwk.crv!, d: jwk.d!, x: jwk.x!, y: jwk.y! };
}

/**
 * Imports a key pair from the JWK of its private key (as `exportRequesterKeys` wrote it). The
 * private key comes back non-extractable.
 * @throws ProtocolError `invalid_input`
 */
export async function importRequesterKeys(jwk: JsonWebKey): Promise<EcdhKeys> {
  const bad = (): ProtocolError => new ProtocolError('invalid_input', 'the private key is not a P-256 key');
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw bad();
  let x: Bytes;
  let y: Bytes;
  try {
    x = b64uDecode(jwk.x);
    y = b64uDecode(jwk.y);
  } catch {
    throw bad();
  }
  if (x.length !== 32 || y.length !== 32) throw bad();
  try {
    const privateKey = await subtle().importKey('jwk', { kty: 'EC', crv: 'P-256', d: jwk.d, x: jwk.x, y: jwk.y }, ECDH, false, ['deriveBits']);
    return { privateKey, publicKey: concatBytes(new Uint8Array([4]), x, y) };
  } catch {
    throw bad();
  }
}

/** True when `raw` has the shape of an uncompressed P-256 point (length and leading 0x04); the curve is checked on import. */
export const isPublicKeyShape = (raw: Uint8Array): boolean => raw.length === PUBLIC_KEY_BYTES && raw[0] === 4;

/**
 * Imports a raw public key, checking that it is an uncompressed point on P-256.
 * @throws ProtocolError `invalid_input`
 */
export async function importPublicKey(raw: Bytes): Promise<CryptoKey> {
  const bad = (): ProtocolError => new ProtocolError('invalid_input', 'the public key is not an uncompressed P-256 point');
  if (!isPublicKeyShape(raw)) throw bad();
  try {
    return await subtle().importKey('raw', raw, ECDH, true, []);
  } catch {
    throw bad();
  }
}

/**
 * The fingerprint in a request link's fragment: the first 16 bytes of
 * SHA-256(public key ‖ UTF-8(note)). The public key has a fixed length, so the concatenation is
 * unambiguous; covering the note too means the server can change neither without the sender's
 * client noticing. With an empty note it is SHA-256(public key) truncated.
 */
export async function requestFingerprint(publicKey: Bytes, note: string): Promise<Bytes> {
  return (await sha256(concatBytes(publicKey, utf8Encode(note)))).slice(0, FINGERPRINT_BYTES);
}

/**
 * The sender's check of what the server returned against the link's fingerprint. Returns the
 * public key bytes to seal to.
 * @throws ProtocolError `key_mismatch` (nothing may be sent), `invalid_input` (not a P-256 point)
 */
export async function checkRequestKey(fingerprint: Uint8Array, publicKeyB64u: string, note: string): Promise<Bytes> {
  let publicKey: Bytes;
  try {
    publicKey = b64uDecode(publicKeyB64u);
  } catch {
    publicKey = new Uint8Array(0);
  }
  if (fingerprint.length !== FINGERPRINT_BYTES || !bytesEqual(await requestFingerprint(publicKey, note), fingerprint)) {
    throw new ProtocolError(
      'key_mismatch',
      'the public key or note the server gave for this request does not match the link: it was swapped or altered, so nothing was sent',
    );
  }
  await importPublicKey(publicKey);
  return publicKey;
}

/** The response key: `enc = HKDF(Z ‖ E_pub ‖ R_pub, "hush/v1 request-response")`, Z = ECDH shared secret (32 bytes). */
export interface ResponseKey {
  /** Raw values, exposed for test vectors. */
  readonly shared: Bytes;
  readonly enc: Bytes;
  readonly encKey: CryptoKey;
}

/**
 * Derives the response key from one side's private key and the other side's public key.
 * `ephemeralPublic` and `requesterPublic` are the raw keys of both sides, in that order whichever
 * side is deriving.
 */
export async function deriveResponseKey(ownPrivate: CryptoKey, peerPublic: CryptoKey, ephemeralPublic: Bytes, requesterPublic: Bytes): Promise<ResponseKey> {
  const shared = new Uint8Array(await subtle().deriveBits({ name: 'ECDH', public: peerPublic }, ownPrivate, KEY_BYTES * 8));
  const enc = await hkdf(concatBytes(shared, ephemeralPublic, requesterPublic), LABELS.requestResponse);
  return { shared, enc, encKey: await importAesKey(enc) };
}

/**
 * Seals a message to a requester's public key: `b64u(E_pub ‖ container)`, E a fresh ephemeral key
 * pair. `testing` fixes the ephemeral key pair and the IV, for test vectors only.
 */
export async function sealResponse(requesterPublic: Bytes, input: EnvelopeInput, testing?: { ephemeral: EcdhKeys; iv: Bytes }): Promise<string> {
  const peer = await importPublicKey(requesterPublic);
  let ephemeral = testing?.ephemeral;
  if (ephemeral === undefined) {
    const pair = await subtle().generateKey(ECDH, false, ['deriveBits']);
    ephemeral = { privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle().exportKey('raw', pair.publicKey)) };
  }
  const key = await deriveResponseKey(ephemeral.privateKey, peer, ephemeral.publicKey, requesterPublic);
  const plaintext = encodeEnvelope(input);
  const container = testing === undefined ? await sealContainer(key.encKey, plaintext) : await sealContainer(key.encKey, plaintext, testing.iv);
  return b64uEncode(concatBytes(ephemeral.publicKey, container));
}

const failed = (): ProtocolError =>
  new ProtocolError('decryption_failed', 'the response could not be decrypted: it was made for another key, or the data was altered');

/**
 * Opens a response with the requester's key pair and decodes its envelope, enforcing the sealed
 * expiry. Every failure to decrypt — bad encoding, too short, a bad ephemeral key, another key
 * pair, altered bytes — is the one error `decryption_failed`.
 */
export async function openResponse(keys: EcdhKeys, response: string, nowMs: number = Date.now()): Promise<OpenedEnvelope> {
  let bytes: Bytes;
  try {
    bytes = b64uDecode(response);
  } catch {
    throw failed();
  }
  if (bytes.length < MIN_RESPONSE_BYTES) throw failed();
  const ephemeralPublic = bytes.slice(0, PUBLIC_KEY_BYTES);
  let key: ResponseKey;
  try {
    key = await deriveResponseKey(keys.privateKey, await importPublicKey(ephemeralPublic), ephemeralPublic, keys.publicKey);
  } catch {
    throw failed();
  }
  let plaintext: Bytes;
  try {
    plaintext = await openContainer(key.encKey, bytes.slice(PUBLIC_KEY_BYTES));
  } catch {
    throw failed();
  }
  return decodeEnvelope(plaintext, nowMs);
}
