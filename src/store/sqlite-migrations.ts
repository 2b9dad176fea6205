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
];
