// The sender's and reader's steps for a stored secret (docs/protocol.md §2–4), without any I/O: callers
// carry the results over HTTP themselves.
import { b64uDecode, b64uEncode } from './b64u.js';
import { randomBytes, type Bytes } from './bytes.js';
import { MIN_CONTAINER_BYTES, openContainer, sealContainer } from './container.js';
import { decodeEnvelope, encodeEnvelope, envelopeSize, type EnvelopeFile, type EnvelopeInput, type OpenedEnvelope } from './envelope.js';
import { ProtocolError } from './errors.js';
import {
  DEFAULT_ITERATIONS,
  KEY_BYTES,
  SALT_BYTES,
  checkPassphraseParams,
  deriveLinkKeys,
  derivePassphraseKey,
  derivePassphraseKeys,
} from './keys.js';
import type { CreateRequest, PassphraseParams } from './api.js';

export interface SealOptions {
  message: string;
  /** Sealed expiry, Unix seconds (docs/protocol.md §4 "e"). */
  expiresAt?: number;
  /** Attachments, sealed in the same envelope (§4 "f"). */
  files?: readonly EnvelopeFile[];
  /** Optional second factor, shared apart from the link. */
  passphrase?: string;
  iterations?: number;
}

export interface SealedSecret {
  /** The link key; goes into the fragment, never to the server. */
  key: Bytes;
  /** The fields of the create request that come from the crypto. */
  body: Pick<CreateRequest, 'ciphertext' | 'verifier' | 'passphrase'>;
}

/** The container's size once `input` is sealed (what the server's HUSH_MAX_SIZE limits), without sealing it. */
export const sealedSize = (input: EnvelopeInput): number => envelopeSize(input) + MIN_CONTAINER_BYTES;

/** Encrypts a message for a stored secret. */
export async function sealSecret(options: SealOptions): Promise<SealedSecret> {
  const key = randomBytes(KEY_BYTES);
  const link = await deriveLinkKeys(key);
  const plaintext = encodeEnvelope({
    message: options.message,
    ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
    ...(options.files === undefined ? {} : { files: options.files }),
  });
  if (options.passphrase === undefined) {
    const container = await sealContainer(link.encKey, plaintext);
    return { key, body: { ciphertext: b64uEncode(container), verifier: b64uEncode(link.verifier), passphrase: null } };
  }
  const salt = randomBytes(SALT_BYTES);
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  const pk = await derivePassphraseKey(options.passphrase, salt, iterations);
  const pp = await derivePassphraseKeys(key, pk);
  const container = await sealContainer(pp.encKey, plaintext);
  return {
    key,
    body: {
      ciphertext: b64uEncode(container),
      verifier: b64uEncode(link.verifier),
      passphrase: { salt: b64uEncode(salt), iterations, verifier: b64uEncode(pp.proofVerifier) },
    },
  };
}

/** What a reader sends and uses to decrypt. */
export interface ReaderKeys {
  /** b64u(auth), for peek and consume. */
  auth: string;
  /** b64u(proof), for consume, when the secret has a passphrase. */
  passphraseProof?: string;
  encKey: CryptoKey;
}

/** Only the read-auth token, for peek (no PBKDF2 work). */
export async function readAuth(key: Bytes): Promise<string> {
  return b64uEncode((await deriveLinkKeys(key)).auth);
}

/**
 * Derives what a reader needs. With a passphrase, the salt and iterations come from the server's
 * peek answer and are checked against the protocol's bounds first.
 */
export async function readerKeys(
  key: Bytes,
  passphrase?: { passphrase: string; params: PassphraseParams; maxIterations?: number },
): Promise<ReaderKeys> {
  const link = await deriveLinkKeys(key);
  const auth = b64uEncode(link.auth);
  if (passphrase === undefined) return { auth, encKey: link.encKey };
  let salt: Bytes;
  try {
    salt = b64uDecode(passphrase.params.salt);
  } catch {
    throw new ProtocolError('unsafe_parameters', 'the passphrase salt is not valid');
  }
  checkPassphraseParams(salt, passphrase.params.iterations, passphrase.maxIterations);
  const pk = await derivePassphraseKey(passphrase.passphrase, salt, passphrase.params.iterations);
  const pp = await derivePassphraseKeys(key, pk);
  return { auth, passphraseProof: b64uEncode(pp.proof), encKey: pp.encKey };
}

/** Decrypts a container and decodes its envelope, enforcing the sealed expiry. */
export async function openSecret(encKey: CryptoKey, ciphertext: string, nowMs: number = Date.now()): Promise<OpenedEnvelope> {
  return decodeEnvelope(await openContainer(encKey, ciphertext), nowMs);
}
