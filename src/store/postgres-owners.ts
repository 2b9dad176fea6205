// Owners ("My secrets"; types.ts, "Owners") in the PostgreSQL store: what create writes of an
// owner, the one SELECT of `owned`, and how its rows are shown. The column and its index are
// those of migration 9. `owned` checks no token of its own: only the server, once it has signed
// the creator in, knows the owner's key (an opaque key, types.ts), so it is compared in SQL as an
// index lookup. It reads neither the ciphertext nor the recipients' hashes, only whether there is
// a gate, as peek and status do (SQL.meta); the manage hash it returns stays on the server.
// Also the rows of history (the sender's view of the evidence) as it answers them.
import type { History, OwnedSecret } from './types.js';
import type { EvidenceReadRow, MetaRow } from './postgres-statements.js';
import { storedEvent, toHistory } from './evidence.js';
import type { SecretState } from '../protocol/api.js';

/** What `owned` reads of a secret: its metadata and whether it has a gate. */
const COLUMNS = `id, manage_hash, created_at, expires_at, state, views_left, (recipients IS NOT NULL) AS restricted`;

export const OWNER_SQL = {
  // The owner's secrets, newest first ($1 the owner's key, $2 the limit): a walk down the
  // partial index of migration 9 that stops at the limit, with no sort and no other owner's row
  // read. Rows past their expiry but not yet purged are listed (as 'expired', toOwned): the
  // store still holds them. The stand-in row '~' has no owner, so it can never match; it is
  // excluded all the same, as getRequest excludes its own.
  list: `SELECT ${COLUMNS} FROM hush_secrets
    WHERE owner = $1::bytea AND id <> '~'
    ORDER BY created_at DESC, id DESC LIMIT $2::integer`,
  // One secret of the owner's ($2 its id, $3 the limit): by its primary key, and only when the
  // key stored with it is $1 — another owner's id or an unowned one is no row, as a missing id.
  one: `SELECT ${COLUMNS} FROM hush_secrets
    WHERE id = $2::text AND owner = $1::bytea AND id <> '~'
    LIMIT $3::integer`,
} as const;

/** A row of OWNER_SQL. */
export interface OwnedRow {
  id: string;
  manage_hash: Buffer;
  created_at: string;
  expires_at: string;
  state: MetaRow['state'];
  views_left: number;
  restricted: boolean;
}

/** create's $19: the owner's key, or NULL for a secret without one. */
export const ownerValue = (owner: Uint8Array | null | undefined): Buffer | null => (owner ? Buffer.from(owner) : null);

/** The statement name, text and parameters of one `owned` call (the list, or one secret by id). */
export function ownedQuery(owner: Uint8Array, options: { limit: number; id?: string }): [string, string, unknown[]] {
  const key = Buffer.from(owner);
  return options.id === undefined
    ? ['owned', OWNER_SQL.list, [key, options.limit]]
    : ['owned_one', OWNER_SQL.one, [key, options.id, options.limit]];
}

/**
 * A secret's state, views left and expiry as `status` says them, and `owned` with it, so that the
 * two never disagree: the row keeps 'pending' after the expiry until the purge deletes it, yet
 * such a secret can no longer be read, so it is 'expired'; an ended one has no views left.
 */
export function shownState(row: Pick<MetaRow, 'state' | 'views_left' | 'expires_at'>, now: number): { state: SecretState; viewsLeft: number; expiresAt: number } {
  const expiresAt = Number(row.expires_at);
  const state: SecretState = row.state === 'pending' && expiresAt <= now ? 'expired' : row.state;
  return { state, viewsLeft: state === 'pending' ? row.views_left : 0, expiresAt };
}

/** A row of OWNER_SQL as the owner's list shows it; `restricted` only for a secret with a gate. */
export function toOwned(row: OwnedRow, now: number): OwnedSecret {
  const { state, viewsLeft, expiresAt } = shownState(row, now);
  return {
    id: row.id,
    manageHash: row.manage_hash,
    createdAt: Number(row.created_at),
    expiresAt,
    state,
    viewsLeft,
    ...(row.restricted ? { restricted: true } : {}),
  };
}

/** What history answers for the evidence record read (SQL.evidenceRead), as of `now`. */
export function historyOf(row: EvidenceReadRow, now: number): History {
  const record = {
    state: row.state,
    viewsLeft: row.views_left,
    createdAt: Number(row.created_at),
    createdBy: row.created_by,
    expiresAt: Number(row.expires_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    retainUntil: Number(row.retain_until),
    ciphertextHash: row.ciphertext_hash,
    events: row.events,
  };
  return toHistory(record, row.log.map(([type, at, client]) => storedEvent(type, at, client)), now);
}
