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
// overshoot a full quota by at most the writes in flight (per instance: 20 alone, the pool size,
// and two groups of up to 64 creates of at most 64 KiB each). Requests follow the same rules:
// `answerRequest` is one statement (lock the open row, take room in the quota, store the
// response), `pickupRequest` one `DELETE … RETURNING` that hands the response to exactly one caller.
//
// Group commit (postgres-batch.ts): creates and consumes that arrive while earlier ones are on
// their way go together, as one statement of the same rules (postgres-create.ts, postgres-consume.ts).
// Failures: connection errors, timeouts and server shutdowns are thrown as StoreUnavailableError
// (the server answers 503). The pool drops broken connections and opens new ones on demand, so
// service comes back by itself when the database does.
//
// Evidence (docs/protocol.md §9): given an Evidence, create, consume and revoke run a twin
// statement that also records the event, still one statement and one round trip; peek records
// 'opened' with a second statement once the token matched.
//
// Outbox (read notifications): given `notify`, consume, revoke and purge run a twin statement
// (NOTIFY_SQL, or purge's $3) that also inserts the event's outbox row; claims use SKIP LOCKED.
//
// Audit trail (docs/protocol.md §11): triggers queue an entry with every event stored (migration
// 7); `sealAudit` chains them on in one transaction that holds the trail's head row, taken with
// SKIP LOCKED so that one instance seals at a time and the others return (postgres-audit.ts).
//
// Verified recipients (§12, migration 8): consume checks the code before the passphrase (postgres-gate.ts).
//
// Owners (migration 9): create writes the owner's key; `owned` is one SELECT (postgres-owners.ts).
//
// This file maps the Store onto the statements of postgres-statements.ts; the schema and the
// runner that applies it at start-up are postgres-migrations.ts.
import pg from 'pg';
import type {
  AuditEntry,
  CodeResult,
  ConsumeResult,
  Delivery,
  DeliveryOutcome,
  Evidence,
  History,
  NewCode,
  NewRequest,
  NewSecret,
  OwnedSecret,
  PeekInfo,
  Quota,
  RequestInfo,
  RequestStatusInfo,
  StatusInfo,
  SealResult,
  Store,
  StoreStats,
} from './types.js';
import { DEAD_LETTER_MS, StoreUnavailableError, requestSize, type OutboxEventType } from './types.js';
import { openPool, toStoreError, type PostgresOptions } from './postgres-pool.js';
import {
  NOTIFY_SQL,
  SQL,
  type AnswerRow,
  type CheckRow,
  type ConsumeRow,
  type EvidenceCheckRow,
  type EvidenceReadRow,
  type MetaRow,
  type OutboxRow,
  type PickupRow,
  type RequestRow,
} from './postgres-statements.js';
import { AUDIT_SQL, seal, toAuditEntry, type AuditRow } from './postgres-audit.js';
import { GATE_SQL, codeResult, codeValues, consumeResult, type CodeRow } from './postgres-gate.js';
import { evidenceRef, sameHash } from './hash.js';
import { Batcher } from './postgres-batch.js';
import { CREATE_GROUP_SQL, createGroupValues, createValues, type CreateItem } from './postgres-create.js';
import { CONSUME_GROUP_SQL, CONSUME_SQL, consumeForm, consumeValues, type ConsumeItem } from './postgres-consume.js';
import { retained } from './evidence.js';
import { historyOf, ownedQuery, shownState, toOwned, type OwnedRow } from './postgres-owners.js';

const num = (v: string | number): number => Number(v);
const numOrNull = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** Safety margin (ms) between a consume's deadline and the moment its caller stops waiting. */
const LATE_MARGIN = 300;
/** Group commit of creates, and of consumes (apart with and without webhooks): groups out at once, most items in one; largest ciphertext grouped. */
const [GROUPS, GROUP_BYTES] = [{ inFlight: 2, maxItems: 64 }, 64 * 1024];

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #creates = new Batcher<CreateItem, 'created' | 'quota_exceeded'>({ ...GROUPS, one: (c) => this.#createOne(c), many: (g) => this.#createGroup(g), key: (c) => c.s.id });
  readonly #consumes = new Batcher<ConsumeItem, ConsumeResult>({ ...GROUPS, one: (c) => this.#consumeOne(c), many: (g) => this.#consumeGroup(g), key: (c) => c.id });
  readonly #consumesNotify = new Batcher<ConsumeItem, ConsumeResult>({ ...GROUPS, one: (c) => this.#consumeOne(c), many: (g) => this.#consumeGroup(g), key: (c) => c.id });
  readonly #queryTimeout: number;
  /** Database clock minus ours, in ms (consume deadlines are given in the database's clock). */
  #skew = 0;
  #closed = false;

  private constructor(pool: pg.Pool, queryTimeout: number) {
    this.#pool = pool;
    this.#queryTimeout = queryTimeout;
  }

  /** Group statements sent so far (postgres-batch.ts), and the items they held. */
  get grouped(): Record<'creates' | 'consumes', { groups: number; items: number }> {
    const [c, n] = [this.#consumes.sent, this.#consumesNotify.sent];
    return { creates: { ...this.#creates.sent }, consumes: { groups: c.groups + n.groups, items: c.items + n.items } };
  }

  /** Connects, applies missing migrations (under an advisory lock), and returns the store. */
  static async open(connectionString: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    const queryTimeout = options.queryTimeout ?? 2000;
    const pool = await openPool(connectionString, options, queryTimeout);
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

  create(s: NewSecret, quota: Quota, evidence?: Evidence): Promise<'created' | 'quota_exceeded'> {
    // A large ciphertext goes alone: in a group it would travel as hex text in an array.
    return s.ciphertext.length > GROUP_BYTES ? this.#createOne({ s, quota, evidence }) : this.#creates.run({ s, quota, evidence });
  }

  async #createOne(item: CreateItem): Promise<'created' | 'quota_exceeded'> {
    const [name, sql] = item.evidence ? ['create_evidence_owner', SQL.createEvidence] : ['create_owner', SQL.create];
    return (await this.#query(name, sql, createValues(item))).rowCount === 1 ? 'created' : 'quota_exceeded';
  }

  async #createGroup(items: readonly CreateItem[]): Promise<('created' | 'quota_exceeded')[]> {
    const r = await this.#query<{ id: string }>('create_group', CREATE_GROUP_SQL, createGroupValues(items));
    const stored = new Set(r.rows.map((row) => row.id));
    return items.map(({ s }) => (stored.has(s.id) ? 'created' : 'quota_exceeded'));
  }

  async peek(id: string, verifier: Uint8Array, now: number, evidence?: Evidence): Promise<PeekInfo | null> {
    const row = (await this.#query<MetaRow>('meta_gate', SQL.meta, [id])).rows[0];
    if (!sameHash(row?.verifier, verifier) || row?.id !== id || !row.live || num(row.expires_at) <= now) return null;
    if (evidence) await this.touch(id, now, evidence);
    return {
      expiresAt: num(row.expires_at),
      viewsLeft: row.views_left,
      passphrase: row.pp_salt !== null && row.pp_iterations !== null ? { salt: row.pp_salt, iterations: row.pp_iterations } : null,
      notBefore: numOrNull(row.not_before),
      ...(row.restricted ? { restricted: true } : {}),
    };
  }

  async touch(id: string, now: number, evidence: Evidence): Promise<void> {
    await this.#query('opened', SQL.opened, [evidenceRef(id), now, evidence.client]);
  }

  async history(id: string, manageHash: Uint8Array, now: number): Promise<History | null> {
    const ref = evidenceRef(id);
    const check = (await this.#query<EvidenceCheckRow>('evidence_check', SQL.evidenceCheck, [ref])).rows[0];
    if (!sameHash(check?.manage_hash, manageHash) || !check?.ref.equals(ref) || !retained({ retainUntil: num(check.retain_until) }, now)) return null;
    const row = (await this.#query<EvidenceReadRow>('evidence_read', SQL.evidenceRead, [ref])).rows[0];
    // Purged between the two statements: as if it had been before.
    if (!row || !retained({ retainUntil: num(row.retain_until) }, now)) return null;
    return historyOf(row, now);
  }

  /**
   * Runs one statement whose last say is a deadline in the database's clock ($n = `deadline`):
   * the statement checks it itself and changes nothing when it runs after the caller stopped
   * waiting. The deadline counts from the moment a connection is ours (the statement goes out at once).
   */
  async #withDeadline<R extends pg.QueryResultRow>(name: string, text: string, values: (deadline: number) => unknown[]): Promise<pg.QueryResult<R>> {
    return this.#withClient((client) => {
      const deadline = Date.now() + this.#skew + this.#queryTimeout - LATE_MARGIN;
      return client.query<R>({ name: `hush_${name}`, text, values: values(deadline) });
    });
  }

  /**
   * Runs `work` on a pooled connection of its own. A failure destroys the connection rather than
   * returning it to the pool, which also rolls back a transaction `work` left open.
   */
  async #withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError('the store is closed');
    let client: pg.PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (err) {
      throw toStoreError(err);
    }
    try {
      const r = await work(client);
      client.release();
      return r;
    } catch (err) {
      client.release(err instanceof Error ? err : true);
      throw toStoreError(err);
    }
  }

  consume(id: string, verifier: Uint8Array, proofVerifier: Uint8Array | null, now: number, evidence?: Evidence, notify?: boolean,
    code?: Uint8Array | null): Promise<ConsumeResult> {
    const item = { id, verifier, proof: proofVerifier, now, evidence, notify: notify === true, code: code ?? null };
    return (item.notify ? this.#consumesNotify : this.#consumes).run(item);
  }

  async #consumeOne(c: ConsumeItem): Promise<ConsumeResult> {
    const form = consumeForm({ evidence: c.evidence !== undefined, notify: c.notify });
    const r = await this.#withDeadline<ConsumeRow>(`consume_gate${form.name}`, CONSUME_SQL[form.key], (deadline) => consumeValues([c], deadline, false));
    return consumeResult(r.rows[0]);
  }

  /** A group of consumes; evidence's form, which leaves out those without (NULL ref); notify the same for all. */
  async #consumeGroup(items: readonly ConsumeItem[]): Promise<ConsumeResult[]> {
    const form = consumeForm({ evidence: true, notify: items[0]!.notify });
    const r = await this.#withDeadline<ConsumeRow & { id: string }>(`consume_group${form.name}`, CONSUME_GROUP_SQL[form.key], (deadline) =>
      consumeValues(items, deadline, true));
    const byId = new Map(r.rows.map((row) => [row.id, row]));
    return items.map((c) => consumeResult(byId.get(c.id)));
  }

  async requestCode(id: string, verifier: Uint8Array, code: NewCode, now: number): Promise<CodeResult> {
    const r = await this.#withDeadline<CodeRow>('request_code', GATE_SQL.requestCode, codeValues(id, verifier, code, now));
    return codeResult(r.rows[0]);
  }

  async status(id: string, manageHash: Uint8Array, now: number): Promise<StatusInfo | null> {
    const row = (await this.#query<MetaRow>('meta_gate', SQL.meta, [id])).rows[0];
    if (!sameHash(row?.manage_hash, manageHash) || row?.id !== id) return null;
    return { ...shownState(row, now), consumedAt: numOrNull(row.consumed_at), ...(row.restricted ? { restricted: true } : {}) };
  }

  async owned(owner: Uint8Array, now: number, options: { limit: number; id?: string }): Promise<OwnedSecret[]> {
    return (await this.#query<OwnedRow>(...ownedQuery(owner, options))).rows.map((row) => toOwned(row, now));
  }

  async revoke(id: string, manageHash: Uint8Array, now: number, evidence?: Evidence, notify?: boolean): Promise<boolean> {
    const r = evidence
      ? notify === true
        ? await this.#query('revoke_evidence_notify', NOTIFY_SQL.revokeEvidence, [id, Buffer.from(manageHash), now, evidenceRef(id), evidence.retainMs, evidence.client])
        : await this.#query('revoke_evidence', SQL.revokeEvidence, [id, Buffer.from(manageHash), now, evidenceRef(id), evidence.retainMs, evidence.client])
      : notify === true
        ? await this.#query('revoke_notify', NOTIFY_SQL.revoke, [id, Buffer.from(manageHash), now])
        : await this.#query('revoke', SQL.revoke, [id, Buffer.from(manageHash)]);
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
    const r = await this.#withDeadline<AnswerRow>('answer_request', SQL.answerRequest, (deadline) => [
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
    const r = await this.#withDeadline<PickupRow>('pickup_request', SQL.pickupRequest, (deadline) => [
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

  async purge(now: number, limit: number, notify?: boolean): Promise<{ removed: number; expired: number }> {
    const r = await this.#query<{ unread: boolean }>('purge_v2', SQL.purge, [now, limit, notify === true]);
    // Requests left past their expiry were never picked up: they count as expired unread.
    const requests = r.rows.length < limit ? ((await this.#query('purge_requests_v2', SQL.purgeRequests, [now, limit - r.rows.length])).rowCount ?? 0) : 0;
    // Evidence records past their retention, with the room left (the purge above marked those of
    // the secrets it deleted).
    const left = limit - r.rows.length - requests;
    const records = left > 0 ? ((await this.#query<{ removed: number }>('purge_evidence_v2', SQL.purgeEvidence, [now, left])).rows[0]?.removed ?? 0) : 0;
    const removed = r.rows.length + requests + records;
    const expired = r.rows.filter((x) => x.unread).length + requests;
    if (removed < limit) {
      await this.#query('purge_used', SQL.purgeUsed, [now]);
      await this.#query('purge_dead', SQL.purgeDead, [now]);
    }
    return { removed, expired };
  }

  async claimDeliveries(owner: string, now: number, limit: number, leaseMs: number): Promise<Delivery[]> {
    const r = await this.#query<OutboxRow>('claim_deliveries', SQL.claimDeliveries, [owner, now, limit, leaseMs]);
    return r.rows.map((row) => ({
      eventId: row.event_id,
      type: row.type as OutboxEventType,
      secretId: row.secret_id,
      at: num(row.at),
      viewsLeft: row.views_left,
      attempts: row.attempts,
    }));
  }

  async finishDelivery(eventId: string, owner: string, outcome: DeliveryOutcome, now: number): Promise<boolean> {
    const r =
      outcome === 'delivered'
        ? await this.#query('delivered', SQL.delivered, [eventId, owner])
        : outcome === 'dead'
          ? await this.#query('dead_delivery', SQL.deadDelivery, [eventId, owner, now + DEAD_LETTER_MS])
          : await this.#query('retry_delivery', SQL.retryDelivery, [eventId, owner, outcome.retryAt]);
    return r.rowCount === 1;
  }

  async outboxStats(): Promise<{ pending: number; dead: number }> {
    const row = (await this.#query<{ pending: number; dead: number }>('outbox_stats', SQL.outboxStats, [])).rows[0];
    return { pending: row?.pending ?? 0, dead: row?.dead ?? 0 };
  }

  async sealAudit(now: number, limit: number, retainMs: number): Promise<SealResult> {
    return this.#withClient((client) => seal(client, now, limit, retainMs));
  }

  async readAudit(since: number, limit: number): Promise<AuditEntry[]> {
    return (await this.#query<AuditRow>('audit_read', AUDIT_SQL.read, [since, limit])).rows.map(toAuditEntry);
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
