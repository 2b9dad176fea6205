// Versioned schema of the SQLite store, and `migrate`, which applies it. Entry i moves the schema
// from version i to i+1 (PRAGMA user_version). Never edit a released entry; append a new one.
import type Database from 'better-sqlite3';

export const SQLITE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE secrets (
     id               TEXT PRIMARY KEY,
     ciphertext       BLOB,              -- NULL once consumed, revoked or burned (a tombstone)
     verifier         BLOB NOT NULL,     -- SHA-256(auth)
     manage_hash      BLOB NOT NULL,     -- SHA-256(manage token)
     pp_salt          TEXT,
     pp_iterations    INTEGER,
     pp_verifier      BLOB,              -- SHA-256(passphrase proof)
     pp_attempts_left INTEGER,
     views            INTEGER NOT NULL,
     views_left       INTEGER NOT NULL,
     state            TEXT NOT NULL CHECK (state IN ('pending', 'consumed', 'revoked', 'burned')),
     created_at       INTEGER NOT NULL,
     expires_at       INTEGER NOT NULL,
     not_before       INTEGER,
     consumed_at      INTEGER,
     size             INTEGER NOT NULL
   );
   CREATE INDEX secrets_expires_at ON secrets (expires_at);`,

  // 2: live-secret and byte counters kept exact by triggers (quotas without a table scan), and
  // single-use markers (proof-of-work replay protection shared by every process on the file).
  `CREATE TABLE stats (id INTEGER PRIMARY KEY CHECK (id = 1), live INTEGER NOT NULL, bytes INTEGER NOT NULL);
   INSERT INTO stats SELECT 1, count(*), coalesce(sum(size), 0) FROM secrets WHERE ciphertext IS NOT NULL;
   CREATE TRIGGER secrets_counted_insert AFTER INSERT ON secrets WHEN NEW.ciphertext IS NOT NULL
     BEGIN UPDATE stats SET live = live + 1, bytes = bytes + NEW.size WHERE id = 1; END;
   CREATE TRIGGER secrets_counted_erase AFTER UPDATE OF ciphertext ON secrets
     WHEN OLD.ciphertext IS NOT NULL AND NEW.ciphertext IS NULL
     BEGIN UPDATE stats SET live = live - 1, bytes = bytes - OLD.size WHERE id = 1; END;
   CREATE TRIGGER secrets_counted_delete AFTER DELETE ON secrets WHEN OLD.ciphertext IS NOT NULL
     BEGIN UPDATE stats SET live = live - 1, bytes = bytes - OLD.size WHERE id = 1; END;
   CREATE TABLE used_once (key TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
   CREATE INDEX used_once_expires_at ON used_once (expires_at);`,

  // 3: requests (a requester asks for a secret). A request is counted in `stats` as one live item
  // with its size (public key, note, then the response) from insert to delete; it leaves no
  // tombstone.
  `CREATE TABLE requests (
     id          TEXT PRIMARY KEY,
     public_key  BLOB NOT NULL,     -- the requester's raw P-256 public key (65 bytes)
     note        TEXT NOT NULL,     -- shown to the sender; not encrypted
     token_hash  BLOB NOT NULL,     -- SHA-256(requester's bearer token)
     response    BLOB,              -- NULL until answered: E_pub ‖ container
     created_at  INTEGER NOT NULL,
     expires_at  INTEGER NOT NULL,
     answered_at INTEGER,
     size        INTEGER NOT NULL
   );
   CREATE INDEX requests_expires_at ON requests (expires_at);
   CREATE TRIGGER requests_counted_insert AFTER INSERT ON requests
     BEGIN UPDATE stats SET live = live + 1, bytes = bytes + NEW.size WHERE id = 1; END;
   CREATE TRIGGER requests_counted_resize AFTER UPDATE OF size ON requests
     BEGIN UPDATE stats SET bytes = bytes + NEW.size - OLD.size WHERE id = 1; END;
   CREATE TRIGGER requests_counted_delete AFTER DELETE ON requests
     BEGIN UPDATE stats SET live = live - 1, bytes = bytes - OLD.size WHERE id = 1; END;`,

  // 4: the ciphertext and a request's response become the last column of their row, and a
  // request's token hash and expiry come before its public key and note. SQLite stores a row's
  // columns in order and spills what does not fit in the page to a chain of overflow pages; a
  // column after a large blob can only be reached by walking that chain. Reading the verifier,
  // the expiry or the state of a 1 MiB secret walked 256 pages: checking a wrong token on an
  // existing id took ~0.4 ms longer than on a missing one, and longer the bigger the secret
  // (bench/timing.mjs). With the blob last, every column a token check reads lies in the first
  // few hundred bytes of the row, which always stay in its page. The tables are rebuilt (the
  // counters in `stats` do not change: rows move, none is added or erased) and their index and
  // triggers made again as they were; secure_delete zeroes the old pages.
  `CREATE TABLE secrets_v4 (
     id               TEXT PRIMARY KEY,
     verifier         BLOB NOT NULL,     -- SHA-256(auth)
     manage_hash      BLOB NOT NULL,     -- SHA-256(manage token)
     pp_salt          TEXT,
     pp_iterations    INTEGER,
     pp_verifier      BLOB,              -- SHA-256(passphrase proof)
     pp_attempts_left INTEGER,
     views            INTEGER NOT NULL,
     views_left       INTEGER NOT NULL,
     state            TEXT NOT NULL CHECK (state IN ('pending', 'consumed', 'revoked', 'burned')),
     created_at       INTEGER NOT NULL,
     expires_at       INTEGER NOT NULL,
     not_before       INTEGER,
     consumed_at      INTEGER,
     size             INTEGER NOT NULL,
     ciphertext       BLOB               -- last (see above); NULL once consumed, revoked or burned
   );
   INSERT INTO secrets_v4 (id, verifier, manage_hash, pp_salt, pp_iterations, pp_verifier, pp_attempts_left, views,
       views_left, state, created_at, expires_at, not_before, consumed_at, size, ciphertext)
     SELECT id, verifier, manage_hash, pp_salt, pp_iterations, pp_verifier, pp_attempts_left, views,
       views_left, state, created_at, expires_at, not_before, consumed_at, size, ciphertext FROM secrets;
   DROP TABLE secrets;
   ALTER TABLE secrets_v4 RENAME TO secrets;
   CREATE INDEX secrets_expires_at ON secrets (expires_at);
   CREATE TRIGGER secrets_counted_insert AFTER INSERT ON secrets WHEN NEW.ciphertext IS NOT NULL
     BEGIN UPDATE stats SET live = live + 1, bytes = bytes + NEW.size WHERE id = 1; END;
   CREATE TRIGGER secrets_counted_erase AFTER UPDATE OF ciphertext ON secrets
     WHEN OLD.ciphertext IS NOT NULL AND NEW.ciphertext IS NULL
     BEGIN UPDATE stats SET live = live - 1, bytes = bytes - OLD.size WHERE id = 1; END;
   CREATE TRIGGER secrets_counted_delete AFTER DELETE ON secrets WHEN OLD.ciphertext IS NOT NULL
     BEGIN UPDATE stats SET live = live - 1, bytes = bytes - OLD.size WHERE id = 1; END;

   CREATE TABLE requests_v4 (
     id          TEXT PRIMARY KEY,
     token_hash  BLOB NOT NULL,     -- SHA-256(requester's bearer token)
     created_at  INTEGER NOT NULL,
     expires_at  INTEGER NOT NULL,
     answered_at INTEGER,
     size        INTEGER NOT NULL,
     public_key  BLOB NOT NULL,     -- the requester's raw P-256 public key (65 bytes)
     note        TEXT NOT NULL,     -- shown to the sender; not encrypted
     response    BLOB               -- last (see above); NULL until answered: E_pub ‖ container
   );
   INSERT INTO requests_v4 (id, token_hash, created_at, expires_at, answered_at, size, public_key, note, response)
     SELECT id, token_hash, created_at, expires_at, answered_at, size, public_key, note, response FROM requests;
   DROP TABLE requests;
   ALTER TABLE requests_v4 RENAME TO requests;
   CREATE INDEX requests_expires_at ON requests (expires_at);
   CREATE TRIGGER requests_counted_insert AFTER INSERT ON requests
     BEGIN UPDATE stats SET live = live + 1, bytes = bytes + NEW.size WHERE id = 1; END;
   CREATE TRIGGER requests_counted_resize AFTER UPDATE OF size ON requests
     BEGIN UPDATE stats SET bytes = bytes + NEW.size - OLD.size WHERE id = 1; END;
   CREATE TRIGGER requests_counted_delete AFTER DELETE ON requests
     BEGIN UPDATE stats SET live = live - 1, bytes = bytes - OLD.size WHERE id = 1; END;`,

  // 5: a stand-in secret and request under the id '~' (no real id, 22 base64url characters, can
  // be it). A token check looks up the id it is given, or this row when there is no such id
  // (sqlite-writer.ts, STANDIN_WHERE), and compares the token with the stored hash either way: so a missing id
  // costs the same B-tree descents, row decoding and comparison as an existing one with a wrong
  // token (answered 5 – 17 µs sooner before, bench/timing.mjs). Their hashes are random and 32
  // bytes like every verifier (a token that matched would still be refused: the stand-in's id is
  // not the one asked for), the secret is a tombstone, neither ever expires, and neither is counted.
  `INSERT INTO secrets (id, verifier, manage_hash, views, views_left, state, created_at, expires_at, size)
     VALUES ('~', randomblob(32), randomblob(32), 1, 0, 'revoked', 0, 9007199254740991, 0);
   INSERT INTO requests (id, token_hash, created_at, expires_at, size, public_key, note)
     VALUES ('~', randomblob(32), 0, 9007199254740991, 0, zeroblob(65), '');
   UPDATE stats SET live = live - 1 WHERE id = 1; -- what requests_counted_insert just added`,

  // 6: evidence (docs/protocol.md §9): one record per secret created with evidence, filed under
  // SHA-256 of its id (the id itself is never written here), and its later events: type, time and
  // client class, numbered in the order recorded. The record is its own first event ('created':
  // created_at, created_by), so a create adds one row. `events` counts every event ever recorded,
  // 'created' included; the first MAX_EVENTS_PER_SECRET are stored (seq 1 onwards), the rest only
  // counted. Both tables are WITHOUT ROWID: small rows under a 32-byte key, so the key is the
  // row's place (no second index), and a record's events lie together.
  // What each write costs is the B-tree pages it dirties, and a random key dirties a page of its
  // own: so the only index, on retain_until, holds ended records alone (a create touches no index;
  // an end adds an entry near the index's end, its time being about now). A record still pending
  // when its secret's row is purged is marked expired by that purge (sqlite-writer.ts), then
  // deleted once retain_until passes (the trigger takes its events along; secure_delete zeroes
  // both). The stand-in record (ref of 32 zero bytes, which no id hashes to) is what a history
  // lookup of a missing ref reads, as the '~' rows of migration 5 are for token checks: ended,
  // never due, its manage hash random.
  `CREATE TABLE evidence (
     ref             BLOB PRIMARY KEY,  -- SHA-256(id)
     manage_hash     BLOB NOT NULL,     -- SHA-256(manage token), as the secret's row has it
     ciphertext_hash BLOB NOT NULL,     -- SHA-256(ciphertext as created)
     created_at      INTEGER NOT NULL,
     created_by      TEXT NOT NULL,     -- the client class of the 'created' event
     expires_at      INTEGER NOT NULL,
     state           TEXT NOT NULL CHECK (state IN ('pending', 'consumed', 'revoked', 'burned', 'expired')),
     views_left      INTEGER NOT NULL,
     ended_at        INTEGER,           -- NULL while pending
     retain_until    INTEGER NOT NULL,  -- expires_at + retention; ended early: that moment + retention
     events          INTEGER NOT NULL   -- events recorded so far ('created' included), stored or not
   ) WITHOUT ROWID;
   CREATE INDEX evidence_ended_retain_until ON evidence (retain_until) WHERE state <> 'pending';
   CREATE TABLE events (
     ref    BLOB NOT NULL,              -- the record's
     seq    INTEGER NOT NULL,           -- 1, 2, …: the order recorded (0 is the record's 'created')
     type   TEXT NOT NULL,
     at     INTEGER NOT NULL,
     client TEXT,                       -- NULL for what the server itself did (expired)
     PRIMARY KEY (ref, seq)
   ) WITHOUT ROWID;
   CREATE TRIGGER evidence_events_delete AFTER DELETE ON evidence
     BEGIN DELETE FROM events WHERE ref = OLD.ref; END;
   INSERT INTO evidence (ref, manage_hash, ciphertext_hash, created_at, created_by, expires_at, state, views_left, ended_at, retain_until, events)
     VALUES (zeroblob(32), randomblob(32), zeroblob(32), 0, 'unknown', 9007199254740991, 'revoked', 0, 0, 9007199254740991, 1);`,

  // 7: the outbox of read notifications (types.ts, "Outbox"): one row per event, written in the
  // transaction of the change it reports. event_id is the idempotency key (AUTOINCREMENT: never
  // reused in this file, also after the row is deleted). next_at is when the row is due: its next
  // attempt, or — claimed — the end of the claim's lease. A dead letter keeps no secret id and
  // is deleted at dead_until. The partial index holds the rows still to deliver only.
  `CREATE TABLE outbox (
     event_id   INTEGER PRIMARY KEY AUTOINCREMENT,
     type       TEXT NOT NULL,
     secret_id  TEXT,                   -- NULL once dead-lettered
     at         INTEGER NOT NULL,
     views_left INTEGER NOT NULL,
     attempts   INTEGER NOT NULL DEFAULT 0,
     next_at    INTEGER NOT NULL,
     owner      TEXT,                   -- the claim's holder (NULL: not claimed since its last attempt)
     dead_until INTEGER                 -- set once dead-lettered
   );
   CREATE INDEX outbox_due ON outbox (next_at) WHERE dead_until IS NULL;
   CREATE INDEX outbox_dead ON outbox (dead_until) WHERE dead_until IS NOT NULL;`,

  // 8: the operators' audit trail (docs/protocol.md §11). Every event stored in `events`, and every
  // record (its 'created'), queues an entry in audit_pending through a trigger — so in the same
  // transaction as the event, with no write path to forget it. The sealer (sqlite-writer.ts
  // `seal`) chains queued entries onto `audit` in queue order: seq, and the hash of the entry
  // before. audit_head keeps the last seq and hash also once the pruning deleted every entry, so
  // the chain goes on. No table here names a secret: type, time and client class only.
  `CREATE TABLE audit_pending (
     id     INTEGER PRIMARY KEY,
     at     INTEGER NOT NULL,
     type   TEXT NOT NULL,
     client TEXT
   );
   CREATE TRIGGER events_audit AFTER INSERT ON events
     BEGIN INSERT INTO audit_pending (at, type, client) VALUES (NEW.at, NEW.type, NEW.client); END;
   CREATE TRIGGER evidence_audit AFTER INSERT ON evidence
     BEGIN INSERT INTO audit_pending (at, type, client) VALUES (NEW.created_at, 'created', NEW.created_by); END;
   CREATE TABLE audit (
     seq    INTEGER PRIMARY KEY,        -- 1, 2, … without gaps
     at     INTEGER NOT NULL,
     type   TEXT NOT NULL,
     client TEXT,
     prev   TEXT NOT NULL,              -- hex hash of the entry before
     hash   TEXT NOT NULL               -- hex SHA-256 of the entry's canonical JSON
   );
   CREATE TABLE audit_head (
     id   INTEGER PRIMARY KEY CHECK (id = 1),
     seq  INTEGER NOT NULL,
     hash TEXT NOT NULL
   );
   INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}');`,

  // 9: verified recipients (docs/protocol.md §12). A secret created with a gate has a row here:
  // keyed hashes of its recipients (32 bytes each, concatenated; never an address), its one
  // current code's hash and expiry, the wrong codes left, and the codes sent so far. A table of
  // its own rather than columns of `secrets`: a column added there would come after the
  // ciphertext (migration 4), and reading it would walk the ciphertext's overflow pages. The
  // consume looks here by id (one probe of a small table) once the token matched; the row goes
  // with its secret's.
  `CREATE TABLE gates (
     id              TEXT PRIMARY KEY,
     recipients      BLOB NOT NULL,
     code_hash       BLOB,              -- HMAC of the current code; NULL: none, or used
     code_expires_at INTEGER,
     attempts_left   INTEGER NOT NULL,  -- wrong codes left before the secret is burned
     codes_sent      INTEGER NOT NULL DEFAULT 0
   ) WITHOUT ROWID;
   CREATE TRIGGER secrets_gate_delete AFTER DELETE ON secrets
     BEGIN DELETE FROM gates WHERE id = OLD.id; END;`,

  // 10: "My secrets": which signed-in creator (an opaque 32-byte key, never a name) made which
  // secret. A table of its own for the reason migration 9 gives; its key orders one owner's
  // secrets newest first, so the list is one range scan. The row goes with its secret's.
  `CREATE TABLE owned (
     owner      BLOB NOT NULL,
     created_at INTEGER NOT NULL,
     id         TEXT NOT NULL,
     PRIMARY KEY (owner, created_at, id)
   ) WITHOUT ROWID;
   CREATE INDEX owned_id ON owned (id);
   CREATE TRIGGER secrets_owned_delete AFTER DELETE ON secrets
     BEGIN DELETE FROM owned WHERE id = OLD.id; END;`,
];

/**
 * Brings the file to the newest schema, each migration in its own `BEGIN IMMEDIATE` transaction
 * with its version number (every process opening the file takes turns on the write lock). Throws
 * for a file made by a newer Hush.
 */
export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SQLITE_MIGRATIONS.length) {
    throw new Error(`the database schema (version ${String(current)}) is newer than this Hush knows; upgrade Hush`);
  }
  for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[v]!);
      db.pragma(`user_version = ${String(v + 1)}`);
    }).immediate();
  }
}
