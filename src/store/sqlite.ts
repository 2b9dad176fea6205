// SQLite adapter (better-sqlite3, WAL). Atomicity: every operation that changes a row runs inside
// one `BEGIN IMMEDIATE` transaction, which takes SQLite's single write lock before it reads, so
// the check-and-take of `consume` (and of a request's answer and pickup) cannot interleave with
// another connection or process. Within one process better-sqlite3 is synchronous, so no other
// request runs while a transaction is open.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
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
import type { SecretState } from '../protocol/api.js';

interface RequestRow {
  public_key: Buffer;
  note: string;
  token_hash: Buffer;
  answered: number;
  expires_at: number;
}

interface Row {
  ciphertext: Buffer | null;
  verifier: Buffer;
  manage_hash: Buffer;
  pp_salt: string | null;
  pp_iterations: number | null;
  pp_verifier: Buffer | null;
  pp_attempts_left: number | null;
  views_left: number;
  state: 'pending' | 'consumed' | 'revoked' | 'burned';
  expires_at: number;
  not_before: number | null;
  consumed_at: number | null;
}

const DUMMY_HASH = Buffer.alloc(32);
/** Constant-time comparison of fixed-length hashes; a missing row compares against a dummy, same path. */
const sameHash = (stored: Uint8Array | undefined, given: Uint8Array): boolean => {
  const a = stored ?? DUMMY_HASH;
  const equal = a.length === given.length && timingSafeEqual(a, given);
  return equal && stored !== undefined;
};

export interface SqliteOptions {
  /** `synchronous` pragma; NORMAL survives process crashes (kill -9), FULL also power loss. */
  synchronous?: 'NORMAL' | 'FULL';
  /** Milliseconds between background WAL checkpoints (0: SQLite's own, on the committing request). */
  checkpointEvery?: number;
}

// WAL checkpoints copy committed pages back into the database file and fsync it. Left to SQLite,
// they run inside whichever commit crosses 1 000 WAL pages — on the request's path, every few
// hundred creates. Here a worker thread with its own connection checkpoints every half second
// instead: fewer fsyncs, pages written many times (the counters) copied once, and no request waits.
// SQLite's own checkpoint stays as a safety valve at 10 000 pages (about 40 MB of WAL).
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy or closing: next round */ }
}, workerData.everyMs);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;
const DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

/** A write waiting for the group commit: its transaction function, arguments and promise. */
interface PendingWrite {
  tx: Database.Transaction<(...args: unknown[]) => unknown>;
  args: unknown[];
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #stmt;
  readonly #consumeTx;
  readonly #revokeTx;
  readonly #createTx;
  readonly #createRequestTx;
  readonly #answerTx;
  readonly #pickupTx;
  readonly #cancelTx;
  #closed = false;
  #checkpointer: Worker | undefined;
  #startCheckpointer: (() => void) | undefined;
  /** Writes waiting for the next group commit, in arrival order. */
  #queue: PendingWrite[] = [];
  #flushScheduled = false;
  readonly #groupTx;

  constructor(path: string, options: SqliteOptions = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.#db = new Database(path);
    const db = this.#db;
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    // Deleted content is overwritten with zeros instead of lingering in free pages.
    db.pragma('secure_delete = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    const everyMs = options.checkpointEvery ?? 500;
    if (path !== ':memory:' && everyMs > 0) {
      // Started with the first write, not before: a server that only serves pages (or has just
      // started) does not carry the worker's memory (about 8 MB).
      this.#startCheckpointer = () => {
        this.#startCheckpointer = undefined;
        db.pragma('wal_autocheckpoint = 10000');
        const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { driver: DRIVER, path, everyMs } });
        worker.unref();
        // A checkpointer that dies only means SQLite's own checkpoints take over.
        worker.on('error', () => undefined);
        this.#checkpointer = worker;
      };
    }

    this.#stmt = {
      insert: db.prepare(
        `INSERT INTO secrets (id, ciphertext, verifier, manage_hash, pp_salt, pp_iterations, pp_verifier,
           pp_attempts_left, views, views_left, state, created_at, expires_at, not_before, size)
         VALUES (@id, @ciphertext, @verifier, @manage_hash, @pp_salt, @pp_iterations, @pp_verifier,
           @pp_attempts_left, @views, @views, 'pending', @created_at, @expires_at, @not_before, @size)`,
      ),
      get: db.prepare<[string], Row>(
        `SELECT ciphertext, verifier, manage_hash, pp_salt, pp_iterations, pp_verifier, pp_attempts_left,
           views_left, state, expires_at, not_before, consumed_at FROM secrets WHERE id = ?`,
      ),
      // Peek never needs the ciphertext; reading it would cost a copy of up to the size limit.
      getMeta: db.prepare<[string], Omit<Row, 'ciphertext'> & { live: number }>(
        `SELECT (ciphertext IS NOT NULL) AS live, verifier, manage_hash, pp_salt, pp_iterations, pp_verifier,
           pp_attempts_left, views_left, state, expires_at, not_before, consumed_at FROM secrets WHERE id = ?`,
      ),
      take: db.prepare<{ id: string; now: number }>(
        `UPDATE secrets SET views_left = views_left - 1,
           ciphertext = CASE WHEN views_left = 1 THEN NULL ELSE ciphertext END,
           state = CASE WHEN views_left = 1 THEN 'consumed' ELSE state END,
           consumed_at = CASE WHEN views_left = 1 THEN @now ELSE consumed_at END
         WHERE id = @id`,
      ),
      wrongProof: db.prepare<{ id: string }>(
        `UPDATE secrets SET pp_attempts_left = pp_attempts_left - 1,
           ciphertext = CASE WHEN pp_attempts_left = 1 THEN NULL ELSE ciphertext END,
           state = CASE WHEN pp_attempts_left = 1 THEN 'burned' ELSE state END
         WHERE id = @id`,
      ),
      revoke: db.prepare<{ id: string }>(`UPDATE secrets SET ciphertext = NULL, state = 'revoked' WHERE id = @id`),
      purge: db.prepare<[number, number], { unread: number }>(
        `DELETE FROM secrets WHERE rowid IN (SELECT rowid FROM secrets WHERE expires_at <= ? LIMIT ?)
         RETURNING (state = 'pending') AS unread`,
      ),
      purgeUsed: db.prepare<[number]>(`DELETE FROM used_once WHERE expires_at <= ?`),
      useOnce: db.prepare<[string, number]>(`INSERT OR IGNORE INTO used_once (key, expires_at) VALUES (?, ?)`),
      stats: db.prepare<[], { live: number; bytes: number }>(`SELECT live, bytes FROM stats WHERE id = 1`),
      insertRequest: db.prepare(
        `INSERT INTO requests (id, public_key, note, token_hash, response, created_at, expires_at, answered_at, size)
         VALUES (@id, @public_key, @note, @token_hash, NULL, @created_at, @expires_at, NULL, @size)`,
      ),
      // Everything but the response: reading it would cost a copy of up to the size limit.
      getRequest: db.prepare<[string], RequestRow>(
        `SELECT public_key, note, token_hash, (response IS NOT NULL) AS answered, expires_at FROM requests WHERE id = ?`,
      ),
      answer: db.prepare<{ id: string; response: Uint8Array; size: number; now: number }>(
        `UPDATE requests SET response = @response, size = size + @size, answered_at = @now WHERE id = @id`,
      ),
      takeResponse: db.prepare<[string], { response: Buffer }>(`DELETE FROM requests WHERE id = ? RETURNING response`),
      deleteRequest: db.prepare<[string]>(`DELETE FROM requests WHERE id = ?`),
      purgeRequests: db.prepare<[number, number]>(
        `DELETE FROM requests WHERE rowid IN (SELECT rowid FROM requests WHERE expires_at <= ? LIMIT ?)`,
      ),
    };

    this.#createTx = db.transaction((row: Record<string, unknown>, size: number, quota: Quota): 'created' | 'quota_exceeded' => {
      const stats = this.#stmt.stats.get();
      if (stats && (stats.live + 1 > quota.maxSecrets || stats.bytes + size > quota.maxBytes)) return 'quota_exceeded';
      this.#stmt.insert.run(row);
      return 'created';
    });

    this.#consumeTx = db.transaction(
      (id: string, verifier: Uint8Array, proof: Uint8Array | null, now: number): ConsumeResult => {
        const row = this.#stmt.get.get(id);
        if (!sameHash(row?.verifier, verifier) || !row || row.ciphertext === null || row.expires_at <= now) {
          return { ok: false, reason: 'not_found' };
        }
        if (row.not_before !== null && now < row.not_before) {
          return { ok: false, reason: 'not_yet_available', notBefore: row.not_before };
        }
        if (row.pp_verifier !== null && (proof === null || !sameHash(row.pp_verifier, proof))) {
          this.#stmt.wrongProof.run({ id });
          return { ok: false, reason: 'wrong_passphrase', attemptsLeft: (row.pp_attempts_left ?? 1) - 1 };
        }
        this.#stmt.take.run({ id, now });
        return { ok: true, ciphertext: row.ciphertext, viewsLeft: row.views_left - 1 };
      },
    );

    this.#createRequestTx = db.transaction((row: Record<string, unknown>, size: number, quota: Quota): 'created' | 'quota_exceeded' => {
      const stats = this.#stmt.stats.get();
      if (stats && (stats.live + 1 > quota.maxSecrets || stats.bytes + size > quota.maxBytes)) return 'quota_exceeded';
      this.#stmt.insertRequest.run(row);
      return 'created';
    });

    this.#answerTx = db.transaction((id: string, response: Uint8Array, now: number, quota: Quota): 'answered' | 'not_found' | 'quota_exceeded' => {
      const row = this.#stmt.getRequest.get(id);
      if (!row || row.answered === 1 || row.expires_at <= now) return 'not_found';
      const stats = this.#stmt.stats.get();
      if (stats && stats.bytes + response.length > quota.maxBytes) return 'quota_exceeded';
      this.#stmt.answer.run({ id, response, size: response.length, now });
      return 'answered';
    });

    this.#pickupTx = db.transaction((id: string, tokenHash: Uint8Array, now: number): { ciphertext: Uint8Array } | null => {
      const row = this.#stmt.getRequest.get(id);
      if (!sameHash(row?.token_hash, tokenHash) || !row || row.answered !== 1 || row.expires_at <= now) return null;
      const taken = this.#stmt.takeResponse.get(id);
      return taken ? { ciphertext: taken.response } : null;
    });

    this.#cancelTx = db.transaction((id: string, tokenHash: Uint8Array, now: number): boolean => {
      const row = this.#stmt.getRequest.get(id);
      if (!sameHash(row?.token_hash, tokenHash) || !row || row.expires_at <= now) return false;
      this.#stmt.deleteRequest.run(id);
      return true;
    });

    this.#revokeTx = db.transaction((id: string, manageHash: Uint8Array): boolean => {
      const row = this.#stmt.getMeta.get(id);
      if (!sameHash(row?.manage_hash, manageHash) || !row) return false;
      if (row.state === 'pending') this.#stmt.revoke.run({ id });
      return true;
    });

    // One transaction around a batch of writes; each write inside is its own savepoint.
    this.#groupTx = db.transaction((batch: PendingWrite[], results: Settled[]): void => {
      for (const write of batch) {
        try {
          results.push({ ok: true, value: write.tx(...write.args) });
        } catch (error) {
          results.push({ ok: false, error });
        }
      }
    });
  }

  /**
   * Group commit: a write joins the batch that commits once the event loop has taken in what
   * arrived with it (setImmediate), so one COMMIT — one set of WAL page writes — serves every
   * request of that turn instead of one each. Each write runs in its own savepoint, so one that
   * throws is rolled back alone; the promise settles only after the COMMIT, so nothing is
   * acknowledged before it is durable.
   */
  #write<T>(tx: Database.Transaction<(...args: never[]) => T>, ...args: unknown[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ tx: tx as PendingWrite['tx'], args, resolve: resolve as (v: unknown) => void, reject });
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
    if (!this.#closed) this.#startCheckpointer?.();
    if (this.#closed && !this.#db.open) {
      for (const write of batch) write.reject(new StoreUnavailableError('the store is closed'));
      return;
    }
    const results: Settled[] = [];
    try {
      this.#groupTx.immediate(batch, results);
    } catch (error) {
      // The COMMIT (or BEGIN) failed: nothing of the batch is stored.
      for (const write of batch) write.reject(error);
      return;
    }
    batch.forEach((write, i) => {
      const r = results[i]!;
      if (r.ok) write.resolve(r.value);
      else write.reject(r.error);
    });
  }

  create(s: NewSecret, quota: Quota): Promise<'created' | 'quota_exceeded'> {
    const row = {
      id: s.id,
      ciphertext: s.ciphertext,
      verifier: s.verifier,
      manage_hash: s.manageHash,
      pp_salt: s.passphrase?.salt ?? null,
      pp_iterations: s.passphrase?.iterations ?? null,
      pp_verifier: s.passphrase?.verifier ?? null,
      pp_attempts_left: s.passphrase?.attempts ?? null,
      views: s.views,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
      not_before: s.notBefore,
      size: s.ciphertext.length,
    };
    return this.#write(this.#createTx, row, s.ciphertext.length, quota);
  }

  peek(id: string, verifier: Uint8Array, now: number): Promise<PeekInfo | null> {
    const row = this.#stmt.getMeta.get(id);
    if (!sameHash(row?.verifier, verifier) || !row || row.live !== 1 || row.expires_at <= now) return Promise.resolve(null);
    return Promise.resolve({
      expiresAt: row.expires_at,
      viewsLeft: row.views_left,
      passphrase: row.pp_salt !== null && row.pp_iterations !== null ? { salt: row.pp_salt, iterations: row.pp_iterations } : null,
      notBefore: row.not_before,
    });
  }

  consume(id: string, verifier: Uint8Array, proofVerifier: Uint8Array | null, now: number): Promise<ConsumeResult> {
    return this.#write(this.#consumeTx, id, verifier, proofVerifier, now);
  }

  status(id: string, manageHash: Uint8Array, now: number): Promise<StatusInfo | null> {
    const row = this.#stmt.getMeta.get(id);
    if (!sameHash(row?.manage_hash, manageHash) || !row) return Promise.resolve(null);
    const state: SecretState = row.state === 'pending' && row.expires_at <= now ? 'expired' : row.state;
    return Promise.resolve({
      state,
      viewsLeft: state === 'pending' ? row.views_left : 0,
      expiresAt: row.expires_at,
      consumedAt: row.consumed_at,
    });
  }

  revoke(id: string, manageHash: Uint8Array): Promise<boolean> {
    return this.#write(this.#revokeTx, id, manageHash);
  }

  createRequest(r: NewRequest, quota: Quota): Promise<'created' | 'quota_exceeded'> {
    const size = requestSize(r);
    const row = {
      id: r.id,
      public_key: r.publicKey,
      note: r.note,
      token_hash: r.tokenHash,
      created_at: r.createdAt,
      expires_at: r.expiresAt,
      size,
    };
    return this.#write(this.#createRequestTx, row, size, quota);
  }

  getRequest(id: string, now: number): Promise<RequestInfo | null> {
    const row = this.#stmt.getRequest.get(id);
    if (!row || row.expires_at <= now) return Promise.resolve(null);
    return Promise.resolve({ publicKey: row.public_key, note: row.note, expiresAt: row.expires_at, state: row.answered === 1 ? 'answered' : 'open' });
  }

  answerRequest(id: string, ciphertext: Uint8Array, now: number, quota: Quota): Promise<'answered' | 'not_found' | 'quota_exceeded'> {
    return this.#write(this.#answerTx, id, ciphertext, now, quota);
  }

  pickupRequest(id: string, tokenHash: Uint8Array, now: number): Promise<{ ciphertext: Uint8Array } | null> {
    return this.#write(this.#pickupTx, id, tokenHash, now);
  }

  requestStatus(id: string, tokenHash: Uint8Array, now: number): Promise<RequestStatusInfo | null> {
    const row = this.#stmt.getRequest.get(id);
    if (!sameHash(row?.token_hash, tokenHash) || !row || row.expires_at <= now) return Promise.resolve(null);
    return Promise.resolve({ state: row.answered === 1 ? 'answered' : 'open', expiresAt: row.expires_at });
  }

  cancelRequest(id: string, tokenHash: Uint8Array, now: number): Promise<boolean> {
    return this.#write(this.#cancelTx, id, tokenHash, now);
  }

  purge(now: number, limit: number): Promise<{ removed: number; expired: number }> {
    const rows = this.#stmt.purge.all(now, limit);
    // Requests left past their expiry were never picked up: they count as expired unread.
    const requests = rows.length < limit ? this.#stmt.purgeRequests.run(now, limit - rows.length).changes : 0;
    const removed = rows.length + requests;
    const expired = rows.reduce((n, r) => n + r.unread, 0) + requests;
    if (removed < limit) {
      // End of a purge cycle: forget expired single-use markers, and fold the WAL into the main
      // file and truncate it, so that erased ciphertext does not linger in the WAL either.
      this.#stmt.purgeUsed.run(now);
      this.checkpoint();
    }
    return Promise.resolve({ removed, expired });
  }

  useOnce(key: string, expiresAt: number): Promise<boolean> {
    return Promise.resolve(this.#stmt.useOnce.run(key, expiresAt).changes === 1);
  }

  stats(): Promise<StoreStats> {
    const row = this.#stmt.stats.get();
    return Promise.resolve({ liveSecrets: row?.live ?? 0, storedBytes: row?.bytes ?? 0 });
  }

  ping(): Promise<void> {
    this.#stmt.stats.get();
    return Promise.resolve();
  }

  /** Folds the WAL back into the main file and truncates it, so erased pages leave the WAL too. */
  checkpoint(): void {
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#flush(); // writes already queued are committed (and answered) before the file closes
    const worker = this.#checkpointer;
    if (worker) {
      // Keep the process alive until the checkpointer has closed its connection.
      worker.ref();
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 2000)))]);
      clearTimeout(timer);
      await worker.terminate();
    }
    this.#db.close();
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
