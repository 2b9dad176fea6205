// The SQLite database file as every connection to it finds it: made private before SQLite opens
// it, and the pragmas each connection sets. `configure` is also sent as source text to the writer
// thread (sqlite-engine.ts), so it must stay self-contained: nothing from outside its body but its
// parameters.
import { chmodSync, closeSync, constants, existsSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import Database from 'better-sqlite3';

/** Pragmas of every connection to the file (secure_delete is per connection). */
export function configure(db: Database.Database, synchronous: string): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  // Deleted content is overwritten with zeros instead of lingering in free pages.
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * Opens this thread's connection to `path` (made private first, unless ':memory:') with the
 * pragmas above. The schema is not touched (sqlite-migrations.ts).
 */
export function openDatabase(path: string, synchronous: string): Database.Database {
  if (path !== ':memory:') prepareFile(path);
  const db = new Database(path);
  configure(db, synchronous);
  // The WAL mode above has made the -wal and -shm, with the database file's mode (SQLite gives
  // them its mode whatever the umask); ones an earlier process left keep theirs, so set it.
  if (path !== ':memory:') for (const f of [`${path}-wal`, `${path}-shm`]) if (existsSync(f)) makePrivate(f);
  return db;
}

/**
 * Makes the database's directory (0700, and each parent it had to make) and the database file
 * (0600) before SQLite opens it. mkdir's and SQLite's own modes are narrowed by the umask but
 * never widened, and SQLite creates the file 0644 less the umask: under `umask 000` that is
 * readable by every local user. The modes are set explicitly, so the umask does not matter;
 * directories that already existed are left as they are (the operator's), but an existing file
 * is made 0600 too: it holds every ciphertext and verifier. SQLite then creates the -wal and
 * -shm with the file's mode.
 */
function prepareFile(path: string): void {
  const dir = dirname(path);
  const first = mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (first !== undefined) {
    // `first` is the outermost directory made; it and everything below it down to `dir` are new.
    let d = resolve(first);
    chmodSync(d, 0o700);
    for (const part of relative(d, resolve(dir)).split(sep).filter((p) => p !== '')) {
      d = resolve(d, part);
      chmodSync(d, 0o700);
    }
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    makePrivate(path);
    return;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

/** chmod 0600 an existing file, unless it is another user's (EPERM): then its owner decides. */
function makePrivate(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
  }
}
