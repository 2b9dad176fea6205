// The storage boundary. Every adapter implements this interface and passes the one contract suite
// in test/store.contract.test.ts. Times are Unix milliseconds, passed in by the caller so that
// tests can move the clock.

import type { SecretState } from '../protocol/api.js';

/**
 * Thrown by an adapter when its database cannot be reached or answered too slowly (connection
 * refused or lost, timeout, busy). The server answers 503 unavailable; callers may retry.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export interface NewSecret {
  readonly id: string;
  /** The container bytes (PROTOCOL §3). */
  readonly ciphertext: Uint8Array;
  /** SHA-256(auth) as sent by the creator. */
  readonly verifier: Uint8Array;
  /** SHA-256(manageToken); the token itself is never stored. */
  readonly manageHash: Uint8Array;
  readonly passphrase: null | {
    readonly salt: string;
    readonly iterations: number;
    /** SHA-256(proof). */
    readonly verifier: Uint8Array;
    /** Wrong proofs allowed before the secret is burned. */
    readonly attempts: number;
  };
  readonly views: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly notBefore: number | null;
}

export interface PeekInfo {
  readonly expiresAt: number;
  readonly viewsLeft: number;
  readonly passphrase: null | { readonly salt: string; readonly iterations: number };
  readonly notBefore: number | null;
}

export type ConsumeResult =
  | { readonly ok: true; readonly ciphertext: Uint8Array; readonly viewsLeft: number }
  /** Missing, expired, consumed, revoked, burned or wrong auth: one answer for all. */
  | { readonly ok: false; readonly reason: 'not_found' }
  | { readonly ok: false; readonly reason: 'not_yet_available'; readonly notBefore: number }
  | { readonly ok: false; readonly reason: 'wrong_passphrase'; readonly attemptsLeft: number };

export interface Quota {
  /** Most secrets holding ciphertext at once. */
  readonly maxSecrets: number;
  /** Most ciphertext bytes at once. */
  readonly maxBytes: number;
}

export interface StoreStats {
  readonly liveSecrets: number;
  readonly storedBytes: number;
}

export interface StatusInfo {
  readonly state: SecretState;
  readonly viewsLeft: number;
  readonly expiresAt: number;
  readonly consumedAt: number | null;
}

/**
 * A store of encrypted secrets.
 *
 * Atomicity contract (what every adapter guarantees, across processes sharing the store):
 * - `consume` is one atomic operation: it checks the verifier, the expiry, `notBefore` and the
 *   passphrase proof, takes one view, and erases the ciphertext when it takes the last view or
 *   burns the secret — all or nothing. Among any number of concurrent callers exactly `views`
 *   succeed in total, and no caller sees the ciphertext after it was erased.
 * - `revoke` erases the ciphertext atomically with the state change.
 * - `peek` and `status` change nothing.
 * - Once `consume` has erased a secret, or it is revoked or burned, its row keeps only state (a
 *   tombstone, no ciphertext) until the original expiry, when `purge` deletes it.
 * - Nothing with `expiresAt <= now` is ever returned by `peek` or `consume`.
 * - A missing id and a wrong token take the same path (a comparison of fixed-length hashes
 *   against a dummy), so timing does not tell them apart.
 */
export interface Store {
  /**
   * Stores a new secret unless that would exceed the quota; the check and the insert are one
   * atomic operation, and a refusal touches nothing. Ids are chosen by the caller (128 random bits).
   */
  create(secret: NewSecret, quota: Quota): Promise<'created' | 'quota_exceeded'>;
  peek(id: string, verifier: Uint8Array, now: number): Promise<PeekInfo | null>;
  consume(id: string, verifier: Uint8Array, proofVerifier: Uint8Array | null, now: number): Promise<ConsumeResult>;
  status(id: string, manageHash: Uint8Array, now: number): Promise<StatusInfo | null>;
  /** Erases the ciphertext and marks the secret revoked; false when the id or token is wrong. */
  revoke(id: string, manageHash: Uint8Array, now: number): Promise<boolean>;
  /**
   * Deletes up to `limit` rows whose original expiry has passed: how many, and how many of them
   * expired unread. A batch smaller than `limit` ends the cycle (SQLite then checkpoints its WAL).
   */
  purge(now: number, limit: number): Promise<{ removed: number; expired: number }>;
  /**
   * Records `key` as used until `expiresAt`; true the first time, false on every later call
   * (atomic across processes). Used to refuse replayed proof-of-work solutions.
   */
  useOnce(key: string, expiresAt: number): Promise<boolean>;
  /** Live secrets and stored bytes (secrets that still hold ciphertext). */
  stats(): Promise<StoreStats>;
  /** Resolves when the store answers; rejects when it does not (readiness). */
  ping(): Promise<void>;
  /** Releases connections and files. Idempotent. */
  close(): Promise<void>;
}
