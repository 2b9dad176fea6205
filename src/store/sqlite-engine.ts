// The SQLite store's write path: a group-commit queue in front of a writer thread with its own
// connection, so the event loop does not spend its time inside SQLite. Writes that arrive in one
// turn of the event loop go over as one batch and commit together, and each promise settles only
// after that COMMIT. The thread (and a checkpointer thread it starts) stops after an idle spell and
// is started again by the next write. What each write does is sqlite-writer.ts; which writes the
// store asks for is sqlite.ts.
//
// The threads run from source text: the functions they need (`configure`, `makeWriter`,
// `STANDIN_WHERE`, `hashComparer`) are put into WRITER_THREAD with toString(), so each must stay
// self-contained (see their files).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { MAX_EVENTS_PER_SECRET, StoreUnavailableError } from './types.js';
import { configure } from './sqlite-file.js';
import { makeWriter, STANDIN_WHERE } from './sqlite-writer.js';
import { makeAuditWrites } from './sqlite-audit-writes.js';
import type { BatchResult, Writer, WriteOp } from './sqlite-ops.js';
import { hashComparer } from './hash.js';

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
const { createHash, timingSafeEqual } = require('node:crypto');
const Database = require(workerData.driver);
const configure = ${configure.toString()};
const STANDIN_WHERE = ${STANDIN_WHERE.toString()};
const makeAuditWrites = ${makeAuditWrites.toString()};
const makeWriter = ${makeWriter.toString()};
const hashComparer = ${hashComparer.toString()};
const db = new Database(workerData.path, { fileMustExist: true });
configure(db, workerData.synchronous);
db.pragma('wal_autocheckpoint = ' + (workerData.everyMs > 0 ? 10000 : 1000));
const sha256 = (text) => createHash('sha256').update(text).digest();
const writer = makeWriter(db, hashComparer(timingSafeEqual), sha256, ${String(MAX_EVENTS_PER_SECRET)}, makeAuditWrites(db, sha256));
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
    // An erase not truncated yet is, before the file is left (every batch has flagged its own).
    if (Atomics.load(erased, 0) === 1) writer.truncateWal(100);
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

/** How the engine runs; sqlite.ts fills it from SqliteOptions and their defaults. */
export interface EngineSettings {
  /** The database file (which must exist: the writer thread only opens it). */
  readonly path: string;
  readonly synchronous: string;
  /** Milliseconds between the checkpointer's rounds; 0: no checkpointer thread. */
  readonly checkpointEvery: number;
  readonly writerIdleMs: number;
  readonly truncateEveryMs: number;
}

/** A write waiting for its batch's commit. */
interface PendingWrite {
  op: WriteOp;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
type Reply = BatchResult & { seq: number };

export class WriteEngine {
  readonly #settings: EngineSettings;
  #closed = false;
  /** In-thread writer: only for ':memory:', which another connection cannot share. */
  readonly #local: Writer | undefined;
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

  /** With `local`, every batch runs in this thread on its connection, and no thread is started. */
  constructor(settings: EngineSettings, local?: Writer) {
    this.#settings = settings;
    this.#local = local;
  }

  /**
   * Group commit: a write joins the batch that leaves once the event loop has taken in what
   * arrived with it (setImmediate), so one COMMIT — one set of WAL page writes — serves every
   * request of that turn. Each write runs in its own savepoint, so one that throws is refused
   * alone; the promise settles only after the COMMIT, so nothing is acknowledged before it is
   * durable.
   */
  write<T>(op: WriteOp): Promise<T> {
    if (this.#closed) return Promise.reject(new StoreUnavailableError('the store is closed'));
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

  /** True once close() has been called: every write from then on is refused as unavailable. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Whether a writer thread is running now (for tests and diagnostics). */
  get writerRunning(): boolean {
    return this.#worker !== undefined;
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
    const s = this.#settings;
    const worker = new Worker(WRITER_THREAD, {
      eval: true,
      workerData: {
        driver: DRIVER,
        path: s.path,
        synchronous: s.synchronous,
        everyMs: s.checkpointEvery,
        truncateEveryMs: s.truncateEveryMs,
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
          }, s.writerIdleMs);
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

  /**
   * Refuses writes from now on, commits (and answers) those already queued, and stops the writer
   * thread once it has closed its connection. Idempotent.
   */
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
  }
}
