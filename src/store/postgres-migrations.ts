// Versioned schema of the PostgreSQL store, and `migrate`, which applies it. Entry i moves the
// schema from version i to i+1; each runs in its own transaction and is recorded in
// hush_schema_migrations. Start-up applies the missing ones while holding a session advisory lock,
// so several instances starting at once apply each exactly once (the others wait, then find
// nothing to do). Never edit a released entry; append a new one.
import pg from 'pg';

export const POSTGRES_MIGRATIONS: readonly string[] = [
  `CREATE TABLE hush_secrets (
     id               TEXT PRIMARY KEY,
     ciphertext       BYTEA,             -- NULL once consumed, revoked or burned (a tombstone)
     verifier         BYTEA NOT NULL,    -- SHA-256(auth)
     manage_hash      BYTEA NOT NULL,    -- SHA-256(manage token)
     pp_salt          TEXT,
     pp_iterations    INTEGER,
     pp_verifier      BYTEA,             -- SHA-256(passphrase proof)
     pp_attempts_left INTEGER,
     views            INTEGER NOT NULL,
     views_left       INTEGER NOT NULL,
     state            TEXT NOT NULL CHECK (state IN ('pending', 'consumed', 'revoked', 'burned')),
     created_at       BIGINT NOT NULL,
     expires_at       BIGINT NOT NULL,
     not_before       BIGINT,
     consumed_at      BIGINT,
     size             INTEGER NOT NULL
   );
   CREATE INDEX hush_secrets_expires_at ON hush_secrets (expires_at);
   -- Ciphertext is random bytes: never try to compress it (large values still go to TOAST).
   ALTER TABLE hush_secrets ALTER COLUMN ciphertext SET STORAGE EXTERNAL;

   -- Live-secret and byte counters for quotas without a table scan. create() increments them in
   -- the same statement that inserts (after checking the quota against them); these triggers
   -- decrement them whenever ciphertext is erased or a row still holding it is deleted.
   CREATE TABLE hush_stats (
     id    INTEGER PRIMARY KEY CHECK (id = 1),
     live  BIGINT NOT NULL,
     bytes BIGINT NOT NULL
   );
   INSERT INTO hush_stats VALUES (1, 0, 0);
   CREATE FUNCTION hush_count_erase() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
   BEGIN
     UPDATE hush_stats SET live = live - 1, bytes = bytes - OLD.size WHERE id = 1;
     RETURN NULL;
   END $$;
   CREATE TRIGGER hush_secrets_counted_erase AFTER UPDATE OF ciphertext ON hush_secrets
     FOR EACH ROW WHEN (OLD.ciphertext IS NOT NULL AND NEW.ciphertext IS NULL)
     EXECUTE FUNCTION hush_count_erase();
   CREATE TRIGGER hush_secrets_counted_delete AFTER DELETE ON hush_secrets
     FOR EACH ROW WHEN (OLD.ciphertext IS NOT NULL)
     EXECUTE FUNCTION hush_count_erase();

   -- Single-use markers (proof-of-work replay protection shared by every instance).
   CREATE TABLE hush_used_once (key TEXT PRIMARY KEY, expires_at BIGINT NOT NULL);
   CREATE INDEX hush_used_once_expires_at ON hush_used_once (expires_at);`,

  // 2: requests (a requester asks for a secret). createRequest() and answerRequest() add to
  // hush_stats in the statement that inserts or answers (after checking the quota against it); the
  // trigger gives a request's count and bytes back when it is deleted (picked up, cancelled,
  // purged). A request leaves no tombstone.
  `CREATE TABLE hush_requests (
     id          TEXT PRIMARY KEY,
     public_key  BYTEA NOT NULL,    -- the requester's raw P-256 public key (65 bytes)
     note        TEXT NOT NULL,     -- shown to the sender; not encrypted
     token_hash  BYTEA NOT NULL,    -- SHA-256(requester's bearer token)
     response    BYTEA,             -- NULL until answered: E_pub ‖ container
     created_at  BIGINT NOT NULL,
     expires_at  BIGINT NOT NULL,
     answered_at BIGINT,
     size        INTEGER NOT NULL
   );
   CREATE INDEX hush_requests_expires_at ON hush_requests (expires_at);
   ALTER TABLE hush_requests ALTER COLUMN response SET STORAGE EXTERNAL;
   CREATE FUNCTION hush_count_request_delete() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
   BEGIN
     UPDATE hush_stats SET live = live - 1, bytes = bytes - OLD.size WHERE id = 1;
     RETURN NULL;
   END $$;
   CREATE TRIGGER hush_requests_counted_delete AFTER DELETE ON hush_requests
     FOR EACH ROW EXECUTE FUNCTION hush_count_request_delete();`,

  // 3: striped counters. With one counter row every write (create, last read, revoke, answer,
  // pickup, purge) locked that row until its commit had been flushed, so writes from all
  // connections of all instances queued behind each other (about 2 000 a second). Now there are 32
  // rows; a write changes only the row of its connection (backend pid mod 32, plus 1) and the quota
  // check reads the sum. Counts stay exact; the check may let concurrent creates overshoot a full
  // quota by at most the number of writes in flight (docs/deploy.md).
  `ALTER TABLE hush_stats DROP CONSTRAINT hush_stats_id_check;
   ALTER TABLE hush_stats ADD CONSTRAINT hush_stats_id_check CHECK (id BETWEEN 1 AND 32);
   INSERT INTO hush_stats SELECT g, 0, 0 FROM generate_series(2, 32) AS g;
   CREATE OR REPLACE FUNCTION hush_count_erase() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
   BEGIN
     UPDATE hush_stats SET live = live - 1, bytes = bytes - OLD.size WHERE id = pg_backend_pid() % 32 + 1;
     RETURN NULL;
   END $$;
   CREATE OR REPLACE FUNCTION hush_count_request_delete() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
   BEGIN
     UPDATE hush_stats SET live = live - 1, bytes = bytes - OLD.size WHERE id = pg_backend_pid() % 32 + 1;
     RETURN NULL;
   END $$;`,

  // 4: a stand-in secret and request under the id '~' (no real id, 22 base64url characters, can
  // be it). peek, status and requestStatus fetch the row of the id they are given, or this one
  // when there is none (postgres-statements.ts, STANDIN_WHERE), and compare the token with its hash either
  // way: so a missing id costs the same index descents, row fetch, transfer and comparison as an
  // existing one with a wrong token (answered 11 – 25 µs sooner before, bench/timing.mjs). Their
  // hashes are 32 bytes like every verifier, so the comparison is the same; no token is meant to
  // match them, and one that did would still be refused, the stand-in's id not being the one
  // asked for. The secret is a tombstone, neither ever expires, and neither is counted (the
  // counters change only with creates and the triggers on erase and delete).
  `INSERT INTO hush_secrets (id, verifier, manage_hash, views, views_left, state, created_at, expires_at, size)
     VALUES ('~', sha256(('v' || random()::text || clock_timestamp()::text)::bytea),
       sha256(('m' || random()::text || clock_timestamp()::text)::bytea), 1, 0, 'revoked', 0, 9007199254740991, 0);
   INSERT INTO hush_requests (id, public_key, note, token_hash, created_at, expires_at, size)
     VALUES ('~', decode(repeat('00', 65), 'hex'), '', sha256(('t' || random()::text || clock_timestamp()::text)::bytea),
       0, 9007199254740991, 0);`,

  // 5: evidence (docs/protocol.md §9): one record per secret created with evidence, keyed by
  // SHA-256 of its id (the id itself is never written here), and its later events: type, time
  // and client class, numbered in the order recorded (seq). The record is its own first event
  // ('created': created_at, created_by), so a create inserts one row. `events` counts every event
  // ever recorded, 'created' included; the first MAX_EVENTS_PER_SECRET are stored (seq 1
  // onwards), the rest only counted. Each event is written by the statement that makes the change
  // it records (postgres-statements.ts), which locks the secret's row before the record's. The
  // only index, on retain_until, holds ended records alone: a create updates no index and an end
  // adds an entry near the index's end; a read that leaves views changes no indexed column (a HOT
  // update). A record still pending when its secret's row is purged is marked expired by that
  // purge, and deleted with its events once retain_until passes. The stand-in record (ref of 32
  // zero bytes, which no id hashes to) is what a history lookup of a missing ref reads, as the
  // '~' rows of migration 4 are for token checks: ended, never due, its manage hash random.
  `CREATE TABLE hush_evidence (
     ref             BYTEA PRIMARY KEY,  -- SHA-256(id)
     manage_hash     BYTEA NOT NULL,     -- SHA-256(manage token), as the secret's row has it
     ciphertext_hash BYTEA NOT NULL,     -- SHA-256(ciphertext as created)
     created_at      BIGINT NOT NULL,
     created_by      TEXT NOT NULL,      -- the client class of the 'created' event
     expires_at      BIGINT NOT NULL,
     state           TEXT NOT NULL CHECK (state IN ('pending', 'consumed', 'revoked', 'burned', 'expired')),
     views_left      INTEGER NOT NULL,
     ended_at        BIGINT,             -- NULL while pending
     retain_until    BIGINT NOT NULL,    -- expires_at + retention; ended early: that moment + retention
     events          INTEGER NOT NULL    -- events recorded so far ('created' included), stored or not
   );
   CREATE INDEX hush_evidence_ended_retain_until ON hush_evidence (retain_until) WHERE state <> 'pending';
   CREATE TABLE hush_events (
     ref    BYTEA NOT NULL,              -- the record's
     seq    INTEGER NOT NULL,            -- 1, 2, …: the order recorded (0 is the record's 'created')
     type   TEXT NOT NULL,
     at     BIGINT NOT NULL,
     client TEXT,                        -- NULL for what the server itself did (expired)
     PRIMARY KEY (ref, seq)
   );
   INSERT INTO hush_evidence (ref, manage_hash, ciphertext_hash, created_at, created_by, expires_at, state, views_left, ended_at, retain_until, events)
     VALUES (decode(repeat('00', 32), 'hex'), sha256(('e' || random()::text || clock_timestamp()::text)::bytea),
       decode(repeat('00', 32), 'hex'), 0, 'unknown', 9007199254740991, 'revoked', 0, 0, 9007199254740991, 1);`,

  // 6: the outbox of read notifications (types.ts, "Outbox"): one row per event, inserted by the
  // statement that makes the change it reports. event_id is the idempotency key. next_at is when
  // the row is due: its next attempt, or — claimed — the end of the claim's lease; claims take
  // due rows FOR UPDATE SKIP LOCKED, so instances claiming at once take different rows. A dead
  // letter keeps no secret id and is deleted at dead_until.
  `CREATE TABLE hush_outbox (
     event_id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     type       TEXT NOT NULL,
     secret_id  TEXT,                   -- NULL once dead-lettered
     at         BIGINT NOT NULL,
     views_left INTEGER NOT NULL,
     attempts   INTEGER NOT NULL DEFAULT 0,
     next_at    BIGINT NOT NULL,
     owner      TEXT,
     dead_until BIGINT
   );
   CREATE INDEX hush_outbox_due ON hush_outbox (next_at) WHERE dead_until IS NULL;
   CREATE INDEX hush_outbox_dead ON hush_outbox (dead_until) WHERE dead_until IS NOT NULL;`,

  // 7: the audit trail (docs/protocol.md §11; types.ts, "Audit trail"). Every event row stored in
  // hush_events, and every evidence record (its own 'created' event), queues a pending entry —
  // type, time and client class, nothing that names the secret — by a trigger, so in the same
  // statement as the change, and the statements of postgres-statements.ts stay as they were;
  // events only counted past MAX_EVENTS_PER_SECRET insert no row, so they queue nothing. Writers
  // only append to hush_audit_pending (its own sequence, no shared row), so they never wait for a
  // sealer. Chaining needs the hash before, so one sealer at a time: sealAudit locks the one row of
  // hush_audit_head FOR UPDATE SKIP LOCKED (an instance that finds it locked does nothing), moves
  // pending rows, oldest id first, onto hush_audit with the next seq and prev, and sets the head —
  // one transaction (postgres-audit.ts). The head keeps the last seq and hash when pruning has
  // deleted every entry, so the chain goes on; it starts at seq 0 and AUDIT_GENESIS (64 zeros).
  `CREATE TABLE hush_audit_pending (
     id     BIGSERIAL PRIMARY KEY,      -- queued order: sealed oldest first
     at     BIGINT NOT NULL,
     type   TEXT NOT NULL,
     client TEXT                        -- NULL for what the server itself did (expired)
   );
   CREATE FUNCTION hush_audit_queue_event() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
   BEGIN
     INSERT INTO hush_audit_pending (at, type, client) VALUES (NEW.at, NEW.type, NEW.client);
     RETURN NULL;
   END $$;
   CREATE TRIGGER hush_events_audited AFTER INSERT ON hush_events
     FOR EACH ROW EXECUTE FUNCTION hush_audit_queue_event();
   CREATE FUNCTION hush_audit_queue_created() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
   BEGIN
     INSERT INTO hush_audit_pending (at, type, client) VALUES (NEW.created_at, 'created', NEW.created_by);
     RETURN NULL;
   END $$;
   CREATE TRIGGER hush_evidence_audited AFTER INSERT ON hush_evidence
     FOR EACH ROW EXECUTE FUNCTION hush_audit_queue_created();
   CREATE TABLE hush_audit (
     seq    BIGINT PRIMARY KEY,         -- 1, 2, … without gaps, never reused
     at     BIGINT NOT NULL,
     type   TEXT NOT NULL,
     client TEXT,
     prev   TEXT NOT NULL,              -- hash of the entry before (lowercase hex)
     hash   TEXT NOT NULL               -- SHA-256 of auditHashInput (src/protocol/audit.ts)
   );
   CREATE TABLE hush_audit_head (
     one  BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
     seq  BIGINT NOT NULL,              -- seq of the last entry sealed (0: none yet)
     hash TEXT NOT NULL                 -- its hash (AUDIT_GENESIS: none yet)
   );
   INSERT INTO hush_audit_head (seq, hash) VALUES (0, repeat('0', 64));`,

  // 8: verified recipients (docs/protocol.md §12; types.ts, "Verified recipients"). A secret
  // created with a gate keeps its recipients' keyed hashes (never the addresses), 32 bytes each,
  // one after the other in `recipients`; NULL is a secret without a gate, as every existing row
  // is. The one current code is kept as its keyed hash with its expiry; `codes_sent` counts the
  // codes ever stored, so a secret cannot be made to send mail without end. The columns are added
  // at the end of the row and every statement names the columns it reads, so what the existing
  // statements read is unchanged; adding them rewrites no row (NULL, and a constant default,
  // are kept in the catalog). They are read and written only by the statements that check the
  // token first (postgres-statements.ts, postgres-gate.ts), in the same place as the passphrase's.
  `ALTER TABLE hush_secrets
     ADD COLUMN recipients         BYTEA,                      -- HMAC-SHA256 of each address or @domain, concatenated
     ADD COLUMN code_hash          BYTEA,                      -- HMAC-SHA256 of the current code; NULL: none (or used up)
     ADD COLUMN code_expires_at    BIGINT,
     ADD COLUMN code_attempts_left INTEGER,                    -- wrong codes left before the secret is burned
     ADD COLUMN codes_sent         INTEGER NOT NULL DEFAULT 0;`,

  // 9: owners ("My secrets"; types.ts, "Owners"). A secret made by a signed-in creator keeps the
  // creator's opaque key (never an address or a name); NULL is a secret without an owner, as every
  // existing row is. The column is added at the end of the row, which rewrites no row, and every
  // statement names the columns it reads, so none reads more than before. The index serves
  // `owned` (postgres-owners.ts): an owner's rows newest first, read in index order up to the
  // limit, with no sort and no other owner's row. It is partial, so a secret without an owner
  // costs it nothing, and it holds no column that consume or revoke change, so those updates stay
  // as cheap as before (HOT where they were). The purge deletes a row's entry with the row, so a
  // purged secret leaves the list by itself. The stand-in row '~' of migration 4 has no owner.
  `ALTER TABLE hush_secrets ADD COLUMN owner BYTEA;   -- the creator's key (32 bytes); NULL: no owner
   CREATE INDEX hush_secrets_owner ON hush_secrets (owner, created_at DESC, id DESC) WHERE owner IS NOT NULL;`,

  // 10: the triggers that run for every write of a secret, once per statement instead of once per
  // row (issue 21): the audit queue's of migration 7 and the counters' of migrations 1 and 3. A row
  // trigger runs a PL/pgSQL call and a one-row statement for every row; a group create or consume
  // (postgres-batch.ts) writes up to 64 rows in one statement, and each of its erased secrets
  // updated the same counter row again, leaving one more dead version of it each time. A statement
  // trigger reads what the statement changed from its transition tables and does one INSERT … SELECT
  // (the queue, in the order the statement inserted the rows) or one UPDATE of the counter row (all
  // the secrets it erased at once). The same entries and counts, in the same transaction; entries
  // already queued stay queued and the sealer takes them first. An UPDATE trigger with transition
  // tables cannot name its columns, so the erase trigger runs after every UPDATE statement of
  // hush_secrets and counts only the rows whose ciphertext it set to NULL (the WHEN of before).
  // Measured: docs/performance.md.
  `DROP TRIGGER hush_events_audited ON hush_events;
   DROP TRIGGER hush_evidence_audited ON hush_evidence;
   DROP FUNCTION hush_audit_queue_event();
   DROP FUNCTION hush_audit_queue_created();
   CREATE FUNCTION hush_audit_queue_events() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
   BEGIN
     INSERT INTO hush_audit_pending (at, type, client) SELECT at, type, client FROM hush_new_events;
     RETURN NULL;
   END $$;
   CREATE TRIGGER hush_events_audited AFTER INSERT ON hush_events
     REFERENCING NEW TABLE AS hush_new_events
     FOR EACH STATEMENT EXECUTE FUNCTION hush_audit_queue_events();
   CREATE FUNCTION hush_audit_queue_records() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
   BEGIN
     INSERT INTO hush_audit_pending (at, type, client) SELECT created_at, 'created', created_by FROM hush_new_records;
     RETURN NULL;
   END $$;
   CREATE TRIGGER hush_evidence_audited AFTER INSERT ON hush_evidence
     REFERENCING NEW TABLE AS hush_new_records
     FOR EACH STATEMENT EXECUTE FUNCTION hush_audit_queue_records();

   DROP TRIGGER hush_secrets_counted_erase ON hush_secrets;
   DROP TRIGGER hush_secrets_counted_delete ON hush_secrets;
   DROP FUNCTION hush_count_erase();
   CREATE FUNCTION hush_count_erased() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
   BEGIN
     UPDATE hush_stats c SET live = c.live - e.n, bytes = c.bytes - e.b
       FROM (SELECT count(*) AS n, sum(o.size) AS b
             FROM hush_old_secrets o JOIN hush_new_secrets w ON w.id = o.id
             WHERE o.ciphertext IS NOT NULL AND w.ciphertext IS NULL) e
       WHERE c.id = pg_backend_pid() % 32 + 1 AND e.n > 0;
     RETURN NULL;
   END $$;
   CREATE TRIGGER hush_secrets_counted_erase AFTER UPDATE ON hush_secrets
     REFERENCING OLD TABLE AS hush_old_secrets NEW TABLE AS hush_new_secrets
     FOR EACH STATEMENT EXECUTE FUNCTION hush_count_erased();
   CREATE FUNCTION hush_count_deleted() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
   BEGIN
     UPDATE hush_stats c SET live = c.live - e.n, bytes = c.bytes - e.b
       FROM (SELECT count(*) AS n, sum(size) AS b FROM hush_gone_secrets WHERE ciphertext IS NOT NULL) e
       WHERE c.id = pg_backend_pid() % 32 + 1 AND e.n > 0;
     RETURN NULL;
   END $$;
   CREATE TRIGGER hush_secrets_counted_delete AFTER DELETE ON hush_secrets
     REFERENCING OLD TABLE AS hush_gone_secrets
     FOR EACH STATEMENT EXECUTE FUNCTION hush_count_deleted();`,
];

/** Advisory-lock namespace of schema migrations ("HU"). */
const MIGRATION_LOCK = 0x4855;

/** The database was migrated by a newer Hush: never a reason to retry. */
export class SchemaTooNewError extends Error {}

/**
 * Applies missing migrations on one dedicated connection (no statement timeout: a migration may
 * take long) while holding a session advisory lock keyed by the schema, so that instances
 * starting together take turns; each migration runs in its own transaction. Errors are the
 * driver's (or SchemaTooNewError): the store says which mean "unavailable" (postgres.ts).
 * `version` stops at an earlier schema, as an older Hush left it (the upgrade tests start there).
 */
export async function migrate(base: pg.ClientConfig, schema: string, version = POSTGRES_MIGRATIONS.length): Promise<void> {
  const client = new pg.Client(base);
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
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
      for (let v = current; v < version; v++) {
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
  } finally {
    await client.end().catch(() => undefined);
  }
}
