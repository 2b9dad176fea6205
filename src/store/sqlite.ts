// SQLite adapter (better-sqlite3, WAL). Atomicity: every operation that changes a row runs inside
// one `BEGIN IMMEDIATE` transaction, which takes SQLite's single write lock before it reads, so
// the check-and-take of `consume` (and of a request's answer and pickup) cannot interleave with
// another connection or process.
//
// Writes run in a writer thread with its own connection (sqlite-writer.ts), so the event loop
// does not spend its time inside SQLite: writes that arrive in one turn of the event loop go over
// as one batch and commit together (group commit), and each promise settles only after that
// COMMIT. Reads (peek, status, request lookups, stats) run on this thread's connection, which
// sees every committed write.
import { chmodSync, closeSync, constants, existsSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
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
import { requestSize, StoreUnavailableError } from './types.js';
import { SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { makeWriter, STANDIN_WHERE, type BatchResult, type PurgeResult, type Writer, type WriteOp } from './sqlite-writer.js';
import { hashComparer, sameHash } from './hash.js';
import type { SecretState } from '../protocol/api.js';

interface RequestRow {
  id: string;
  public_key: Buffer;
  note: string;
  token_hash: Buffer;
  answered: number;
  expires_at: number;
}

interface MetaRow {
  id: string;
  live: number;
  verifier: Buffer;
  manage_hash: Buffer;
  pp_salt: string | null;
  pp_iterations: number | null;
  views_left: number;
  state: 'pending' | 'consumed' | 'revoked' | 'burned';
  expires_at: number;
  not_before: number | null;
  consumed_at: number | null;
}

export interface SqliteOptions {
  /** `synchronous` pragma; NORMAL survives process crashes (kill -9), FULL also power loss. */
  synchronous?: 'NORMAL' | 'FULL';
  /** Milliseconds between background WAL checkpoints (0: SQLite's own, inside a commit). */
  checkpointEvery?: number;
  /**
   * Milliseconds without writes after which the writer thread (and its checkpointer) stop, giving
   * back their memory (about 15 MB); the next write starts them again (tens of ms, once).
   */
  writerIdleMs?: number;
  /**
   * After a write that erased ciphertext the WAL is truncated within about `checkpointEvery`
   * milliseconds, but at most once per this many (see CHECKPOINTER); default 1000.
   */
  truncateEveryMs?: number;
}

/** Pragmas of every connection to the file (secure_delete is per connection). */
function configure(db: Database.Database, synchronous: string): void {
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  // Deleted content is overwritten with zeros instead of lingering in free pages.
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
}

// WAL checkpoints copy committed pages back into the database file and fsync it. Left to SQLite,
// they run inside whichever commit crosses 1 000 WAL pages, holding up that batch and every write
// behind it. Here a thread of their own with its own connection checkpoints every half second
// (pages written many times, like the counters, are copied once) while the writer goes on;
// SQLite's own stays as a safety valve at 10 000 pages (about 40 MB of WAL). Run between the
// writer's batches instead, they raised create p99 from 9–14 to 19–22 ms on a 250 000-secret file.
//
// Erased ciphertext (a last read, a burn, a revoke, a pickup, a cancel) is zeroed in its page by
// secure_delete, but the WAL's older frames of that page keep it until the WAL is truncated, and
// PASSIVE checkpoints copy pages without truncating: a consumed secret stayed in the -wal until
// the next purge cycle (up to a minute). So when the writer has flagged an erase (`erased`, a
// shared Int32Array), the checkpointer follows its PASSIVE checkpoint with a TRUNCATE one — at
// most once per truncateEveryMs (a whole number of rounds). TRUNCATE holds the write lock while
// it copies what is left and truncates the -wal; right after the PASSIVE round little is left
// (2 – 7 ms under load, against 14 – 78 ms for a TRUNCATE on its own, which the writer would
// spend instead of committing). Busy (a reader or writer that did not let go within a second):
// the flag stays, and a later round tries again.
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const erased = new Int32Array(workerData.erased);
const roundsPerTruncate = Math.max(1, Math.round(workerData.truncateEveryMs / workerData.everyMs));
let rounds = roundsPerTruncate;
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: next round */ }
  if (++rounds < roundsPerTruncate || Atomics.load(erased, 0) === 0) return;
  rounds = 0;
  // Cleared first: an erase flagged from here on is committed before the TRUNCATE starts (so it
  // is covered) or after (so it is flagged again).
  Atomics.store(erased, 0, 0);
  let done = false;
  try { done = db.pragma('wal_checkpoint(TRUNCATE)')[0].busy === 0; } catch { /* as busy */ }
  if (!done) Atomics.store(erased, 0, 1);
}, workerData.everyMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

// The writer thread: its own connection and the writes of sqlite-writer.ts; it starts (and on
// close, stops) the checkpointer above, and flags its erases for it. Without a checkpointer
// (checkpointEvery 0, or it died) the writer truncates the WAL itself between its batches: at once
// after an erase, or once truncateEveryMs have passed since the last truncation; busy, it tries
// again as long after, waiting at most 100 ms for other connections each time.
const WRITER_THREAD = `
const { parentPort, workerData, Worker } = require('node:worker_threads');
const { timingSafeEqual } = require('node:crypto');
const Database = require(workerData.driver);
const configure = ${configure.toString()};
const STANDIN_WHERE = ${STANDIN_WHERE.toString()};
const makeWriter = ${makeWriter.toString()};
const hashComparer = ${hashComparer.toString()};
const db = new Database(workerData.path, { fileMustExist: true });
configure(db, workerData.synchronous);
db.pragma('wal_autocheckpoint = ' + (workerData.everyMs > 0 ? 10000 : 1000));
const writer = makeWriter(db, hashComparer(timingSafeEqual));
const erased = new Int32Array(new SharedArrayBuffer(4));
let lastTruncate = -Infinity;
let truncateTimer;
const truncateSoon = () => {
  if (truncateTimer !== undefined) return;
  truncateTimer = setTimeout(() => {
    truncateTimer = undefined;
    lastTruncate = Date.now();
    Atomics.store(erased, 0, 0);
    if (!writer.truncateWal(100)) {
      Atomics.store(erased, 0, 1);
      truncateSoon();
    }
  }, Math.max(0, lastTruncate + workerData.truncateEveryMs - Date.now()));
};
let checkpointer;
if (workerData.everyMs > 0) {
  checkpointer = new Worker(${JSON.stringify(CHECKPOINTER)}, { eval: true, workerData: { ...workerData, erased: erased.buffer } });
  checkpointer.unref();
  // A checkpointer that dies only means SQLite's own checkpoints take over, and the writer
  // truncates after erases itself (an erase it had flagged included).
  checkpointer.on('error', () => undefined);
  checkpointer.once('exit', () => {
    checkpointer = undefined;
    if (Atomics.load(erased, 0) === 1) truncateSoon();
  });
}
parentPort.on('message', async (m) => {
  if (m === 'close') {
    clearTimeout(truncateTimer);
    const c = checkpointer;
    checkpointer = undefined;
    if (c) {
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.postMessage('close');
      // The timer is cleared: left pending, it kept this thread alive for its full second, and
      // every close() (and a server's shutdown) waited for it.
      let timer;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
      clearTimeout(timer);
      await c.terminate();
    }
    // An erase not truncated yet is, before the file is left.
    if (Atomics.load(erased, 0) === 1 || writer.takeErased()) writer.truncateWal(100);
    db.close();
    parentPort.close();
    return;
  }
  parentPort.postMessage({ seq: m.seq, ...writer.run(m.ops) });
  if (writer.takeErased()) {
    Atomics.store(erased, 0, 1);
    if (!checkpointer) truncateSoon();
  }
});
`;
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/** SQLite result codes that mean "the file cannot be written now", not a bug: 503, retry. */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN)/;
function toError(message: string, code: string | undefined): Error {
  if (code !== undefined && UNAVAILABLE.test(code)) return new StoreUnavailableError(`SQLite cannot write: ${message}`);
  return Object.assign(new Error(message), { code });
}

/** A write waiting for its batch's commit. */
interface PendingWrite {
  op: WriteOp;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
type Reply = BatchResult & { seq: number };

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #path: string;
  readonly #synchronous: string;
  readonly #checkpointEvery: number;
  readonly #writerIdleMs: number;
  readonly #truncateEveryMs: number;
  readonly #stmt;
  #closed = false;
  /** In-thread writer: only for ':memory:', which another connection cannot share. */
  #local: Writer | undefined;
  #worker: Worker | undefined;
  /** Batches sent to the writer thread and not yet answered, by sequence number. */
  readonly #inflight = new Map<number, PendingWrite[]>();
  #seq = 0;
  #drained: (() => void) | undefined;
  /** Writes waiting for the next batch, in arrival order. */
  #queue: PendingWrite[] = [];
  #flushScheduled = false;
  /** One timer for the writer's idle stop, restarted (not re-made) each time its batches drain. */
  #idleTimer: NodeJS.Timeout | undefined;
  /** Writers told to stop for idleness that have not exited yet (close() waits for them). */
  readonly #retiring = new Set<Promise<void>>();
  /**
   * Writes queued so far, and how many of them a purge cycle's WAL truncation is known to cover:
   * when the two are equal and nothing has expired, a purge has nothing to do. Starts at one
   * write, so that the first cycle truncates whatever WAL an earlier process left.
   */
  #writesQueued = 1;
  #writesTruncated = 0;

  constructor(path: string, options: SqliteOptions = {}) {
    if (path !== ':memory:') prepareFile(path);
    this.#path = path;
    this.#synchronous = options.synchronous ?? 'NORMAL';
    this.#checkpointEvery = options.checkpointEvery ?? 500;
    this.#writerIdleMs = options.writerIdleMs ?? 30_000;
    this.#truncateEveryMs = options.truncateEveryMs ?? 1000;
    this.#db = new Database(path);
    const db = this.#db;
    configure(db, this.#synchronous);
    // The WAL mode above has made the -wal and -shm, with the database file's mode (SQLite gives
    // them its mode whatever the umask); ones an earlier process left keep theirs, so set it.
    if (path !== ':memory:') for (const f of [`${path}-wal`, `${path}-shm`]) if (existsSync(f)) makePrivate(f);
    migrate(db);
    if (path === ':memory:') this.#local = makeWriter(db, sameHash);

    this.#stmt = {
      // Never the ciphertext: reading it would cost a copy of up to the size limit, and a check of
      // a wrong token on an existing id would take longer than on a missing one, the longer the
      // bigger the secret. typeof() reads only the column's type (IS NOT NULL would read the whole
      // blob), and every column here comes before the ciphertext in the row (migration 4).
      // The row of the id, or the stand-in row when there is none (see STANDIN_WHERE).
      getMeta: db.prepare<[string], MetaRow>(
        `SELECT id, typeof(ciphertext) <> 'null' AS live, verifier, manage_hash, pp_salt, pp_iterations,
           views_left, state, expires_at, not_before, consumed_at FROM secrets WHERE ${STANDIN_WHERE('secrets')}`,
      ),
      stats: db.prepare<[], { live: number; bytes: number }>(`SELECT live, bytes FROM stats WHERE id = 1`),
      // Whether a purge would remove anything (three index probes).
      anyExpired: db
        .prepare<[number, number, number], { due: number }>(
          `SELECT EXISTS (SELECT 1 FROM secrets WHERE expires_at <= ?)
             OR EXISTS (SELECT 1 FROM requests WHERE expires_at <= ?)
             OR EXISTS (SELECT 1 FROM used_once WHERE expires_at <= ?) AS due`,
        ),
      // Everything but the response, for the same reasons as getMeta.
      getRequest: db.prepare<[string], RequestRow>(
        `SELECT id, public_key, note, token_hash, typeof(response) <> 'null' AS answered, expires_at FROM requests WHERE id = ?`,
      ),
      // requestStatus checks a token: the row, or the stand-in (getRequest needs no token).
      checkRequest: db.prepare<[string], Pick<RequestRow, 'id' | 'token_hash' | 'answered' | 'expires_at'>>(
        `SELECT id, token_hash, typeof(response) <> 'null' AS answered, expires_at FROM requests WHERE ${STANDIN_WHERE('requests')}`,
      ),
    };
  }

  /**
   * Group commit: a write joins the batch that leaves once the event loop has taken in what
   * arrived with it (setImmediate), so one COMMIT — one set of WAL page writes — serves every
   * request of that turn. Each write runs in its own savepoint, so one that throws is refused
   * alone; the promise settles only after the COMMIT, so nothing is acknowledged before it is
   * durable.
   */
  #write<T>(op: WriteOp): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
    if (op.op !== 'purge') this.#writesQueued++;
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ op, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => {
          this.#flush();
        });
      }
    });
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    const ops = batch.map((w) => w.op);
    if (this.#local) {
      this.#settle(batch, this.#local.run(ops));
      return;
    }
    const seq = ++this.#seq;
    this.#inflight.set(seq, batch);
    const worker = this.#writer();
    if (this.#inflight.size === 1) worker.ref(); // the process waits for answers it is owed
    worker.postMessage({ seq, ops });
  }

  /** The writer thread, started with the first write (a server that only serves pages does without it). */
  #writer(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WRITER_THREAD, {
      eval: true,
      workerData: {
        driver: DRIVER,
        path: this.#path,
        synchronous: this.#synchronous,
        everyMs: this.#checkpointEvery,
        truncateEveryMs: this.#truncateEveryMs,
      },
    });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const batch = this.#inflight.get(reply.seq);
      if (!batch) return;
      this.#inflight.delete(reply.seq);
      if (this.#inflight.size === 0) {
        worker.unref();
        this.#drained?.();
        if (this.#idleTimer) this.#idleTimer.refresh();
        else {
          this.#idleTimer = setTimeout(() => {
            this.#retire();
          }, this.#writerIdleMs);
          this.#idleTimer.unref();
        }
      }
      this.#settle(batch, reply);
    });
    // Reported through 'exit', which follows.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      // A retired writer had nothing in flight, and what is in flight now is its successor's.
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      // Whatever it had not answered may or may not have committed: say so, never "done".
      const lost = [...this.#inflight.values()].flat();
      this.#inflight.clear();
      this.#drained?.();
      for (const w of lost) w.reject(new StoreUnavailableError('the SQLite writer stopped; the outcome of this write is unknown'));
    });
    this.#worker = worker;
    return worker;
  }

  /**
   * Stops an idle writer: from here on, writes go to a new one. Only when nothing is in flight or
   * queued (JavaScript runs one thing at a time, so none can arrive between the check and the
   * switch).
   */
  #retire(): void {
    const worker = this.#worker;
    if (!worker || this.#inflight.size > 0 || this.#queue.length > 0 || this.#closed) return;
    this.#worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.#retiring.add(exited);
    void exited.then(() => this.#retiring.delete(exited));
    worker.postMessage('close');
  }

  /** Whether a writer thread is running now (for tests and diagnostics). */
  get writerRunning(): boolean {
    return this.#worker !== undefined;
  }

  #settle(batch: PendingWrite[], result: BatchResult): void {
    if ('failed' in result) {
      // The BEGIN or the COMMIT failed: nothing of the batch is stored.
      const error = toError(result.failed.message, result.failed.code);
      for (const w of batch) w.reject(error);
      return;
    }
    batch.forEach((w, i) => {
      const r = result.results[i];
      if (r?.ok) w.resolve(r.value);
      else w.reject(r ? toError(r.message, r.code) : new StoreUnavailableError('the SQLite writer gave no answer'));
    });
  }

  create(s: NewSecret, quota: Quota): Promise<'created' | 'quota_exceeded'> {
    const pp = s.passphrase;
    const row = [
      s.id,
      s.ciphertext,
      s.verifier,
      s.manageHash,
      pp?.salt ?? null,
      pp?.iterations ?? null,
      pp?.verifier ?? null,
      pp?.attempts ?? null,
      s.views,
      s.createdAt,
      s.expiresAt,
      s.notBefore,
      s.ciphertext.length,
    ] as const;
    return this.#write({ op: 'create', row, quota });
  }

  peek(id: string, verifier: Uint8Array, now: number): Promise<PeekInfo | null> {
    const row = this.#stmt.getMeta.get(id);
    if (!sameHash(row?.verifier, verifier) || row?.id !== id || row.live !== 1 || row.expires_at <= now) return Promise.resolve(null);
    return Promise.resolve({
      expiresAt: row.expires_at,
      viewsLeft: row.views_left,
      passphrase: row.pp_salt !== null && row.pp_iterations !== null ? { salt: row.pp_salt, iterations: row.pp_iterations } : null,
      notBefore: row.not_before,
    });
  }

  consume(id: string, verifier: Uint8Array, proofVerifier: Uint8Array | null, now: number): Promise<ConsumeResult> {
    return this.#write({ op: 'consume', id, verifier, proof: proofVerifier, now });
  }

  status(id: string, manageHash: Uint8Array, now: number): Promise<StatusInfo | null> {
    const row = this.#stmt.getMeta.get(id);
    if (!sameHash(row?.manage_hash, manageHash) || row?.id !== id) return Promise.resolve(null);
    const state: SecretState = row.state === 'pending' && row.expires_at <= now ? 'expired' : row.state;
    return Promise.resolve({
      state,
      viewsLeft: state === 'pending' ? row.views_left : 0,
      expiresAt: row.expires_at,
      consumedAt: row.consumed_at,
    });
  }

  revoke(id: string, manageHash: Uint8Array): Promise<boolean> {
    return this.#write({ op: 'revoke', id, manageHash });
  }

  createRequest(r: NewRequest, quota: Quota): Promise<'created' | 'quota_exceeded'> {
    const row = [r.id, r.publicKey, r.note, r.tokenHash, r.createdAt, r.expiresAt, requestSize(r)] as const;
    return this.#write({ op: 'createRequest', row, quota });
  }

  getRequest(id: string, now: number): Promise<RequestInfo | null> {
    const row = this.#stmt.getRequest.get(id);
    // '~': the stand-in row of migration 5 is no request.
    if (!row || id === '~' || row.expires_at <= now) return Promise.resolve(null);
    return Promise.resolve({ publicKey: row.public_key, note: row.note, expiresAt: row.expires_at, state: row.answered === 1 ? 'answered' : 'open' });
  }

  answerRequest(id: string, ciphertext: Uint8Array, now: number, quota: Quota): Promise<'answered' | 'not_found' | 'quota_exceeded'> {
    return this.#write({ op: 'answer', id, response: ciphertext, now, quota });
  }

  pickupRequest(id: string, tokenHash: Uint8Array, now: number): Promise<{ ciphertext: Uint8Array } | null> {
    return this.#write({ op: 'pickup', id, tokenHash, now });
  }

  requestStatus(id: string, tokenHash: Uint8Array, now: number): Promise<RequestStatusInfo | null> {
    const row = this.#stmt.checkRequest.get(id);
    if (!sameHash(row?.token_hash, tokenHash) || row?.id !== id || row.expires_at <= now) return Promise.resolve(null);
    return Promise.resolve({ state: row.answered === 1 ? 'answered' : 'open', expiresAt: row.expires_at });
  }

  cancelRequest(id: string, tokenHash: Uint8Array, now: number): Promise<boolean> {
    return this.#write({ op: 'cancel', id, tokenHash, now });
  }

  /** One bounded batch; the batch that ends a cycle also truncates the WAL (sqlite-writer.ts). */
  purge(now: number, limit: number): Promise<{ removed: number; expired: number }> {
    // Nothing written since the last truncation and nothing expired: nothing to remove and no
    // WAL to fold, so an idle server's purges leave the writer thread asleep.
    if (!this.#closed && this.#writesTruncated === this.#writesQueued && this.#stmt.anyExpired.get(now, now, now)?.due === 0) {
      return Promise.resolve({ removed: 0, expired: 0 });
    }
    const covered = this.#writesQueued; // every write queued so far commits before this purge does
    return this.#write<PurgeResult>({ op: 'purge', now, limit }).then((r) => {
      if (r.truncated) this.#writesTruncated = Math.max(this.#writesTruncated, covered);
      return { removed: r.removed, expired: r.expired };
    });
  }

  useOnce(key: string, expiresAt: number): Promise<boolean> {
    return this.#write({ op: 'useOnce', key, expiresAt });
  }

  stats(): Promise<StoreStats> {
    const row = this.#stmt.stats.get();
    return Promise.resolve({ liveSecrets: row?.live ?? 0, storedBytes: row?.bytes ?? 0 });
  }

  ping(): Promise<void> {
    this.#stmt.stats.get();
    return Promise.resolve();
  }

  /**
   * Folds the WAL back into the main file and truncates it, so erased pages leave the WAL too.
   * Another connection's checkpoint (the checkpointer's, or the writer's truncation after an
   * erase) makes it busy at once, without waiting: it then tries again, for up to two seconds.
   * True when it completed.
   */
  checkpoint(): boolean {
    for (let i = 0; i < 200; i++) {
      const [row] = this.#db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (row?.busy === 0) return true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
    return false;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    this.#flush(); // writes already queued are committed (and answered) before the file closes
    const worker = this.#worker;
    if (worker) {
      if (this.#inflight.size > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      // Keep the process alive until the writer has closed its connection.
      worker.ref();
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    }
    await Promise.all(this.#retiring);
    this.#db.close();
  }
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

function migrate(db: Database.Database): void {
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
