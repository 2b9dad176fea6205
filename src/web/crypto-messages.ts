// Messages between the pages and the crypto worker. The slow steps — PBKDF2 with 600 000+
// iterations and the proof-of-work — run in the worker so the page stays responsive.
import type { PassphraseParams, CreateRequest } from '../protocol/api.js';
import type { PowChallenge } from '../client/pow.js';
import type { EnvelopeFile, OpenedEnvelope } from '../protocol/envelope.js';
import type { ProtocolErrorCode } from '../protocol/errors.js';

export type Job =
  | { op: 'pow'; challenge: PowChallenge }
  | { op: 'seal'; message: string; files: readonly EnvelopeFile[]; expiresAt: number; passphrase?: string }
  | { op: 'readerKeys'; key: string; passphrase: string; params: PassphraseParams }
  | { op: 'sealStateless'; origin: string; message: string; expiresAt: number; passphrase?: string }
  | { op: 'openStateless'; fragment: string; passphrase?: string; nowMs: number };

export interface Results {
  pow: string;
  seal: { key: string; body: Pick<CreateRequest, 'ciphertext' | 'verifier' | 'passphrase'> };
  readerKeys: { auth: string; passphraseProof?: string; encKey: CryptoKey };
  sealStateless: string;
  openStateless: OpenedEnvelope;
}

/** An error crossing the worker boundary; the page turns it back into the same class. */
export interface WireError {
  name: 'ProtocolError' | 'PowError' | 'Error';
  message: string;
  code?: ProtocolErrorCode;
  expiredAt?: number;
}

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };
