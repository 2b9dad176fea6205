// The SQL of the PostgreSQL store (postgres.ts), each statement with the shape of the rows it
// returns. Every statement that changes something is the whole operation, atomic on its own (see
// postgres.ts); the schema they run on is postgres-migrations.ts. BIGINT columns come back as
// strings (node-postgres keeps their full range), hence the `string` times below.

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

export const SQL = {
  create: `${takeRoom('$14', '$15', '$16')}
    INSERT INTO hush_secrets (id, ciphertext, verifier, manage_hash, pp_salt, pp_iterations, pp_verifier,
      pp_attempts_left, views, views_left, state, created_at, expires_at, not_before, size)
    SELECT $1::text, $2::bytea, $3::bytea, $4::bytea, $5::text, $6::integer, $7::bytea, $8::integer,
      $9::integer, $9::integer, 'pending', $10::bigint, $11::bigint, $12::bigint, $13::integer
    FROM room
    RETURNING 1`,
  // Peek and status never need the ciphertext; reading it would cost a copy of up to the size
  // limit. The row of the id, or the stand-in row when there is none (STANDIN_WHERE).
  meta: `SELECT id, (ciphertext IS NOT NULL) AS live, verifier, manage_hash, pp_salt, pp_iterations, views_left, state,
      expires_at, not_before, consumed_at
    FROM hush_secrets WHERE ${STANDIN_WHERE('hush_secrets')}`,
  // The one atomic consume. `d` is the locked, latest version of a live, unexpired row whose verifier
  // matches; outcome: 'late' (the statement runs after the caller stopped waiting, $5 in the
  // database's clock: nothing changes, so no view is spent on an answer nobody receives), 'early'
  // (before notBefore: nothing changes), 'wrong' (passphrase proof missing or wrong: one attempt
  // less, burned at zero), 'take' (one view less, erased with the last one).
  consume: `UPDATE hush_secrets s SET
      views_left = CASE WHEN d.outcome = 'take' THEN s.views_left - 1 ELSE s.views_left END,
      pp_attempts_left = CASE WHEN d.outcome = 'wrong' THEN s.pp_attempts_left - 1 ELSE s.pp_attempts_left END,
      ciphertext = CASE WHEN (d.outcome = 'take' AND s.views_left <= 1) OR (d.outcome = 'wrong' AND s.pp_attempts_left <= 1)
        THEN NULL ELSE s.ciphertext END,
      state = CASE WHEN d.outcome = 'take' AND s.views_left <= 1 THEN 'consumed'
        WHEN d.outcome = 'wrong' AND s.pp_attempts_left <= 1 THEN 'burned' ELSE s.state END,
      consumed_at = CASE WHEN d.outcome = 'take' AND s.views_left <= 1 THEN $4::bigint ELSE s.consumed_at END
    FROM (
      SELECT id, ciphertext AS released, not_before,
        CASE WHEN extract(epoch FROM clock_timestamp()) * 1000 > $5::float8 THEN 'late'
             WHEN not_before IS NOT NULL AND $4::bigint < not_before THEN 'early'
             WHEN pp_verifier IS NOT NULL AND ($3::bytea IS NULL OR pp_verifier <> $3::bytea) THEN 'wrong'
             ELSE 'take' END AS outcome
      FROM hush_secrets
      WHERE id = $1::text AND verifier = $2::bytea AND ciphertext IS NOT NULL AND expires_at > $4::bigint
      FOR UPDATE
    ) d
    WHERE s.id = d.id
    RETURNING d.outcome, CASE WHEN d.outcome = 'take' THEN d.released END AS released, s.views_left,
      s.pp_attempts_left, d.not_before`,
  revoke: `UPDATE hush_secrets SET ciphertext = NULL, state = CASE WHEN state = 'pending' THEN 'revoked' ELSE state END
    WHERE id = $1::text AND manage_hash = $2::bytea RETURNING 1`,
  // SKIP LOCKED: instances purging at the same time take different rows instead of waiting.
  purge: `DELETE FROM hush_secrets WHERE id IN (
      SELECT id FROM hush_secrets WHERE expires_at <= $1::bigint ORDER BY expires_at LIMIT $2::integer FOR UPDATE SKIP LOCKED
    ) RETURNING (state = 'pending') AS unread`,
  purgeUsed: `DELETE FROM hush_used_once WHERE expires_at <= $1::bigint`,
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
  purgeRequests: `DELETE FROM hush_requests WHERE id IN (
      SELECT id FROM hush_requests WHERE expires_at <= $1::bigint ORDER BY expires_at LIMIT $2::integer FOR UPDATE SKIP LOCKED
    ) RETURNING 1`,
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
}

export interface ConsumeRow {
  outcome: 'late' | 'early' | 'wrong' | 'take';
  released: Buffer | null;
  views_left: number;
  pp_attempts_left: number | null;
  not_before: string | null;
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
