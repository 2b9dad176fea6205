// The records a store keeps beside its secrets, and what its calls are given to write them:
// evidence (a secret's history), the webhook outbox and the operators' audit trail. Split out of
// types.ts, which re-exports everything here; the contract is in types.ts.
import type { SecretState } from '../protocol/api.js';
import type { AuditEntry } from '../protocol/audit.js';

// Evidence (docs/protocol.md §9): what happened to a secret, kept after it is gone. Events carry
// a time and a coarse class of the client only — never an address, a user agent, a token, any
// ciphertext or the id in clear (they are filed under SHA-256 of the id).

export const EVENT_TYPES = ['created', 'opened', 'read', 'passphrase_failed', 'burned', 'revoked', 'expired'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** A coarse, non-identifying class of the client that caused an event (src/server/client-class.ts). */
export const CLIENT_CLASSES = ['browser', 'link-preview', 'scanner', 'cli', 'api', 'unknown'] as const;
export type ClientClass = (typeof CLIENT_CLASSES)[number];

/** Most events kept for one secret; later ones are counted in `dropped`, not stored. */
export const MAX_EVENTS_PER_SECRET = 64;

export interface SecretEvent {
  readonly type: EventType;
  readonly at: number;
  /** Null for events the server itself causes (expired). */
  readonly client: ClientClass | null;
}

/**
 * Given to a state-changing call when the evidence layer is on (HUSH_AUDIT=on, the default):
 * the adapter then writes the call's event in the same atomic operation as the state change.
 * Absent (HUSH_AUDIT=off): nothing of the kind is written, exactly as before.
 */
export interface Evidence {
  readonly client: ClientClass;
  /** How long, in ms, the evidence outlives the secret's end (HUSH_AUDIT_RETENTION). */
  readonly retainMs: number;
}

/**
 * What the manage link sees of a secret, while its evidence is kept: from its creation until
 * `retainMs` after it ended (read for the last time, burned or revoked: from that moment; expired:
 * from its expiry), also after the secret's own row is purged.
 */
export interface History {
  /** As `status` says it: a pending secret past its expiry is 'expired' (endedAt = expiresAt). */
  readonly state: SecretState;
  /** Views left while pending; 0 once it has ended (as StatusInfo). */
  readonly viewsLeft: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** When it was read for the last time, burned, revoked or expired; null while pending. */
  readonly endedAt: number | null;
  /** SHA-256 of the container as created (the receipt names it). */
  readonly ciphertextHash: Uint8Array;
  /** Oldest first. */
  readonly events: readonly SecretEvent[];
  /** Events not stored because the secret had MAX_EVENTS_PER_SECRET already. */
  readonly dropped: number;
}

// Outbox (read notifications, docs/operations.md "Read notifications"): when the server has
// webhooks configured it passes `notify` to the calls that end or read a secret, and the adapter
// then writes one outbox row per event in the same atomic operation as the state change. A
// delivery loop in every process claims due rows, POSTs them, and finishes them. Independent of
// `evidence`: HUSH_AUDIT=off with webhooks still notifies.

export const OUTBOX_EVENT_TYPES = ['secret.read', 'secret.burned', 'secret.revoked', 'secret.expired'] as const;
export type OutboxEventType = (typeof OUTBOX_EVENT_TYPES)[number];

/** How long a dead-lettered delivery is kept (without its secret's id) so an operator can count it. */
export const DEAD_LETTER_MS = 7 * 24 * 3_600_000;

/** One claimed outbox row. */
export interface Delivery {
  /** The idempotency key (x-hush-event-id): unique in the store, the same on every attempt. */
  readonly eventId: string;
  readonly type: OutboxEventType;
  /** The secret's id (deleted from the row once delivered or dead-lettered). */
  readonly secretId: string;
  readonly at: number;
  readonly viewsLeft: number;
  /** Attempts made, this claim's included (1 on the first). */
  readonly attempts: number;
}

/** How a claimed delivery ended: sent, to be tried again at `retryAt`, or given up. */
export type DeliveryOutcome = 'delivered' | { readonly retryAt: number } | 'dead';

// Audit trail (docs/protocol.md §11): every event the evidence layer stores is also queued, in the
// same atomic operation, as a pending audit entry (its type, time and client class — nothing that
// names the secret). `sealAudit` chains pending entries onto the one append-only trail of the
// store; `readAudit` exports it.

/** An entry of the audit trail, as src/protocol/audit.ts defines it. */
export type { AuditEntry };

/** What one `sealAudit` did. */
export interface SealResult {
  /** Pending entries chained onto the trail. */
  readonly sealed: number;
  /** Old entries deleted from the start of the trail. */
  readonly pruned: number;
}
