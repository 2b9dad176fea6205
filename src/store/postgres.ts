// PostgreSQL adapter (node-postgres, pooled). Atomicity: every operation that changes a secret is
// ONE SQL statement. `consume` is a single `UPDATE … FROM (SELECT … FOR UPDATE) … RETURNING`: the
// sub-select locks the row (re-reading its latest version if another transaction changed it, and
// dropping it if it no longer qualifies), decides the outcome (take a view, wrong passphrase, too
// early), and the UPDATE applies it and hands back the ciphertext as it was before the erase —
// so among concurrent callers, on any number of instances, exactly `views` see it. `create` is a
// single `WITH (UPDATE counter … WHERE there is room) INSERT … SELECT`, so a secret is never stored
// uncounted or counted unstored; `purge` is one `DELETE … RETURNING`. Counters are decremented by
// triggers in the same statement that erases or deletes. The counters are striped over 32 rows
// (each connection writes the row of its backend pid) so that writes do not queue on one row lock;
// the quota check reads their sum without locking, so creates racing for the last room can
// overshoot a full quota by at most the writes in flight (the pool size, 20 by default, per
// instance). Requests follow the same rules: `answerRequest` is one statement (lock the open row,
// take room in the quota, store the response), `pickupRequest` one `DELETE … RETURNING` that hands
// the response to exactly one caller.
//
// Failures: connection errors, timeouts and server shutdowns are thrown as StoreUnavailableError
// (the server answers 503). The pool drops broken connections and opens new ones on demand, so
// service comes back by itself when the database does.
import pg from 'pg';
import type {
  ConsumeResult,
  NewRequest,
  NewSecret,
  PeekInfo,
  Quota,
  RequestInfo,
  RequestStatusInfo,
  StatusInfo,
  Store,
  StoreStats,
} from './types.js';
import { StoreUnavailableError, requestSize } from './types.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { sameHash } from './hash.js';
import type { SecretState } from '../protocol/api.js';

export interface PostgresOptions {
  /** Schema holding Hush's tables (created when missing); default `public`. */
  schema?: string;
  /** Most connections in the pool (per instance); default 20. */
  maxConnections?: number;
  /** Milliseconds to wait for a connection (new or from the pool); default 2000. */
  connectTimeout?: number;
  /** Milliseconds a statement may take (server-side; the client gives up 250 ms later); default 2000. */
  queryTimeout?: number;
}

/** SQLSTATE classes that mean "the database is not answering normally" rather than a bug. */
const UNAVAILABLE_CLASSES = new Set(['08', '40', '53', '55', '57', '58']);
/** Advisory-lock namespace of schema migrations ("HU"). */
const MIGRATION_LOCK = 0x4855;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The database was migrated by a newer Hush: never a reason to retry. */
class SchemaTooNewError extends Error {}

function toStoreError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError || err instanceof SchemaTooNewError) return err;
  if (err instanceof pg.DatabaseError && !UNAVAILABLE_CLASSES.has((err.code ?? '').slice(0, 2))) return err;
  // Anything that is not an SQL-level error is the connection: refused, reset, timed out, closed.
  const reason = err instanceof Error ? err.message : String(err);
  return new StoreUnavailableError(`PostgreSQL is unavailable: ${reason}`, { cause: err });
}

const num = (v: string | number): number => Number(v);
const numOrNull = (v: string | number | null): number | null => (v === null ? null : Number(v));

interface MetaRow {
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
const STANDIN_WHERE = (table: string): string => `id = coalesce((SELECT id FROM ${table} WHERE id = $1), '~')`;

const SQL = {
  create: `WITH total AS (SELECT sum(live) AS live, sum(bytes) AS bytes FROM hush_stats),
    room AS (
      UPDATE hush_stats SET live = live + 1, bytes = bytes + $14::bigint
      WHERE id = pg_backend_pid() % 32 + 1
        AND (SELECT live FROM total) + 1 <= $15::bigint AND (SELECT bytes FROM total) + $14::bigint <= $16::bigint
      RETURNING 1
    )
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
  createRequest: `WITH total AS (SELECT sum(live) AS live, sum(bytes) AS bytes FROM hush_stats),
    room AS (
      UPDATE hush_stats SET live = live + 1, bytes = bytes + $7::bigint
      WHERE id = pg_backend_pid() % 32 + 1
        AND (SELECT live FROM total) + 1 <= $8::bigint AND (SELECT bytes FROM total) + $7::bigint <= $9::bigint
      RETURNING 1
    )
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

interface RequestRow {
  public_key: Buffer;
  note: string;
  answered: boolean;
  expires_at: string;
}
interface CheckRow {
  id: string;
  token_hash: Buffer;
  answered: boolean;
  expires_at: string;
}

/** Safety margin (ms) between a consume's deadline and the moment its caller stops waiting. */
const LATE_MARGIN = 300;

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #queryTimeout: number;
  /** Database clock minus ours, in ms (consume deadlines are given in the database's clock). */
  #skew = 0;
  #closed = false;

  private constructor(pool: pg.Pool, queryTimeout: number) {
    this.#pool = pool;
    this.#queryTimeout = queryTimeout;
  }

  /** Connects, applies missing migrations (under an advisory lock), and returns the store. */
  static async open(connectionString: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) throw new Error(`not a valid schema name: "${schema}" (use a-z, 0-9 and _)`);
    const connectTimeout = options.connectTimeout ?? 2000;
    const queryTimeout = options.queryTimeout ?? 2000;
    const base: pg.ClientConfig = {
      connectionString,
      connectionTimeoutMillis: connectTimeout,
      keepAlive: true,
      options: `-c search_path=${schema}`,
      application_name: 'hush',
    };
    await migrate(base, schema);
    const pool = new pg.Pool({
      ...base,
      max: options.maxConnections ?? 20,
      idleTimeoutMillis: 30_000,
      // The server cancels a slow statement itself; the client gives up a little later if the
      // network is gone (no answer at all), so that no request hangs.
      statement_timeout: queryTimeout,
      query_timeout: queryTimeout + 250,
    });
    // An idle connection that breaks (database restart) is dropped by the pool; the error must
    // not crash the process. The next query opens a new connection.
    pool.on('error', () => undefined);
    const store = new PostgresStore(pool, queryTimeout);
    try {
      await store.ping();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  async #query<R extends pg.QueryResultRow>(name: string, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    if (this.#closed) throw new StoreUnavailableError('the store is closed');
    try {
      return await this.#pool.query<R>({ name: `hush_${name}`, text, values });
    } catch (err) {
      throw toStoreError(err);
    }
  }

  async create(s: NewSecret, quota: Quota): Promise<'created' | 'quota_exceeded'> {
    const pp = s.passphrase;
    const r = await this.#query('create', SQL.create, [
      s.id,
      Buffer.from(s.ciphertext),
      Buffer.from(s.verifier),
      Buffer.from(s.manageHash),
      pp?.salt ?? null,
      pp?.iterations ?? null,
      pp ? Buffer.from(pp.verifier) : null,
      pp?.attempts ?? null,
      s.views,
      s.createdAt,
      s.expiresAt,
      s.notBefore,
      s.ciphertext.length,
      s.ciphertext.length,
      quota.maxSecrets,
      quota.maxBytes,
    ]);
    return r.rowCount === 1 ? 'created' : 'quota_exceeded';
  }

  async peek(id: string, verifier: Uint8Array, now: number): Promise<PeekInfo | null> {
    const row = (await this.#query<MetaRow>('meta_standin', SQL.meta, [id])).rows[0];
    if (!sameHash(row?.verifier, verifier) || row?.id !== id || !row.live || num(row.expires_at) <= now) return null;
    return {
      expiresAt: num(row.expires_at),
      viewsLeft: row.views_left,
      passphrase: row.pp_salt !== null && row.pp_iterations !== null ? { salt: row.pp_salt, iterations: row.pp_iterations } : null,
      notBefore: numOrNull(row.not_before),
    };
  }

  /**
   * Runs one statement whose last say is a deadline in the database's clock ($n = `deadline`):
   * the statement checks it itself and changes nothing when it runs after the caller stopped
   * waiting. The deadline counts from the moment a connection is ours (the statement goes out at once).
   */
  async #withDeadline<R extends pg.QueryResultRow>(name: string, text: string, values: (deadline: number) => unknown[]): Promise<pg.QueryResult<R>> {
    if (this.#closed) throw new StoreUnavailableError('the store is closed');
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw toStoreError(err);
    }
    try {
      const deadline = Date.now() + this.#skew + this.#queryTimeout - LATE_MARGIN;
      const r = await client.query<R>({ name: `hush_${name}`, text, values: values(deadline) });
      client.release();
      return r;
    } catch (err) {
      client.release(err instanceof Error ? err : true);
      throw toStoreError(err);
    }
  }

  async consume(id: string, verifier: Uint8Array, proofVerifier: Uint8Array | null, now: number): Promise<ConsumeResult> {
    const r = await this.#withDeadline<{
      outcome: 'late' | 'early' | 'wrong' | 'take';
      released: Buffer | null;
      views_left: number;
      pp_attempts_left: number | null;
      not_before: string | null;
    }>('consume', SQL.consume, (deadline) => [id, Buffer.from(verifier), proofVerifier === null ? null : Buffer.from(proofVerifier), now, deadline]);
    const row = r.rows[0];
    if (!row) return { ok: false, reason: 'not_found' };
    switch (row.outcome) {
      case 'late':
        throw new StoreUnavailableError('PostgreSQL answered too late; nothing was changed');
      case 'early':
        return { ok: false, reason: 'not_yet_available', notBefore: num(row.not_before ?? 0) };
      case 'wrong':
        return { ok: false, reason: 'wrong_passphrase', attemptsLeft: Math.max(0, row.pp_attempts_left ?? 0) };
      case 'take':
        if (row.released === null) return { ok: false, reason: 'not_found' };
        return { ok: true, ciphertext: row.released, viewsLeft: row.views_left };
    }
  }

  async status(id: string, manageHash: Uint8Array, now: number): Promise<StatusInfo | null> {
    const row = (await this.#query<MetaRow>('meta_standin', SQL.meta, [id])).rows[0];
    if (!sameHash(row?.manage_hash, manageHash) || row?.id !== id) return null;
    const expiresAt = num(row.expires_at);
    const state: SecretState = row.state === 'pending' && expiresAt <= now ? 'expired' : row.state;
    return { state, viewsLeft: state === 'pending' ? row.views_left : 0, expiresAt, consumedAt: numOrNull(row.consumed_at) };
  }

  async revoke(id: string, manageHash: Uint8Array): Promise<boolean> {
    const r = await this.#query('revoke', SQL.revoke, [id, Buffer.from(manageHash)]);
    return r.rowCount === 1;
  }

  async createRequest(r: NewRequest, quota: Quota): Promise<'created' | 'quota_exceeded'> {
    const size = requestSize(r);
    const res = await this.#query('create_request', SQL.createRequest, [
      r.id,
      Buffer.from(r.publicKey),
      r.note,
      Buffer.from(r.tokenHash),
      r.createdAt,
      r.expiresAt,
      size,
      quota.maxSecrets,
      quota.maxBytes,
      size,
    ]);
    return res.rowCount === 1 ? 'created' : 'quota_exceeded';
  }

  async getRequest(id: string, now: number): Promise<RequestInfo | null> {
    const row = (await this.#query<RequestRow>('get_request_v2', SQL.getRequest, [id])).rows[0];
    if (!row || num(row.expires_at) <= now) return null;
    return { publicKey: row.public_key, note: row.note, expiresAt: num(row.expires_at), state: row.answered ? 'answered' : 'open' };
  }

  async answerRequest(id: string, ciphertext: Uint8Array, now: number, quota: Quota): Promise<'answered' | 'not_found' | 'quota_exceeded'> {
    const r = await this.#withDeadline<{ late: boolean; found: number; answered: number }>('answer_request', SQL.answerRequest, (deadline) => [
      id,
      Buffer.from(ciphertext),
      now,
      ciphertext.length,
      quota.maxBytes,
      deadline,
      ciphertext.length,
    ]);
    const row = r.rows[0];
    if (row?.late === true) throw new StoreUnavailableError('PostgreSQL answered too late; nothing was changed');
    if (!row || row.found === 0) return 'not_found';
    return row.answered === 1 ? 'answered' : 'quota_exceeded';
  }

  async pickupRequest(id: string, tokenHash: Uint8Array, now: number): Promise<{ ciphertext: Uint8Array } | null> {
    const r = await this.#withDeadline<{ late: boolean; response: Buffer | null }>('pickup_request', SQL.pickupRequest, (deadline) => [
      id,
      Buffer.from(tokenHash),
      now,
      deadline,
    ]);
    const row = r.rows[0];
    if (row?.late === true) throw new StoreUnavailableError('PostgreSQL answered too late; nothing was changed');
    return row?.response ? { ciphertext: row.response } : null;
  }

  async requestStatus(id: string, tokenHash: Uint8Array, now: number): Promise<RequestStatusInfo | null> {
    const row = (await this.#query<CheckRow>('check_request', SQL.checkRequest, [id])).rows[0];
    if (!sameHash(row?.token_hash, tokenHash) || row?.id !== id || num(row.expires_at) <= now) return null;
    return { state: row.answered ? 'answered' : 'open', expiresAt: num(row.expires_at) };
  }

  async cancelRequest(id: string, tokenHash: Uint8Array, now: number): Promise<boolean> {
    return (await this.#query('cancel_request', SQL.cancelRequest, [id, Buffer.from(tokenHash), now])).rowCount === 1;
  }

  async purge(now: number, limit: number): Promise<{ removed: number; expired: number }> {
    const r = await this.#query<{ unread: boolean }>('purge', SQL.purge, [now, limit]);
    // Requests left past their expiry were never picked up: they count as expired unread.
    const requests = r.rows.length < limit ? ((await this.#query('purge_requests', SQL.purgeRequests, [now, limit - r.rows.length])).rowCount ?? 0) : 0;
    const removed = r.rows.length + requests;
    const expired = r.rows.filter((x) => x.unread).length + requests;
    if (removed < limit) await this.#query('purge_used', SQL.purgeUsed, [now]);
    return { removed, expired };
  }

  async useOnce(key: string, expiresAt: number): Promise<boolean> {
    return (await this.#query('use_once', SQL.useOnce, [key, expiresAt])).rowCount === 1;
  }

  async stats(): Promise<StoreStats> {
    const row = (await this.#query<{ live: string; bytes: string }>('stats', SQL.stats, [])).rows[0];
    return { liveSecrets: num(row?.live ?? 0), storedBytes: num(row?.bytes ?? 0) };
  }

  /** Answers when the database does; also re-measures the clock offset used for consume deadlines. */
  async ping(): Promise<void> {
    const t0 = Date.now();
    const r = await this.#query<{ t: number }>('ping', 'SELECT extract(epoch FROM clock_timestamp())::float8 * 1000 AS t', []);
    const t1 = Date.now();
    const t = r.rows[0]?.t;
    // Only a quick round trip gives a good estimate (error at most half the round trip).
    if (t !== undefined && t1 - t0 < 100) this.#skew = t - (t0 + t1) / 2;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}

/**
 * Applies missing migrations on one dedicated connection (no statement timeout: a migration may
 * take long) while holding a session advisory lock keyed by the schema, so that instances
 * starting together take turns; each migration runs in its own transaction.
 */
async function migrate(base: pg.ClientConfig, schema: string): Promise<void> {
  const client = new pg.Client(base);
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw toStoreError(err);
  }
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK, schema]);
    try {
      // Only create the schema when missing: CREATE needs a privilege managed services may not give.
      const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      if (exists.rowCount === 0) await client.query(`CREATE SCHEMA "${schema}"`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS hush_schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      );
      const r = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM hush_schema_migrations');
      const current = r.rows[0]?.v ?? 0;
      if (current > POSTGRES_MIGRATIONS.length) {
        throw new SchemaTooNewError(`the database schema (version ${String(current)}) is newer than this Hush knows; upgrade Hush`);
      }
      for (let v = current; v < POSTGRES_MIGRATIONS.length; v++) {
        await client.query('BEGIN');
        try {
          await client.query(POSTGRES_MIGRATIONS[v]!);
          await client.query('INSERT INTO hush_schema_migrations (version) VALUES ($1)', [v + 1]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK, schema]).catch(() => undefined);
    }
  } catch (err) {
    throw toStoreError(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}
