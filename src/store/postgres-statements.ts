// The SQL of the PostgreSQL store (postgres.ts), each statement with the shape of the rows it
// returns. Every statement that changes something is the whole operation, atomic on its own (see
// postgres.ts); the schema they run on is postgres-migrations.ts. BIGINT columns come back as
// strings (node-postgres keeps their full range), hence the `string` times below.
//
// Evidence (docs/protocol.md §9): each statement that changes a secret has a twin that also
// records the event, in the same statement: a CTE `c` makes the change as the plain statement
// does (locking the secret's row first), and further CTEs read FROM c, so they run after it and
// only when it changed something — they count the event in the record (locking it), and insert it
// while the record has fewer than MAX_EVENTS_PER_SECRET. One round trip, as before. Without
// evidence the plain statements run, unchanged.
import { MAX_EVENTS_PER_SECRET } from './types.js';
import { CONSUME_SQL } from './postgres-consume.js';

const MAX_EVENTS = String(MAX_EVENTS_PER_SECRET);

/**
 * The start of a create's one statement: the CTE `room` holds a row only when one more item of
 * `size` bytes fits the quota (`maxSecrets` items, `maxBytes` bytes, read as the sum of the
 * striped counters, without a lock), and then it has already added the item to this connection's
 * stripe; the INSERT that follows selects FROM room, so an item is never stored uncounted or
 * counted unstored. The arguments are the statement's parameters (`$n`).
 */
const takeRoom = (size: string, maxSecrets: string, maxBytes: string): string => `WITH total AS (SELECT sum(live) AS live, sum(bytes) AS bytes FROM hush_stats),
    room AS (
      UPDATE hush_stats SET live = live + 1, bytes = bytes + ${size}::bigint
      WHERE id = pg_backend_pid() % 32 + 1
        AND (SELECT live FROM total) + 1 <= ${maxSecrets}::bigint AND (SELECT bytes FROM total) + ${size}::bigint <= ${maxBytes}::bigint
      RETURNING 1
    )`;

/**
 * `WHERE` of a token check done here rather than in the statement (peek, status, requestStatus):
 * the row of the id given ($1), or — no such id — the stand-in row '~' of migration 4, so that
 * both cases do the same work (two index descents, one row fetched and sent, one comparison of
 * 32-byte hashes). The caller tells them apart by the id read back, after comparing. The checks
 * made inside one atomic statement (consume, revoke, pickup, cancel) compare in SQL: there a
 * missing id and a wrong token both end in no row, after one index descent; a wrong token also
 * reads the row's heap tuple (never its TOASTed ciphertext) — no difference bench/timing.mjs can
 * tell from noise.
 */
export const STANDIN_WHERE = (table: string): string => `id = coalesce((SELECT id FROM ${table} WHERE id = $1), '~')`;

// The INSERT of a create, FROM the CTE `room` (takeRoom). $17, $18: a gate (its recipients' hashes
// concatenated, its attempts), NULL, NULL without one; $19: the owner's key, NULL without one.
const INSERT_SECRET = `INSERT INTO hush_secrets (id, ciphertext, verifier, manage_hash, pp_salt, pp_iterations, pp_verifier,
      pp_attempts_left, views, views_left, state, created_at, expires_at, not_before, size, recipients, code_attempts_left, owner)
    SELECT $1::text, $2::bytea, $3::bytea, $4::bytea, $5::text, $6::integer, $7::bytea, $8::integer,
      $9::integer, $9::integer, 'pending', $10::bigint, $11::bigint, $12::bigint, $13::integer, $17::bytea, $18::integer, $19::bytea
    FROM room
    RETURNING 1`;

export const SQL = {
  create: `${takeRoom('$14', '$15', '$16')}
    ${INSERT_SECRET}`,
  // create with evidence: $20 ref, $21 SHA-256 of the ciphertext, $22 retention (ms), $23 client.
  // The record (its own 'created' event) is inserted FROM the secret's insert: all or nothing.
  createEvidence: `${takeRoom('$14', '$15', '$16')},
    secret AS (${INSERT_SECRET})
    INSERT INTO hush_evidence (ref, manage_hash, ciphertext_hash, created_at, created_by, expires_at, state, views_left, ended_at, retain_until, events)
    SELECT $20::bytea, $4::bytea, $21::bytea, $10::bigint, $23::text, $11::bigint, 'pending', $9::integer, NULL, $11::bigint + $22::bigint, 1
    FROM secret
    RETURNING 1`,
  // Peek and status never need the ciphertext; reading it would cost a copy of up to the size
  // limit. The row of the id, or the stand-in row when there is none (STANDIN_WHERE). Of a gate
  // they only say that there is one: the recipients' hashes stay in the database.
  meta: `SELECT id, (ciphertext IS NOT NULL) AS live, verifier, manage_hash, pp_salt, pp_iterations, views_left, state,
      expires_at, not_before, consumed_at, (recipients IS NOT NULL) AS restricted
    FROM hush_secrets WHERE ${STANDIN_WHERE('hush_secrets')}`,
  // consume and its twins: postgres-consume.ts.
  consume: CONSUME_SQL.plain,
  consumeEvidence: CONSUME_SQL.evidence,
  revoke: `UPDATE hush_secrets SET ciphertext = NULL, state = CASE WHEN state = 'pending' THEN 'revoked' ELSE state END
    WHERE id = $1::text AND manage_hash = $2::bytea RETURNING 1`,
  // revoke with evidence: $3 now, $4 ref, $5 retention (ms), $6 client. `o` is the locked, latest
  // version of the row, so `was` tells whether this statement revoked it: a second revoke (or one
  // after the last read) records nothing.
  revokeEvidence: `WITH c AS (
      UPDATE hush_secrets s SET ciphertext = NULL, state = CASE WHEN s.state = 'pending' THEN 'revoked' ELSE s.state END
      FROM (SELECT id, state AS was FROM hush_secrets WHERE id = $1::text AND manage_hash = $2::bytea FOR UPDATE) o
      WHERE s.id = o.id
      RETURNING o.was
    ),
    ev AS (
      UPDATE hush_evidence h SET events = h.events + 1, state = 'revoked', ended_at = $3::bigint, retain_until = $3::bigint + $5::bigint
      FROM c
      WHERE h.ref = $4::bytea AND c.was = 'pending'
      RETURNING h.events
    ),
    logged AS (
      INSERT INTO hush_events (ref, seq, type, at, client)
      SELECT $4::bytea, events - 1, 'revoked', $3::bigint, $6::text FROM ev WHERE events <= ${MAX_EVENTS}
    )
    SELECT 1 FROM c`,
  // The reveal page was fetched: 'opened' while the record is pending and unexpired ($1 ref,
  // $2 now, $3 client). A missing or ended ref is one index probe that changes nothing.
  opened: `WITH ev AS (
      UPDATE hush_evidence SET events = events + 1
      WHERE ref = $1::bytea AND state = 'pending' AND expires_at > $2::bigint
      RETURNING events
    )
    INSERT INTO hush_events (ref, seq, type, at, client)
    SELECT $1::bytea, events - 1, 'opened', $2::bigint, $3::text FROM ev WHERE events <= ${MAX_EVENTS}`,
  // history's token check: the record of the ref, or the stand-in of migration 5 when there is
  // none (as STANDIN_WHERE), so that both do the same work.
  evidenceCheck: `SELECT ref, manage_hash, retain_until FROM hush_evidence
    WHERE ref = coalesce((SELECT ref FROM hush_evidence WHERE ref = $1::bytea), decode(repeat('00', 32), 'hex'))`,
  // Once the token matched: the record and its events as of one moment (one statement).
  evidenceRead: `SELECT h.ciphertext_hash, h.created_at, h.created_by, h.expires_at, h.state, h.views_left, h.ended_at, h.retain_until, h.events,
      (SELECT coalesce(json_agg(json_build_array(e.type, e.at, e.client) ORDER BY e.seq), '[]'::json)
       FROM hush_events e WHERE e.ref = h.ref) AS log
    FROM hush_evidence h WHERE h.ref = $1::bytea`,
  // Up to $2 ended evidence records past their retention ($1), deleted with their events. SKIP
  // LOCKED and ARRAY(…) as in purge.
  purgeEvidence: `WITH gone AS (
      DELETE FROM hush_evidence WHERE ref = ANY (ARRAY(
        SELECT ref FROM hush_evidence WHERE state <> 'pending' AND retain_until <= $1::bigint
        ORDER BY retain_until LIMIT $2::integer FOR UPDATE SKIP LOCKED
      )) RETURNING ref
    ),
    gone_events AS (DELETE FROM hush_events WHERE ref IN (SELECT ref FROM gone))
    SELECT count(*)::integer AS removed FROM gone`,
  // SKIP LOCKED: instances purging at the same time take different rows instead of waiting. The
  // batch is an ARRAY(…) sub-select, run once; under `id IN (SELECT …)` a nested loop may run it
  // again for each row, locking a new batch each time, and delete more than the limit. The
  // evidence record (SHA-256 of the id) of each secret deleted that is still pending expired
  // unread: it gets its 'expired' event, at its expiry, in the same statement.
  purge: `WITH gone AS (
      DELETE FROM hush_secrets WHERE id = ANY (ARRAY(
        SELECT id FROM hush_secrets WHERE expires_at <= $1::bigint ORDER BY expires_at LIMIT $2::integer FOR UPDATE SKIP LOCKED
      )) RETURNING id, (state = 'pending') AS unread, expires_at
    ),
    -- $3: webhooks are on; a secret that expired unread is 'secret.expired' (at its expiry).
    notified AS (
      INSERT INTO hush_outbox (type, secret_id, at, views_left, next_at)
      SELECT 'secret.expired', id, expires_at, 0, $1::bigint FROM gone WHERE unread AND $3::boolean
    ),
    marked AS (
      UPDATE hush_evidence h SET state = 'expired', ended_at = h.expires_at, events = h.events + 1
      FROM gone WHERE h.ref = sha256(convert_to(gone.id, 'UTF8')) AND h.state = 'pending'
      RETURNING h.ref, h.events, h.expires_at
    ),
    logged AS (
      INSERT INTO hush_events (ref, seq, type, at, client)
      SELECT ref, events - 1, 'expired', expires_at, NULL FROM marked WHERE events <= ${MAX_EVENTS}
    )
    SELECT unread FROM gone`,
  purgeUsed: `DELETE FROM hush_used_once WHERE expires_at <= $1::bigint`,
  purgeDead: `DELETE FROM hush_outbox WHERE dead_until <= $1::bigint`,
  // Outbox: $1 owner, $2 now, $3 limit, $4 lease (ms). SKIP LOCKED: claimers at once take different rows.
  claimDeliveries: `UPDATE hush_outbox o SET owner = $1::text, next_at = $2::bigint + $4::bigint, attempts = o.attempts + 1
    FROM (SELECT event_id FROM hush_outbox WHERE dead_until IS NULL AND next_at <= $2::bigint
          ORDER BY next_at LIMIT $3::integer FOR UPDATE SKIP LOCKED) d
    WHERE o.event_id = d.event_id
    RETURNING o.event_id, o.type, o.secret_id, o.at, o.views_left, o.attempts`,
  delivered: `DELETE FROM hush_outbox WHERE event_id = $1::bigint AND owner = $2::text AND dead_until IS NULL`,
  retryDelivery: `UPDATE hush_outbox SET next_at = $3::bigint, owner = NULL WHERE event_id = $1::bigint AND owner = $2::text AND dead_until IS NULL`,
  deadDelivery: `UPDATE hush_outbox SET dead_until = $3::bigint, owner = NULL, secret_id = NULL
    WHERE event_id = $1::bigint AND owner = $2::text AND dead_until IS NULL`,
  outboxStats: `SELECT count(*) FILTER (WHERE dead_until IS NULL)::integer AS pending, count(*) FILTER (WHERE dead_until IS NOT NULL)::integer AS dead
    FROM hush_outbox`,
  useOnce: `INSERT INTO hush_used_once (key, expires_at) VALUES ($1::text, $2::bigint) ON CONFLICT (key) DO NOTHING`,
  stats: `SELECT sum(live) AS live, sum(bytes) AS bytes FROM hush_stats`,
  createRequest: `${takeRoom('$7', '$8', '$9')}
    INSERT INTO hush_requests (id, public_key, note, token_hash, created_at, expires_at, size)
    SELECT $1::text, $2::bytea, $3::text, $4::bytea, $5::bigint, $6::bigint, $10::integer
    FROM room
    RETURNING 1`,
  // Everything but the response: reading it would cost a copy of up to the size limit.
  getRequest: `SELECT public_key, note, (response IS NOT NULL) AS answered, expires_at
    FROM hush_requests WHERE id = $1 AND id <> '~'`,
  // requestStatus checks a token: the row of the id, or the stand-in (getRequest needs none).
  checkRequest: `SELECT id, token_hash, (response IS NOT NULL) AS answered, expires_at
    FROM hush_requests WHERE ${STANDIN_WHERE('hush_requests')}`,
  // The one atomic answer. `d` locks the latest version of the row while it is still open and
  // unexpired (a concurrent answer that committed first makes it drop the row); `room` takes the
  // response's bytes from the quota only if there is a row and room for them; `answered` stores
  // the response only if both did. found = 0: not_found; found = 1, answered = 0: quota_exceeded.
  // 'late' as in consume: nothing changes once the caller has stopped waiting. '~' is the
  // stand-in row of migration 4, no request anyone may answer.
  answerRequest: `WITH late AS MATERIALIZED (SELECT extract(epoch FROM clock_timestamp()) * 1000 > $6::float8 AS late),
    d AS MATERIALIZED (
      SELECT id FROM hush_requests
      WHERE id = $1::text AND id <> '~' AND response IS NULL AND expires_at > $3::bigint AND NOT (SELECT late FROM late)
      FOR UPDATE
    ),
    room AS (
      UPDATE hush_stats SET bytes = bytes + $4::bigint
      WHERE id = pg_backend_pid() % 32 + 1 AND EXISTS (SELECT 1 FROM d)
        AND (SELECT sum(bytes) FROM hush_stats) + $4::bigint <= $5::bigint
      RETURNING 1
    ),
    answered AS (
      UPDATE hush_requests r SET response = $2::bytea, size = r.size + $7::integer, answered_at = $3::bigint
      FROM d, room WHERE r.id = d.id
      RETURNING 1
    )
    SELECT (SELECT late FROM late) AS late, (SELECT count(*) FROM d)::integer AS found,
      (SELECT count(*) FROM answered)::integer AS answered`,
  // The one atomic pickup: the DELETE hands back the response and erases the whole request (the
  // trigger gives its count and bytes back). A concurrent pickup that committed first leaves this
  // one nothing to delete. 'late' as in consume.
  pickupRequest: `WITH late AS MATERIALIZED (SELECT extract(epoch FROM clock_timestamp()) * 1000 > $4::float8 AS late),
    taken AS (
      DELETE FROM hush_requests
      WHERE id = $1::text AND token_hash = $2::bytea AND response IS NOT NULL AND expires_at > $3::bigint
        AND NOT (SELECT late FROM late)
      RETURNING response
    )
    SELECT (SELECT late FROM late) AS late, (SELECT response FROM taken) AS response`,
  cancelRequest: `DELETE FROM hush_requests WHERE id = $1::text AND token_hash = $2::bytea AND expires_at > $3::bigint RETURNING 1`,
  purgeRequests: `DELETE FROM hush_requests WHERE id = ANY (ARRAY(
      SELECT id FROM hush_requests WHERE expires_at <= $1::bigint ORDER BY expires_at LIMIT $2::integer FOR UPDATE SKIP LOCKED
    )) RETURNING 1`,
} as const;

/** `meta`: a secret's row without its ciphertext. */
export interface MetaRow {
  id: string;
  live: boolean;
  verifier: Buffer;
  manage_hash: Buffer;
  pp_salt: string | null;
  pp_iterations: number | null;
  views_left: number;
  state: 'pending' | 'consumed' | 'revoked' | 'burned';
  expires_at: string;
  not_before: string | null;
  consumed_at: string | null;
  restricted: boolean;
}

export interface ConsumeRow {
  outcome: 'late' | 'early' | 'code_required' | 'wrong_code' | 'wrong' | 'take';
  released: Buffer | null;
  views_left: number;
  pp_attempts_left: number | null;
  code_attempts_left: number | null;
  not_before: string | null;
}

/** `evidenceCheck`: what history needs to check a manage token. */
export interface EvidenceCheckRow {
  ref: Buffer;
  manage_hash: Buffer;
  retain_until: string;
}

/** `evidenceRead`: a record and its events, [type, at, client] oldest first. */
export interface EvidenceReadRow {
  ciphertext_hash: Buffer;
  created_at: string;
  created_by: string;
  expires_at: string;
  state: 'pending' | 'consumed' | 'revoked' | 'burned' | 'expired';
  views_left: number;
  ended_at: string | null;
  retain_until: string;
  events: number;
  log: [string, number, string | null][];
}

/** `getRequest`: a request as the sender sees it. */
export interface RequestRow {
  public_key: Buffer;
  note: string;
  answered: boolean;
  expires_at: string;
}

/** `checkRequest`: what requestStatus needs to check a token. */
export interface CheckRow {
  id: string;
  token_hash: Buffer;
  answered: boolean;
  expires_at: string;
}

export interface AnswerRow {
  late: boolean;
  found: number;
  answered: number;
}

export interface PickupRow {
  late: boolean;
  response: Buffer | null;
}

// Outbox twins (webhooks on): the same statements with one more CTE that reads FROM c, so the
// event's row is inserted in the statement that makes the change, and only when it made one.
/** revoke's change as a CTE `c` that says what the state was ($1 id, $2 manage hash). */
const REVOKE_C = `c AS (
      UPDATE hush_secrets s SET ciphertext = NULL, state = CASE WHEN s.state = 'pending' THEN 'revoked' ELSE s.state END
      FROM (SELECT id, state AS was FROM hush_secrets WHERE id = $1::text AND manage_hash = $2::bytea FOR UPDATE) o
      WHERE s.id = o.id
      RETURNING o.was
    )`;
/** $3 now. */
const OUTBOX_REVOKE = `outbox AS (
      INSERT INTO hush_outbox (type, secret_id, at, views_left, next_at)
      SELECT 'secret.revoked', $1::text, $3::bigint, 0, $3::bigint FROM c WHERE c.was = 'pending'
    )`;
/** `sql` with `cte` added before its final `select`. */
function withCte(sql: string, select: string, cte: string): string {
  const at = sql.lastIndexOf(select);
  if (at < 0) throw new Error('outbox statement: no final SELECT');
  return `${sql.slice(0, at)},
    ${cte}${sql.slice(at)}`;
}
export const NOTIFY_SQL = {
  consume: CONSUME_SQL.notify,
  consumeEvidence: CONSUME_SQL.evidenceNotify,
  revoke: `WITH ${REVOKE_C},
    ${OUTBOX_REVOKE}
    SELECT 1 FROM c`,
  revokeEvidence: withCte(SQL.revokeEvidence, '\n    SELECT 1 FROM c', OUTBOX_REVOKE),
};

export interface OutboxRow {
  event_id: string;
  type: string;
  secret_id: string;
  at: string;
  views_left: number;
  attempts: number;
}
