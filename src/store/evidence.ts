// What every adapter shares of the evidence layer (docs/protocol.md §9; the contract is in
// types.ts): the record as an adapter reads it back, and how it becomes the History the manage
// link sees. Where and how it is stored is each adapter's (sqlite-migrations.ts,
// postgres-migrations.ts, redis-scripts.ts).
import type { SecretState } from '../protocol/api.js';
import type { ClientClass, EventType, History, SecretEvent } from './types.js';

/** An evidence record as stored, in the adapters' common terms. */
export interface EvidenceRecord {
  /** 'expired' only once the purge has marked it; a pending record may be past its expiry. */
  readonly state: SecretState;
  readonly viewsLeft: number;
  /** The 'created' event is the record's own: when, and the creator's class. */
  readonly createdAt: number;
  readonly createdBy: string;
  readonly expiresAt: number;
  readonly endedAt: number | null;
  readonly retainUntil: number;
  readonly ciphertextHash: Uint8Array;
  /** Events ever recorded, stored or not ('created' included). */
  readonly events: number;
}

/** An event as stored: its type and client class as text (the client '' or null for none). */
export const storedEvent = (type: string, at: number, client: string | null): SecretEvent => ({
  type: type as EventType,
  at,
  client: client === null || client === '' ? null : (client as ClientClass),
});

/**
 * Whether a record still answers at `now`: only while it is kept. Checked before its events are
 * read, so an answer past retention costs what a wrong token costs.
 */
export const retained = (r: Pick<EvidenceRecord, 'retainUntil'>, now: number): boolean => r.retainUntil > now;

/**
 * The History of a retained record and its stored events after 'created' (oldest first). A record
 * still pending past its expiry, not purged yet, is reported expired at its expiry (nothing is
 * written for it).
 */
export function toHistory(r: EvidenceRecord, later: readonly SecretEvent[], now: number): History {
  const events = [storedEvent('created', r.createdAt, r.createdBy), ...later];
  const expired = r.state === 'pending' && r.expiresAt <= now;
  const state: SecretState = expired ? 'expired' : r.state;
  return {
    state,
    viewsLeft: state === 'pending' ? r.viewsLeft : 0,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    endedAt: expired ? r.expiresAt : r.endedAt,
    ciphertextHash: r.ciphertextHash,
    events,
    dropped: Math.max(0, r.events - events.length),
  };
}
