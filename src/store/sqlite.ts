// SQLite adapter (better-sqlite3, WAL): the Store mapped onto the database. Atomicity: every
// operation that changes a row runs inside one `BEGIN IMMEDIATE` transaction, which takes SQLite's
// single write lock before it reads, so the check-and-take of `consume` (and of a request's answer
// and pickup) cannot interleave with another connection or process.
//
// Writes go to the write engine (sqlite-engine.ts): group-committed by a writer thread with its
// own connection, each settling only after its COMMIT; the writes themselves are
// sqlite-writer.ts. Reads (peek, status, request lookups, stats, history) run here, on this
// thread's connection, which sees every committed write.
import type Database from 'better-sqlite3';
import type {
  ConsumeResult,
  Delivery,
  DeliveryOutcome,
  Evidence,
  History,
  NewRequest,
  NewSecret,
  PeekInfo,
  Quota,
  RequestInfo,
  RequestStatusInfo,
  SealResult,
  StatusInfo,
  NewCode,
  CodeResult,
  OwnedSecret,
  Store,
  StoreStats,
} from './types.js';
import { DEAD_LETTER_MS, MAX_EVENTS_PER_SECRET, requestSize, StoreUnavailableError, type OutboxEventType } from './types.js';
import { migrate } from './sqlite-migrations.js';
import { openDatabase } from './sqlite-file.js';
import { WriteEngine } from './sqlite-engine.js';
import { makeWriter, STANDIN_WHERE } from './sqlite-writer.js';
import { makeAuditWrites } from './sqlite-audit-writes.js';
import type { EvidenceArg, OutboxRow, PurgeResult, WriteOp } from './sqlite-ops.js';
import { evidenceRef, sameHash, sha256 } from './hash.js';
import { retained, storedEvent, toHistory } from './evidence.js';
import { auditReads, ownerReads, type AuditReads, type OwnerReads } from './sqlite-audit.js';
import type { AuditEntry } from '../protocol/audit.js';
import type { SecretState } from '../protocol/api.js';
import type { CheckRow, EvidenceRow, MetaRow, RequestRow } from './sqlite-rows.js';

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
   * milliseconds, but at most once per this many (see CHECKPOINTER in sqlite-engine.ts); default 1000.
   */
  truncateEveryMs?: number;
}

const evidenceArg = (id: string, evidence: Evidence): EvidenceArg => ({ ref: evidenceRef(id), client: evidence.client, retainMs: evidence.retainMs });

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #stmt;
  readonly #engine: WriteEngine;
  readonly #audit: AuditReads;
  readonly #owners: OwnerReads;
  /**
   * Writes asked for so far, and how many of them a purge cycle's WAL truncation is known to
   * cover: when the two are equal and nothing has expired, a purge has nothing to do. Starts at
   * one write, so that the first cycle truncates whatever WAL an earlier process left.
   */
  #writesQueued = 1;
  #writesTruncated = 0;

  constructor(path: string, options: SqliteOptions = {}) {
    const synchronous = options.synchronous ?? 'NORMAL';
    this.#db = openDatabase(path, synchronous);
    const db = this.#db;
    migrate(db);
    this.#engine = new WriteEngine(
      {
        path,
        synchronous,
        checkpointEvery: options.checkpointEvery ?? 500,
        writerIdleMs: options.writerIdleMs ?? 30_000,
        truncateEveryMs: options.truncateEveryMs ?? 1000,
      },
      // ':memory:' is this connection's alone: its writes run here, on it.
      path === ':memory:' ? makeWriter(db, sameHash, sha256, MAX_EVENTS_PER_SECRET, makeAuditWrites(db, sha256)) : undefined,
    );

    this.#audit = auditReads(db);
    this.#owners = ownerReads(db);
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
      // Verified recipients (migration 9): whether the secret has a gate.
      gated: db.prepare<[string], { g: number }>(`SELECT 1 AS g FROM gates WHERE id = ?`),
      // Whether a purge would remove anything (five index probes; an evidence record is marked
      // expired with its secret's row).
      anyExpired: db
        .prepare<[number, number, number, number, number], { due: number }>(
          `SELECT EXISTS (SELECT 1 FROM secrets WHERE expires_at <= ?)
             OR EXISTS (SELECT 1 FROM requests WHERE expires_at <= ?)
             OR EXISTS (SELECT 1 FROM used_once WHERE expires_at <= ?)
             OR EXISTS (SELECT 1 FROM evidence WHERE state <> 'pending' AND retain_until <= ?)
             OR EXISTS (SELECT 1 FROM outbox WHERE dead_until <= ?) AS due`,
        ),
      // Whether the reveal page of a ref is worth a write (touch): one index probe.
      openable: db.prepare<[Buffer, number], { one: number }>(`SELECT 1 AS one FROM evidence WHERE ref = ? AND state = 'pending' AND expires_at > ?`),
      // The record of the ref, or the stand-in (ref of zero bytes) when there is none: a missing
      // ref and a wrong manage token take the same path, as STANDIN_WHERE does for ids.
      getEvidence: db.prepare<[Buffer], EvidenceRow>(
        `SELECT ref, manage_hash, ciphertext_hash, created_at, created_by, expires_at, state, views_left, ended_at, retain_until, events
         FROM evidence WHERE ref = coalesce((SELECT ref FROM evidence WHERE ref = ?), zeroblob(32))`,
      ),
      // Whether a claim would take anything (one index probe), so an idle delivery loop never writes.
      anyDue: db.prepare<[number], { one: number }>(`SELECT 1 AS one FROM outbox WHERE dead_until IS NULL AND next_at <= ? LIMIT 1`),
      outboxStats: db.prepare<[], { pending: number; dead: number }>(
        `SELECT count(*) FILTER (WHERE dead_until IS NULL) AS pending, count(*) FILTER (WHERE dead_until IS NOT NULL) AS dead FROM outbox`,
      ),
      getEvents: db.prepare<[Buffer], { type: string; at: number; client: string | null }>(`SELECT type, at, client FROM events WHERE ref = ? ORDER BY seq`),
      // Everything but the response, for the same reasons as getMeta.
      getRequest: db.prepare<[string], RequestRow>(
        `SELECT public_key, note, typeof(response) <> 'null' AS answered, expires_at FROM requests WHERE id = ?`,
      ),
      // requestStatus checks a token: the row, or the stand-in (getRequest needs no token).
      checkRequest: db.prepare<[string], CheckRow>(
        `SELECT id, token_hash, typeof(response) <> 'null' AS answered, expires_at FROM requests WHERE ${STANDIN_WHERE('requests')}`,
      ),
    };
  }

  /** Counts the write for purge's shortcut and hands it to the engine (group commit). */
  #write<T>(op: WriteOp): Promise<T> {
    if (op.op !== 'purge') this.#writesQueued++;
    return this.#engine.write<T>(op);
  }

  /** Whether a writer thread is running now (for tests and diagnostics). */
  get writerRunning(): boolean {
    return this.#engine.writerRunning;
  }

  create(s: NewSecret, quota: Quota, evidence?: Evidence): Promise<'created' | 'quota_exceeded'> {
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
    const gate = { ...(s.gate ? { gate: [Buffer.concat(s.gate.recipients), s.gate.attempts] as const } : {}), ...(s.owner ? { owner: s.owner } : {}) };
    if (!evidence) return this.#write({ op: 'create', row, quota, ...gate });
    const ev = [evidenceRef(s.id), s.manageHash, sha256(s.ciphertext), s.createdAt, evidence.client, s.expiresAt, s.views, s.expiresAt + evidence.retainMs] as const;
    return this.#write({ op: 'create', row, quota, ev, ...gate });
  }

  async peek(id: string, verifier: Uint8Array, now: number, evidence?: Evidence): Promise<PeekInfo | null> {
    const row = this.#stmt.getMeta.get(id);
    if (!sameHash(row?.verifier, verifier) || row?.id !== id || row.live !== 1 || row.expires_at <= now) return null;
    const info = {
      expiresAt: row.expires_at,
      viewsLeft: row.views_left,
      passphrase: row.pp_salt !== null && row.pp_iterations !== null ? { salt: row.pp_salt, iterations: row.pp_iterations } : null,
      notBefore: row.not_before,
      ...this.#restricted(id),
    };
    if (evidence) await this.touch(id, now, evidence);
    return info;
  }

  #restricted(id: string): { restricted?: true } {
    return this.#stmt.gated.get(id) ? { restricted: true } : {};
  }

  consume(
    id: string,
    verifier: Uint8Array,
    proofVerifier: Uint8Array | null,
    now: number,
    evidence?: Evidence,
    notify?: boolean,
    code?: Uint8Array | null,
  ): Promise<ConsumeResult> {
    const extra = { ...(notify === true ? { notify } : {}), ...(code ? { code } : {}) };
    if (!evidence) return this.#write({ op: 'consume', id, verifier, proof: proofVerifier, now, ...extra });
    return this.#write({ op: 'consume', id, verifier, proof: proofVerifier, now, ev: evidenceArg(id, evidence), ...extra });
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
      ...this.#restricted(id),
    });
  }

  owned(owner: Uint8Array, now: number, options: { limit: number; id?: string }): Promise<OwnedSecret[]> {
    return Promise.resolve(this.#owners.list(owner, now, options));
  }

  requestCode(id: string, verifier: Uint8Array, code: NewCode, now: number): Promise<CodeResult> {
    return this.#write({ op: 'requestCode', id, verifier, now, candidates: code.candidates, codeHash: code.codeHash, expiresAt: code.expiresAt, maxSends: code.maxSends });
  }

  revoke(id: string, manageHash: Uint8Array, now: number, evidence?: Evidence, notify?: boolean): Promise<boolean> {
    const extra = notify === true ? { notify } : {};
    if (!evidence) return this.#write({ op: 'revoke', id, manageHash, now, ...extra });
    return this.#write({ op: 'revoke', id, manageHash, now, ev: evidenceArg(id, evidence), ...extra });
  }

  /** A read first, so that a missing or ended id never costs a write (the writer checks again). */
  async touch(id: string, now: number, evidence: Evidence): Promise<void> {
    const ref = evidenceRef(id);
    if (this.#stmt.openable.get(ref, now) === undefined) return;
    await this.#write({ op: 'opened', ref, now, client: evidence.client });
  }

  history(id: string, manageHash: Uint8Array, now: number): Promise<History | null> {
    const ref = evidenceRef(id);
    // One read transaction: the record and its events as of one moment.
    return Promise.resolve(
      this.#db.transaction((): History | null => {
        const row = this.#stmt.getEvidence.get(ref);
        if (!sameHash(row?.manage_hash, manageHash) || !row?.ref.equals(ref) || !retained({ retainUntil: row.retain_until }, now)) return null;
        const events = this.#stmt.getEvents.all(ref).map((e) => storedEvent(e.type, e.at, e.client));
        const record = {
          state: row.state,
          viewsLeft: row.views_left,
          createdAt: row.created_at,
          createdBy: row.created_by,
          expiresAt: row.expires_at,
          endedAt: row.ended_at,
          retainUntil: row.retain_until,
          ciphertextHash: row.ciphertext_hash,
          events: row.events,
        };
        return toHistory(record, events, now);
      })(),
    );
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
  purge(now: number, limit: number, notify?: boolean): Promise<{ removed: number; expired: number }> {
    // Nothing written since the last truncation and nothing expired: nothing to remove and no
    // WAL to fold, so an idle server's purges leave the writer thread asleep.
    if (!this.#engine.closed && this.#writesTruncated === this.#writesQueued && this.#stmt.anyExpired.get(now, now, now, now, now)?.due === 0) {
      return Promise.resolve({ removed: 0, expired: 0 });
    }
    const covered = this.#writesQueued; // every write queued so far commits before this purge does
    return this.#write<PurgeResult>({ op: 'purge', now, limit, ...(notify === true ? { notify } : {}) }).then((r) => {
      if (r.truncated) this.#writesTruncated = Math.max(this.#writesTruncated, covered);
      return { removed: r.removed, expired: r.expired };
    });
  }

  /** A read first, so that a loop polling an empty outbox never wakes the writer thread. */
  async claimDeliveries(owner: string, now: number, limit: number, leaseMs: number): Promise<Delivery[]> {
    if (this.#stmt.anyDue.get(now) === undefined) return [];
    const rows = await this.#write<OutboxRow[]>({ op: 'claim', owner, now, limit, leaseMs });
    return rows.map((r) => ({
      eventId: String(r.event_id),
      type: r.type as OutboxEventType,
      secretId: r.secret_id,
      at: r.at,
      viewsLeft: r.views_left,
      attempts: r.attempts,
    }));
  }

  finishDelivery(eventId: string, owner: string, outcome: DeliveryOutcome, now: number): Promise<boolean> {
    const id = Number(eventId);
    if (outcome === 'delivered') return this.#write({ op: 'finish', eventId: id, owner, outcome, at: now });
    if (outcome === 'dead') return this.#write({ op: 'finish', eventId: id, owner, outcome, at: now + DEAD_LETTER_MS });
    return this.#write({ op: 'finish', eventId: id, owner, outcome: 'retry', at: outcome.retryAt });
  }

  outboxStats(): Promise<{ pending: number; dead: number }> {
    const row = this.#stmt.outboxStats.get();
    return Promise.resolve({ pending: row?.pending ?? 0, dead: row?.dead ?? 0 });
  }

  /** Nothing queued and nothing due: no write, so an idle writer thread stays stopped. */
  sealAudit(now: number, limit: number, retainMs: number): Promise<SealResult> {
    if (!this.#audit.due(now, retainMs)) return Promise.resolve({ sealed: 0, pruned: 0 });
    return this.#write({ op: 'seal', now, limit, retainMs });
  }

  readAudit(since: number, limit: number): Promise<AuditEntry[]> {
    return Promise.resolve(this.#audit.read(since, limit));
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
   * Folds the WAL back into the main file and truncates it, so erased pages leave the WAL too
   * (tests read the file after it). Another connection's checkpoint (the checkpointer's, or the
   * writer's truncation after an erase) makes it busy at once, without waiting: it then tries
   * again, for up to two seconds, and throws if it never completed — a caller that went on would
   * read a file without the WAL's latest writes, and a comparison of two such reads proves nothing.
   */
  checkpoint(): void {
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let i = 0; i < 200; i++) {
      const [row] = this.#db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (row?.busy === 0) return;
      Atomics.wait(pause, 0, 0, 10);
    }
    throw new StoreUnavailableError('the WAL could not be checkpointed: another connection kept it busy for 2 s');
  }

  /** Writes already queued are committed and answered first; the file is closed after the writer's. */
  async close(): Promise<void> {
    if (this.#engine.closed) return;
    await this.#engine.close();
    this.#db.close();
  }
}
