// Versioned schema of the SQLite store. Entry i moves the schema from version i to i+1
// (PRAGMA user_version). Never edit a released entry; append a new one.
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
];
