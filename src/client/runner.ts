// The protocol operations the flows need, behind one interface, so that every flow is written
// once and runs wherever its caller wants the crypto to run: `inlineRunner` calls src/protocol
// directly (Node: the CLI and the library); the pages pass `workerRunner` (src/web/crypto.ts),
// which runs each operation in the page's crypto worker, off the main thread — PBKDF2 with 600 000+
// iterations, the proof-of-work and sealing 10 MiB would otherwise freeze the page. Every argument
// and result is structured-cloneable (bytes, plain objects, CryptoKeys), so the same calls cross a
// worker boundary unchanged: the link key, for one, crosses as its 32 bytes.
import type { PassphraseParams } from '../protocol/api.js';
import type { Bytes } from '../protocol/bytes.js';
import type { EnvelopeInput, OpenedEnvelope } from '../protocol/envelope.js';
import { checkRequestKey, generateRequesterKeys, openResponse, sealResponse, type EcdhKeys } from '../protocol/request.js';
import { openSecret, readAuth, readerKeys, sealSecret, type ReaderKeys, type SealOptions, type SealedSecret } from '../protocol/secret.js';
import { openStatelessFragment, sealStatelessLink, type StatelessOptions } from '../protocol/stateless.js';
import { solvePow, type PowChallenge } from './pow.js';

export interface CryptoRunner {
  /** The read-auth of a link key, for peek (§2). Cheap: HKDF only. */
  readAuth(key: Bytes): Promise<string>;
  /** What a reader sends and decrypts with; PBKDF2 when there is a passphrase (its parameters checked first). */
  readerKeys(key: Bytes, passphrase?: { passphrase: string; params: PassphraseParams }): Promise<ReaderKeys>;
  /** Decrypts a stored secret's container and decodes its envelope, enforcing the sealed expiry. */
  openSecret(encKey: CryptoKey, ciphertext: string, nowMs: number): Promise<OpenedEnvelope>;
  /** Draws a link key and seals a stored secret (§2–4). */
  seal(options: SealOptions): Promise<SealedSecret>;
  /** Makes a stateless link (§5). */
  sealStateless(origin: string, options: StatelessOptions): Promise<string>;
  /** Opens a stateless link's fragment (§5). */
  openStateless(fragment: string, options: { passphrase?: string; nowMs: number }): Promise<OpenedEnvelope>;
  /** Solves a proof-of-work challenge (§6, the human check). */
  solvePow(challenge: PowChallenge): Promise<string>;
  /** The requester's ECDH key pair (§7). */
  generateRequesterKeys(options: { extractable: boolean }): Promise<EcdhKeys>;
  /** The sender's check of the request's key and note against the link's fingerprint (§7). */
  checkRequestKey(fingerprint: Bytes, publicKey: string, note: string): Promise<Bytes>;
  /** Seals an answer to the requester's public key (§7). */
  sealResponse(publicKey: Bytes, input: EnvelopeInput): Promise<string>;
  /** Opens an answer with the requester's key pair (§7). */
  openResponse(keys: EcdhKeys, response: string, nowMs: number): Promise<OpenedEnvelope>;
}

/** The operations a flow uses: flows ask only for these, so a caller can see what runs where. */
export type Needs<K extends keyof CryptoRunner> = Pick<CryptoRunner, K>;

/**
 * The protocol called directly, in the caller's thread: for Node (CLI, library). Pages never
 * import this (it would put every protocol operation in every page's bundle).
 */
export const inlineRunner: CryptoRunner = {
  readAuth,
  readerKeys,
  openSecret,
  seal: sealSecret,
  sealStateless: sealStatelessLink,
  openStateless: openStatelessFragment,
  solvePow,
  generateRequesterKeys,
  checkRequestKey,
  sealResponse,
  openResponse,
};
