// Ciphertext container of docs/protocol.md §3: IV(12) ‖ AES-256-GCM ciphertext ‖ tag(16), AAD "hush/v1".
import { b64uDecode } from './b64u.js';
import { concatBytes, randomBytes, utf8Encode, type Bytes } from './bytes.js';
import { ProtocolError } from './errors.js';

export const IV_BYTES = 12;
export const TAG_BYTES = 16;
/** The smallest possible container: an IV and a tag around an empty plaintext. */
export const MIN_CONTAINER_BYTES = IV_BYTES + TAG_BYTES;
const AAD = utf8Encode('hush/v1');

/**
 * Encrypts `plaintext` into a container. A fresh random IV is used unless one is given; giving
 * one is only for test vectors.
 */
export async function sealContainer(encKey: CryptoKey, plaintext: Bytes, iv: Bytes = randomBytes(IV_BYTES)): Promise<Bytes> {
  if (iv.length !== IV_BYTES) throw new ProtocolError('invalid_input', 'the IV must be 12 bytes');
  const sealed = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: AAD, tagLength: TAG_BYTES * 8 },
    encKey,
    plaintext,
  );
  return concatBytes(iv, new Uint8Array(sealed));
}

const failed = (): ProtocolError =>
  new ProtocolError('decryption_failed', 'the secret could not be decrypted: the link is incomplete or wrong, or the data was altered');

/**
 * Decrypts a container. Every failure — bad encoding, too short, wrong key, altered bytes — throws
 * the same `decryption_failed` error, so the caller cannot tell them apart (no oracle).
 */
export async function openContainer(encKey: CryptoKey, container: string | Uint8Array): Promise<Bytes> {
  let bytes: Uint8Array;
  try {
    bytes = typeof container === 'string' ? b64uDecode(container) : container;
  } catch {
    throw failed();
  }
  if (bytes.length < MIN_CONTAINER_BYTES) throw failed();
  try {
    const plain = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, IV_BYTES), additionalData: AAD, tagLength: TAG_BYTES * 8 },
      encKey,
      bytes.slice(IV_BYTES),
    );
    return new Uint8Array(plain);
  } catch {
    throw failed();
  }
}
