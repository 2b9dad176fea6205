// What crosses between the SQLite store and its writer thread (sqlite-engine.ts): the writes as
// plain data (rows bound positionally, one op each), and what a batch of them came to. The writes
// themselves are in sqlite-writer.ts.
import type { Quota } from './types.js';

/** A secret's row as the INSERT binds it, positionally (see `insert` below). */
export type SecretRow = readonly [
  id: string,
  ciphertext: Uint8Array,
  verifier: Uint8Array,
  manageHash: Uint8Array,
  ppSalt: string | null,
  ppIterations: number | null,
  ppVerifier: Uint8Array | null,
  ppAttemptsLeft: number | null,
  views: number,
  createdAt: number,
  expiresAt: number,
  notBefore: number | null,
  size: number,
];
/** A secret's evidence record as its INSERT binds it (see `insertEvidence` below). */
export type EvidenceRowIn = readonly [
  ref: Uint8Array,
  manageHash: Uint8Array,
  ciphertextHash: Uint8Array,
  createdAt: number,
  createdBy: string,
  expiresAt: number,
  viewsLeft: number,
  retainUntil: number,
];
/** What a write that records an event needs: the record's ref, the client's class, the retention. */
export interface EvidenceArg {
  readonly ref: Uint8Array;
  readonly client: string;
  readonly retainMs: number;
}
export type RequestRowIn = readonly [
  id: string,
  publicKey: Uint8Array,
  note: string,
  tokenHash: Uint8Array,
  createdAt: number,
  expiresAt: number,
  size: number,
];

export type WriteOp =
  /** `gate`: verified recipients (migration 9): the recipients' hashes concatenated, and the attempts. */
  | {
      readonly op: 'create';
      readonly row: SecretRow;
      readonly quota: Quota;
      readonly ev?: EvidenceRowIn;
      readonly gate?: readonly [recipients: Uint8Array, attempts: number];
      /** "My secrets" (migration 10): the creator's opaque key. */
      readonly owner?: Uint8Array;
    }
  | {
      readonly op: 'consume';
      readonly id: string;
      readonly verifier: Uint8Array;
      readonly proof: Uint8Array | null;
      readonly now: number;
      readonly ev?: EvidenceArg;
      readonly notify?: boolean;
      readonly code?: Uint8Array;
    }
  | {
      readonly op: 'requestCode';
      readonly id: string;
      readonly verifier: Uint8Array;
      readonly now: number;
      readonly candidates: readonly Uint8Array[];
      readonly codeHash: Uint8Array;
      readonly expiresAt: number;
      readonly maxSends: number;
    }
  | { readonly op: 'revoke'; readonly id: string; readonly manageHash: Uint8Array; readonly now: number; readonly ev?: EvidenceArg; readonly notify?: boolean }
  /** The reveal page was fetched: 'opened', only while the record is pending and unexpired. */
  | { readonly op: 'opened'; readonly ref: Uint8Array; readonly now: number; readonly client: string }
  | { readonly op: 'createRequest'; readonly row: RequestRowIn; readonly quota: Quota }
  | { readonly op: 'answer'; readonly id: string; readonly response: Uint8Array; readonly now: number; readonly quota: Quota }
  | { readonly op: 'pickup'; readonly id: string; readonly tokenHash: Uint8Array; readonly now: number }
  | { readonly op: 'cancel'; readonly id: string; readonly tokenHash: Uint8Array; readonly now: number }
  | { readonly op: 'useOnce'; readonly key: string; readonly expiresAt: number }
  | { readonly op: 'purge'; readonly now: number; readonly limit: number; readonly notify?: boolean }
  /** Outbox (migration 7): claim due rows; end a claim ('retry' and 'dead' at `at`). */
  | { readonly op: 'claim'; readonly owner: string; readonly now: number; readonly limit: number; readonly leaseMs: number }
  | { readonly op: 'finish'; readonly eventId: number; readonly owner: string; readonly outcome: 'delivered' | 'retry' | 'dead'; readonly at: number }
  /** Audit trail (migration 8): chain queued entries, prune the oldest (Store.sealAudit). */
  | { readonly op: 'seal'; readonly now: number; readonly limit: number; readonly retainMs: number };

/** A claimed outbox row as the claim returns it. */
export interface OutboxRow {
  event_id: number;
  type: string;
  secret_id: string;
  at: number;
  views_left: number;
  attempts: number;
}

/** What one purge batch did; `truncated` when it ended a cycle and the WAL was then truncated. */
export interface PurgeResult {
  removed: number;
  expired: number;
  truncated: boolean;
}

/** An error as plain data (it may cross a thread): its message and SQLite's result code. */
export interface Failure {
  readonly message: string;
  readonly code: string | undefined;
}
/** What one write came to: its value, or its error. */
export type Outcome = { readonly ok: true; readonly value: unknown } | ({ readonly ok: false } & Failure);
/** What a batch came to: each write's outcome, or — the BEGIN or the COMMIT failed — nothing stored. */
export type BatchResult = { readonly results: Outcome[] } | { readonly failed: Failure };

export interface Writer {
  /**
   * Runs a batch in one `BEGIN IMMEDIATE … COMMIT`, each write in its own savepoint (one that
   * throws is rolled back alone). Never throws. After a batch that ended a purge cycle, folds the
   * WAL back into the file.
   */
  run(batch: readonly WriteOp[]): BatchResult;
  /**
   * Whether a batch has erased ciphertext (a last read, a burn, a revoke, a request's pickup or
   * cancel) since the last call. secure_delete zeroes it in the page, but the WAL's older frames
   * of that page still hold it until the WAL is truncated (sqlite-engine.ts arranges that).
   */
  takeErased(): boolean;
  /**
   * Folds the WAL into the database file and truncates it to zero bytes, waiting at most
   * `busyMs` for other connections (readers, another process's writer); true when it completed.
   */
  truncateWal(busyMs: number): boolean;
}

