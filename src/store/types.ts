// The storage boundary. Every adapter implements this interface and passes the one contract suite
// in test/store.contract.test.ts. Times are Unix milliseconds, passed in by the caller so that
// tests can move the clock.

import type { RequestState, SecretState } from '../protocol/api.js';
import type { AuditEntry } from '../protocol/audit.js';

/**
 * Thrown by an adapter when its database cannot be reached or answered too slowly (connection
 * refused or lost, timeout, busy). The server answers 503 unavailable; callers may retry.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

export interface NewSecret {
  readonly id: string;
  /** The container bytes (docs/protocol.md §3). */
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
  /**
   * Verified recipients (docs/protocol.md §12): only someone who received a code at a listed
   * address can consume. Absent or null: anyone with the link, as before.
   */
  readonly gate?: Gate | null;
  /**
   * "My secrets": an opaque 32-byte key of the signed-in creator (HMAC of the identity provider's
   * subject, src/server/session.ts), never an address or a name. Absent or null: no owner.
   */
  readonly owner?: Uint8Array | null;
}

/** A secret as its owner's list shows it (metadata only; the manage hash stays on the server). */
export interface OwnedSecret {
  readonly id: string;
  /** For the server's own calls on the owner's behalf (status, history, revoke); never sent out. */
  readonly manageHash: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** As `status` says it: a pending secret past its expiry is 'expired'. */
  readonly state: SecretState;
  readonly viewsLeft: number;
  readonly restricted?: true;
}

/** What a restricted secret stores: keyed hashes of its recipients, never the addresses. */
export interface Gate {
  /** HMAC-SHA256 (32 bytes each) of every listed address and `@domain` (src/server/recipients.ts). */
  readonly recipients: readonly Uint8Array[];
  /** Wrong codes allowed before the secret is burned. */
  readonly attempts: number;
}

/** A code for a restricted secret (requestCode): its keyed hash and until when it is good. */
export interface NewCode {
  /** Hashes of the address asked for: the address itself and its `@domain` (either may be listed). */
  readonly candidates: readonly Uint8Array[];
  /** HMAC-SHA256 of the code (32 bytes); the code itself is never stored. */
  readonly codeHash: Uint8Array;
  readonly expiresAt: number;
  /** Most codes one secret may be sent in its life (the store counts them). */
  readonly maxSends: number;
}

export type CodeResult = 'listed' | 'not_listed' | 'not_found' | 'too_many';

export interface PeekInfo {
  readonly expiresAt: number;
  readonly viewsLeft: number;
  readonly passphrase: null | { readonly salt: string; readonly iterations: number };
  readonly notBefore: number | null;
  /** Present (true) only for a secret with a gate: the reader must ask for a code first. */
  readonly restricted?: true;
}

export type ConsumeResult =
  | { readonly ok: true; readonly ciphertext: Uint8Array; readonly viewsLeft: number }
  /** Missing, expired, consumed, revoked, burned or wrong auth: one answer for all. */
  | { readonly ok: false; readonly reason: 'not_found' }
  | { readonly ok: false; readonly reason: 'not_yet_available'; readonly notBefore: number }
  | { readonly ok: false; readonly reason: 'wrong_passphrase'; readonly attemptsLeft: number }
  /** A restricted secret consumed without a code: nothing changes, nothing is counted. */
  | { readonly ok: false; readonly reason: 'code_required' }
  /** A code that is not the secret's current one (wrong, expired or used): one attempt less; 0 burned it. */
  | { readonly ok: false; readonly reason: 'wrong_code'; readonly attemptsLeft: number };

export interface Quota {
  /** Most secrets holding ciphertext at once. */
  readonly maxSecrets: number;
  /** Most ciphertext bytes at once. */
  readonly maxBytes: number;
}

export interface StoreStats {
  /** Secrets still holding ciphertext, plus requests not yet picked up, cancelled or purged. */
  readonly liveSecrets: number;
  /** Ciphertext bytes of those secrets, plus each request's public key, note and response. */
  readonly storedBytes: number;
}

/** A request for a secret (docs/protocol.md §7). */
export interface NewRequest {
  readonly id: string;
  /** The requester's raw P-256 public key (65 bytes). */
  readonly publicKey: Uint8Array;
  /** Shown to the sender; not encrypted. At most 500 characters, may be empty. */
  readonly note: string;
  /** SHA-256 of the requester's bearer token; the token itself is never stored. */
  readonly tokenHash: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface RequestInfo {
  readonly publicKey: Uint8Array;
  readonly note: string;
  readonly expiresAt: number;
  readonly state: RequestState;
}

export interface RequestStatusInfo {
  readonly state: RequestState;
  readonly expiresAt: number;
}

/** Bytes a request counts against the quota before it is answered: its public key and note. */
export const requestSize = (r: Pick<NewRequest, 'publicKey' | 'note'>): number => r.publicKey.length + Buffer.byteLength(r.note, 'utf8');

export interface StatusInfo {
  readonly state: SecretState;
  readonly viewsLeft: number;
  readonly expiresAt: number;
  readonly consumedAt: number | null;
  /** Present (true) only for a secret with a gate (its recipients are not told: only hashes are kept). */
  readonly restricted?: true;
}

export * from './types-records.js';
import type { Delivery, DeliveryOutcome, Evidence, History, SealResult } from './types-records.js';

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
 * - A missing id and a wrong token take the same path, so timing does not tell them apart: where
 *   the adapter compares the token itself, a missing id reads a stand-in row of the same shape
 *   (SQLite and PostgreSQL keep one under the id '~', Redis's read script answers one) and the
 *   token is compared with its 32-byte hash; where one SQL statement or Lua script compares, both
 *   end alike inside it. Neither the ciphertext nor a response is read before the token matched.
 *
 * Verified recipients (a secret created with a `gate`, docs/protocol.md §12):
 * - `peek` and `status` say `restricted: true`; neither changes anything.
 * - `requestCode` is one atomic operation: after the token check (as `consume`'s: a wrong token,
 *   a missing, ended or expired secret, or one not yet available, is 'not_found'; a secret with
 *   no gate is 'not_found' too), 'too_many' once `maxSends` codes were stored for it; else, when
 *   one of `candidates` is among its recipients, it stores `codeHash` and `expiresAt` as the one
 *   current code (replacing any earlier), counts a send and answers 'listed'; when none is,
 *   changes nothing and answers 'not_listed'.
 * - `consume` of a secret with a gate checks, after the token, expiry and not-before checks and
 *   before the passphrase: no `code` given → 'code_required' (nothing changes); a code that is
 *   not the current one, or past its expiry, or none stored → 'wrong_code': one attempt less, and
 *   the one that leaves none burns the secret (erased, state 'burned', evidence 'burned', outbox
 *   'secret.burned', as a passphrase burn); the right code is used up by the consume that takes
 *   a view (each view needs a new code); a wrong passphrase after it leaves it current. Exactly as today for
 *   a secret without a gate, whatever `code` says. A restricted secret is never released without
 *   its current code: there is no path around the gate.
 *
 * Owners ("My secrets", a secret created with `owner`):
 * - `owned` returns the secrets created with that owner key that the store still holds (pending,
 *   or an ended secret's tombstone until its expiry's purge), newest first (createdAt descending, ties by id descending),
 *   at most `limit`; with `id`, only that secret (when it is that owner's). Changes nothing. A
 *   secret is never listed under any other key, and none without an owner is ever listed.
 *
 * Requests (a requester asks for a secret; the sender's answer is sealed to the requester's key):
 * - `answerRequest` is one atomic operation: among any number of concurrent callers at most one
 *   stores a response, and only while the request is open and unexpired.
 * - `pickupRequest` is one atomic operation: it checks the token, returns the response and erases
 *   the whole request in the same step, so exactly one caller ever gets the response.
 * - `cancelRequest` erases the whole request atomically. A request leaves no tombstone: picked up,
 *   cancelled and expired requests are simply gone (expired ones until `purge` deletes them, but
 *   no method returns them).
 * - `getRequest` and `requestStatus` change nothing.
 * - Quota: a request counts as one live item, with the bytes of its public key and note, from
 *   creation until it is picked up, cancelled or purged; a response adds its bytes, checked
 *   against `maxBytes` atomically with storing it.
 *
 * Evidence (docs/protocol.md §9; only when a call is given an `Evidence`):
 * - A secret created with evidence has an evidence record, filed under ref = SHA-256(id) (never
 *   the id in clear): its manage hash, SHA-256 of the ciphertext, its times, its state and views
 *   left, when it ended, until when it is kept (`retainUntil`), and its events (type, time and
 *   client class only). The record is written in the same atomic operation as the insert, and
 *   each later event in the same atomic operation as the state change it records (a read and the
 *   view it takes, a wrong passphrase and the attempt it costs, the burn, the revoke). A call
 *   that changes nothing (wrong token, missing id, not yet available, a second revoke) writes no
 *   event, on the same path as today: evidence is written only after the token matched.
 * - Events are never written for a secret that has no record, and no call but `create` makes one.
 * - At most MAX_EVENTS_PER_SECRET events are stored per record; later ones are only counted.
 * - `retainUntil` is expiresAt + retainMs at creation, and now + retainMs when the secret is read
 *   for the last time, burned or revoked. `purge` gives a record still pending when the secret
 *   expires its 'expired' event (at its expiry) and deletes records whose `retainUntil` has
 *   passed, events included; `history` answers until then, also after the secret's row itself
 *   was purged. A record is the secret's 'created' event itself; it and the later events are
 *   oldest first in `history`.
 * - Without `evidence` every call writes exactly what it wrote before the evidence layer existed.
 *
 * Outbox (only when a call is given `notify`):
 * - `consume` that takes a view writes 'secret.read' (views left after it), one that burns
 *   'secret.burned'; `revoke` that revokes a pending secret 'secret.revoked'; `purge` deleting a
 *   secret that expired unread 'secret.expired' (at its expiry) — each in the same atomic
 *   operation as its change, due at once. Without `notify` no outbox row is written.
 * - `claimDeliveries` atomically takes up to `limit` due rows (next attempt <= now, not dead) for
 *   `owner`: counts an attempt and makes them due again at now + leaseMs (the lease), so that two
 *   callers never get the same row while its lease runs, and a claim whose owner died is taken
 *   again after it. Oldest due first.
 * - `finishDelivery` acts only while `owner` still holds the claim (false otherwise): delivered
 *   deletes the row; a retry makes it due at `retryAt`; dead keeps it, without the secret's id,
 *   for DEAD_LETTER_MS (then `purge` deletes it at the end of a cycle).
 *
 * Audit trail (only events stored in an evidence record, so only calls given `evidence`):
 * - Each event stored in a record (the record's 'created' included; not those only counted past
 *   MAX_EVENTS_PER_SECRET) queues one pending entry {type, at, client} in the same atomic
 *   operation; nothing else goes into it.
 * - `sealAudit` is exclusive across processes: one caller at a time appends up to `limit` pending
 *   entries (oldest queued first) to the trail, each with the next seq (1, 2, … without gaps, never
 *   reused) and prev = the hash before it (AUDIT_GENESIS first), and deletes them from the queue —
 *   all in one atomic step; a caller that finds another sealing returns zeros. It then deletes up
 *   to `limit` entries from the start of the trail while the oldest has at + retainMs <= now. The
 *   head (last seq and hash) is kept when every entry is deleted, so the chain goes on.
 * - `readAudit` returns up to `limit` entries with seq > `since`, in seq order. Changes nothing.
 */
export interface Store {
  /**
   * Stores a new secret unless that would exceed the quota; the check and the insert are one
   * atomic operation, and a refusal touches nothing. Ids are chosen by the caller (128 random bits).
   */
  create(secret: NewSecret, quota: Quota, evidence?: Evidence): Promise<'created' | 'quota_exceeded'>;
  /** With `evidence`, a success (right token, live) also records 'opened'; the secret is not changed. */
  peek(id: string, verifier: Uint8Array, now: number, evidence?: Evidence): Promise<PeekInfo | null>;
  /**
   * With `evidence`, records 'read' (and updates the record's views left; the last view ends it),
   * or 'passphrase_failed' (and 'burned' when that burns it), atomically with the change.
   */
  consume(
    id: string,
    verifier: Uint8Array,
    proofVerifier: Uint8Array | null,
    now: number,
    evidence?: Evidence,
    notify?: boolean,
    code?: Uint8Array | null,
  ): Promise<ConsumeResult>;
  /** The owner's secrets (see the contract above). */
  owned(owner: Uint8Array, now: number, options: { limit: number; id?: string }): Promise<OwnedSecret[]>;
  /** Stores a code for a restricted secret when the address is listed (see the contract above). */
  requestCode(id: string, verifier: Uint8Array, code: NewCode, now: number): Promise<CodeResult>;
  status(id: string, manageHash: Uint8Array, now: number): Promise<StatusInfo | null>;
  /**
   * Erases the ciphertext and marks the secret revoked; false when the id or token is wrong. With
   * `evidence`, records 'revoked' when this call revoked it (not when it had ended already).
   */
  revoke(id: string, manageHash: Uint8Array, now: number, evidence?: Evidence, notify?: boolean): Promise<boolean>;
  /**
   * The reveal page of `id` was fetched (no token is known): records 'opened' when the id has an
   * evidence record and is still pending and unexpired; otherwise does nothing. Never makes a
   * record and never throws for a missing id. A missing or ended id costs one index lookup; a
   * pending one a write, so the caller should not make its answer wait for it (its duration
   * tells whether the id is pending).
   */
  touch(id: string, now: number, evidence: Evidence): Promise<void>;
  /**
   * The evidence of a secret (events oldest first) while it is kept (retainUntil > now) and the
   * manage hash matches; null otherwise — a missing record and a wrong token are the same answer,
   * on the same path. Changes nothing.
   */
  history(id: string, manageHash: Uint8Array, now: number): Promise<History | null>;
  /** Stores a new request unless that would exceed the quota (one atomic check-and-insert). */
  createRequest(request: NewRequest, quota: Quota): Promise<'created' | 'quota_exceeded'>;
  /** The request as the sender sees it; null when missing or expired (picked-up and cancelled ones are gone). */
  getRequest(id: string, now: number): Promise<RequestInfo | null>;
  /**
   * Stores the one response of an open, unexpired request. `not_found` when missing, expired or
   * already answered; `quota_exceeded` when the response would pass `maxBytes` (nothing changes).
   */
  answerRequest(id: string, ciphertext: Uint8Array, now: number, quota: Quota): Promise<'answered' | 'not_found' | 'quota_exceeded'>;
  /**
   * Returns the response once and erases the whole request in the same atomic step. Null when
   * missing, expired, not answered yet, or the token is wrong (all the same answer).
   */
  pickupRequest(id: string, tokenHash: Uint8Array, now: number): Promise<{ ciphertext: Uint8Array } | null>;
  /** Whether the request was answered; null when missing, expired or the token is wrong. Changes nothing. */
  requestStatus(id: string, tokenHash: Uint8Array, now: number): Promise<RequestStatusInfo | null>;
  /** Erases the whole request; false when missing, expired or the token is wrong. */
  cancelRequest(id: string, tokenHash: Uint8Array, now: number): Promise<boolean>;
  /**
   * Deletes up to `limit` rows whose original expiry has passed — secrets, tombstones and
   * requests — and ended evidence records whose retention has passed (with their events): how
   * many (`removed` counts an evidence record as one row, its events not at all), and how many of
   * them expired unread (a secret never consumed, a request never picked up; evidence records are
   * never counted there). A secret deleted while its evidence record is still pending expired
   * unread: the record gets its 'expired' event (at its expiry) and state in the same batch, not
   * counted. A batch smaller than `limit` ends the cycle (SQLite then checkpoints its WAL).
   */
  purge(now: number, limit: number, notify?: boolean): Promise<{ removed: number; expired: number }>;
  /** Claims due outbox rows for `owner` (see the contract above). */
  claimDeliveries(owner: string, now: number, limit: number, leaseMs: number): Promise<Delivery[]>;
  /** Ends `owner`'s claim of `eventId`; false when the claim is no longer its own (or the row is gone). */
  finishDelivery(eventId: string, owner: string, outcome: DeliveryOutcome, now: number): Promise<boolean>;
  /** Outbox rows waiting (due, scheduled or claimed) and dead-lettered ones. */
  outboxStats(): Promise<{ pending: number; dead: number }>;
  /** Chains pending audit entries onto the trail and prunes its start (see the contract above). */
  sealAudit(now: number, limit: number, retainMs: number): Promise<SealResult>;
  /** Entries of the audit trail after seq `since`, oldest first. */
  readAudit(since: number, limit: number): Promise<AuditEntry[]>;
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
