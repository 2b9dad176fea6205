// Redis adapter (ioredis). Atomicity: every operation that changes a secret is ONE Lua script
// (src/store/redis-scripts.ts); Redis runs a script without interleaving any other command, so
// `consume` checks the verifier, the expiry and notBefore, checks the passphrase proof (counting
// down and burning), takes a view and erases the ciphertext with the last one as one step, across
// every instance sharing the Redis. `create` checks the quota counters and inserts in one script;
// `useOnce` is one `ZADD NX`. Requests too: create, answer, pickup (return the response and
// delete the whole request) and cancel are one script each. Keys expire natively at the
// original expiry, but answers are decided against the caller's `now`, and `purge` keeps the
// counters exact.
//
// Evidence (docs/protocol.md §9): given an Evidence, create, consume and revoke run their script
// with the evidence record's key too, and the script records the event in the same step; peek
// records 'opened' with a second script once the token matched.
//
// Outbox (read notifications): given `notify`, consume, revoke and purge pass the key prefix and
// their script writes the event's row (ob_add in redis-scripts.ts) in the same step; claims and
// their ends are one script each (redis-outbox.ts).
//
// Audit trail: the evidence scripts queue each stored event; redis-audit.ts seals and reads it.
//
// Verified recipients: a gate is fields of the secret's hash that CONSUME checks; requestCode is
// one script too (redis-gate.ts).
//
// Owners ("My secrets"): a sorted set per owner, written by the create scripts and read by one
// script (redis-owners.ts); the purge takes purged ids off it.
//
// Limits: one Redis primary (optionally with replicas and Sentinel). Redis Cluster is not
// supported: the quota counters are global keys, and scripts touch them together with the secret.
//
// Failures: connection errors, timeouts and a loading/read-only server are thrown as
// StoreUnavailableError (503). Commands are never queued while disconnected and never re-sent
// after a reconnect (a consume is run at most once); the client reconnects by itself.
import type { Redis } from 'ioredis';
import type {
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
  Store,
  StoreStats,
} from './types.js';
import { MAX_EVENTS_PER_SECRET, StoreUnavailableError, requestSize, type AuditEntry, type SealResult } from './types.js';
import { evidenceRef, sameHash, sha256 } from './hash.js';
import { retained, storedEvent, toHistory } from './evidence.js';
import { connectRedis, defineScripts, toStoreError, type RateLimitRedis, type RedisOptions } from './redis-client.js';
import * as audit from './redis-audit.js';
import * as outbox from './redis-outbox.js';
import { codeResult, consumeResult } from './redis-gate.js';
import * as owners from './redis-owners.js';
import { answerResult, pickupResult } from './redis-request-results.js';

const DUMMY_HASH = Buffer.alloc(32);
/** The far future of the stand-in rows STANDIN_READ answers for a missing key. */
const NEVER = '9007199254740991';
/** Safety margin (ms) between a consume's deadline and the moment its caller stops waiting. */
const LATE_MARGIN = 300;

const str = (b: Buffer | null | undefined): string | null => (b == null ? null : b.toString('utf8'));
const int = (b: Buffer | null | undefined): number | null => (b == null ? null : Number(b.toString('utf8')));

type Arg = string | Buffer | number;
type Scripted = Record<string, (...args: Arg[]) => Promise<unknown>>;

export class RedisStore implements Store {
  readonly #client: Redis;
  readonly #prefix: string;
  readonly #commandTimeout: number;
  /** Redis clock minus ours, in ms (consume deadlines are given in Redis's clock). */
  #skew = 0;
  #closed = false;

  private constructor(client: Redis, prefix: string, commandTimeout: number) {
    this.#client = client;
    this.#prefix = prefix;
    this.#commandTimeout = commandTimeout;
    defineScripts(client);
  }

  /** Connects (failing fast when Redis does not answer) and returns the store. */
  static async open(url: string, options: RedisOptions = {}): Promise<RedisStore> {
    const commandTimeout = options.commandTimeout ?? 2000;
    const client = await connectRedis(url, options.connectTimeout ?? 2000, commandTimeout);
    const store = new RedisStore(client, options.prefix ?? 'hush:', commandTimeout);
    try {
      await store.ping();
    } catch (err) {
      client.disconnect();
      throw err;
    }
    return store;
  }

  /** What this store lends the rate limiter (see RateLimitRedis); only index.ts hands it out. */
  rateLimitRedis(): RateLimitRedis {
    return { client: this.#client, nameSpace: `${this.#prefix}rl:` };
  }

  #key(name: 'live' | 'stats' | 'exp' | 'used'): string {
    return this.#prefix + name;
  }

  #secret(id: string): string {
    return `${this.#prefix}s:${id}`;
  }

  /** A secret's evidence record: its member in `exp` (e:HEX, HEX = hex SHA-256 of the id) and its key. */
  #evidence(id: string): { member: string; key: string } {
    const member = `e:${evidenceRef(id).toString('hex')}`;
    return { member, key: this.#prefix + member };
  }

  /**
   * What a script that records an event (CONSUME, REVOKE) takes after its own keys and arguments:
   * the record's key and `exp`; the client, retainUntil should this call end the secret, and the
   * record's member in `exp`.
   */
  #recording(id: string, now: number, evidence: Evidence): { keys: string[]; args: Arg[] } {
    const { key, member } = this.#evidence(id);
    return { keys: [key, this.#key('exp')], args: [evidence.client, now + evidence.retainMs, member] };
  }

  /** A request's hash; its member in `live` and `exp` is `r:ID`. */
  #request(id: string): string {
    return `${this.#prefix}r:${id}`;
  }

  /** Past this instant (Redis clock) the caller no longer waits for the answer, so a script must not act. */
  #deadline(): number {
    return Math.floor(Date.now() + this.#skew + this.#commandTimeout - LATE_MARGIN);
  }

  /**
   * The `fields` of a hash (the token's hash first), and whether the key exists; when it does not,
   * the `standIn` values (same shape, '' for none) — see STANDIN_READ.
   */
  async #read(key: string, fields: readonly string[], standIn: readonly (string | Buffer)[]): Promise<{ values: (Buffer | null)[]; found: boolean }> {
    const r = (await this.#call((c) => c.hushReadBuffer!(key, fields.length, ...fields, ...standIn))) as (Buffer | null)[];
    return { values: r.slice(0, fields.length), found: str(r[fields.length]) === '1' };
  }

  async #call<T>(run: (c: Redis & Scripted) => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError('the store is closed');
    try {
      return await run(this.#client as Redis & Scripted);
    } catch (err) {
      throw toStoreError(err);
    }
  }

  async create(s: NewSecret, quota: Quota, evidence?: Evidence): Promise<'created' | 'quota_exceeded'> {
    const fields: Arg[] = [
      'ct', Buffer.from(s.ciphertext),
      'v', Buffer.from(s.verifier),
      'm', Buffer.from(s.manageHash),
      'vl', s.views,
      'st', 'pending',
      'ex', s.expiresAt,
      'sz', s.ciphertext.length,
    ];
    if (s.notBefore !== null) fields.push('nb', s.notBefore);
    if (s.passphrase) {
      fields.push('ps', s.passphrase.salt, 'pi', s.passphrase.iterations, 'pv', Buffer.from(s.passphrase.verifier), 'pa', s.passphrase.attempts);
    }
    if (s.gate) fields.push('rc', Buffer.concat(s.gate.recipients.map((h) => Buffer.from(h))), 'ka', s.gate.attempts, 'kn', 0);
    // With an owner, the script also adds the id to the owner's set, whose key comes last.
    const own = s.owner ? owners.ownerSet(this.#prefix, s.owner) : null;
    if (own) fields.push('ow', own.hex);
    const keys = [this.#secret(s.id), this.#key('live'), this.#key('stats'), this.#key('exp')];
    const head: Arg[] = [s.id, s.ciphertext.length, quota.maxSecrets, quota.maxBytes, s.expiresAt];
    const r = await this.#call((c) => {
      if (!evidence) return own ? c.hushCreateOwned!(...keys, own.key, ...head, s.createdAt, ...fields) : c.hushCreate!(...keys, ...head, ...fields);
      const ev = this.#evidence(s.id);
      const record: Arg[] = [ev.member, s.expiresAt + evidence.retainMs, Buffer.from(s.manageHash), sha256(s.ciphertext), s.createdAt, s.views, evidence.client];
      const args = [...head, ...record, ...fields];
      return own ? c.hushCreateEvidenceOwned!(...keys, ev.key, own.key, ...args) : c.hushCreateEvidence!(...keys, ev.key, ...args);
    });
    return r === 1 ? 'created' : 'quota_exceeded';
  }

  async peek(id: string, verifier: Uint8Array, now: number, evidence?: Evidence): Promise<PeekInfo | null> {
    const { values, found } = await this.#read(this.#secret(id), ['v', 'st', 'ex', 'vl', 'ps', 'pi', 'nb', 'ka'], [DUMMY_HASH, 'revoked', NEVER, '0', '', '', '', '']);
    const [v, st, ex, vl, ps, pi, nb, ka] = values;
    const expiresAt = int(ex);
    if (!sameHash(v, verifier) || !found || str(st) !== 'pending' || expiresAt === null || expiresAt <= now) return null;
    if (evidence) await this.touch(id, now, evidence);
    const salt = str(ps);
    const iterations = int(pi);
    return {
      expiresAt,
      viewsLeft: int(vl) ?? 0,
      passphrase: salt !== null && iterations !== null ? { salt, iterations } : null,
      notBefore: int(nb),
      ...(ka == null ? {} : { restricted: true }),
    };
  }

  async consume(id: string, verifier: Uint8Array, proofVerifier: Uint8Array | null, now: number, evidence?: Evidence, notify?: boolean,
    code?: Uint8Array | null): Promise<ConsumeResult> {
    // Past this instant (Redis clock) we no longer wait for the answer, so the script must not act.
    const deadline = this.#deadline();
    const keys = [this.#secret(id), this.#key('live'), this.#key('stats')];
    const args: Arg[] = [Buffer.from(verifier), proofVerifier === null ? '' : Buffer.from(proofVerifier), now, id, DUMMY_HASH, deadline];
    const ev = evidence ? this.#recording(id, now, evidence) : null;
    // ARGV[10]: the key prefix, when the script is to write the outbox row; ARGV[11]: the code.
    const tail: Arg[] = [...(ev ? [] : ['', '', '']), notify === true ? this.#prefix : '', code ? Buffer.from(code) : ''];
    const r = (await this.#call((c) =>
      ev ? c.hushConsumeEvidenceBuffer!(...keys, ...ev.keys, ...args, ...ev.args, ...tail) : c.hushConsumeBuffer!(...keys, ...args, ...tail),
    )) as Buffer[];
    return consumeResult(r);
  }

  async requestCode(id: string, verifier: Uint8Array, code: NewCode, now: number): Promise<CodeResult> {
    const head: Arg[] = [Buffer.from(verifier), DUMMY_HASH, now, this.#deadline(), Buffer.from(code.codeHash), code.expiresAt, code.maxSends];
    // A candidate is a 32-byte hash, as every recipient in rc; the script compares them whole.
    const candidates = code.candidates.map((h) => Buffer.from(h));
    return codeResult((await this.#call((c) => c.hushRequestCode!(this.#secret(id), ...head, ...candidates))) as string[]);
  }

  async status(id: string, manageHash: Uint8Array, now: number): Promise<StatusInfo | null> {
    const { values, found } = await this.#read(this.#secret(id), ['m', 'st', 'vl', 'ex', 'ca', 'ka'], [DUMMY_HASH, 'revoked', '0', NEVER, '', '']);
    const [m, st, vl, ex, ca, ka] = values;
    const stored = str(st) as 'pending' | 'consumed' | 'revoked' | 'burned' | null;
    const expiresAt = int(ex);
    if (!sameHash(m, manageHash) || !found || stored === null || expiresAt === null) return null;
    return { ...owners.shownState(stored, expiresAt, int(vl) ?? 0, now), expiresAt, consumedAt: int(ca), ...(ka == null ? {} : { restricted: true }) };
  }

  async owned(owner: Uint8Array, now: number, options: { limit: number; id?: string }): Promise<OwnedSecret[]> {
    return this.#call((c) => owners.owned(c, this.#prefix, owner, now, options));
  }

  async revoke(id: string, manageHash: Uint8Array, now: number, evidence?: Evidence, notify?: boolean): Promise<boolean> {
    const keys = [this.#secret(id), this.#key('live'), this.#key('stats')];
    const args: Arg[] = [Buffer.from(manageHash), id, DUMMY_HASH];
    const ev = evidence ? this.#recording(id, now, evidence) : null;
    // ARGV[8]: the key prefix, when the script is to write the outbox row (ARGV[4] is now).
    const ob: Arg[] = notify === true ? [this.#prefix] : [];
    const r = await this.#call((c) =>
      ev ? c.hushRevokeEvidence!(...keys, ...ev.keys, ...args, now, ...ev.args, ...ob) : c.hushRevoke!(...keys, ...args, ...(notify === true ? [now, '', '', '', ...ob] : [])),
    );
    return r === 1;
  }

  async touch(id: string, now: number, evidence: Evidence): Promise<void> {
    await this.#call((c) => c.hushOpened!(this.#evidence(id).key, now, evidence.client));
  }

  async history(id: string, manageHash: Uint8Array, now: number): Promise<History | null> {
    const { key } = this.#evidence(id);
    const { values, found } = await this.#read(key, ['m', 'ru'], [DUMMY_HASH, NEVER]);
    const [m, ru] = values;
    if (!sameHash(m, manageHash) || !found || !retained({ retainUntil: int(ru) ?? 0 }, now)) return null;
    // Once the token matched: the whole record, events included, as of one moment (one command).
    const f: Partial<Record<string, Buffer>> = await this.#call((c) => c.hgetallBuffer(key));
    const retainUntil = int(f.ru);
    // Gone (purged or expired) between the two commands: as if it had been before.
    if (retainUntil === null || f.st === undefined || !retained({ retainUntil }, now)) return null;
    const total = int(f.n) ?? 0;
    const entries = Array.from({ length: Math.min(total, MAX_EVENTS_PER_SECRET) - 1 }, (_, i) => str(f[String(i + 1)])?.split(',') ?? []);
    const events = entries.filter((e) => e.length === 3).map(([type = '', at = '', client = '']) => storedEvent(type, Number(at), client));
    const state = str(f.st) as 'pending' | 'consumed' | 'revoked' | 'burned' | 'expired';
    const record = { state, viewsLeft: int(f.vl) ?? 0, createdAt: int(f.ca) ?? 0, createdBy: str(f.cb) ?? '', expiresAt: int(f.ex) ?? 0, endedAt: int(f.ea), retainUntil };
    return toHistory({ ...record, ciphertextHash: f.ch ?? Buffer.alloc(0), events: total }, events, now);
  }

  async createRequest(r: NewRequest, quota: Quota): Promise<'created' | 'quota_exceeded'> {
    const size = requestSize(r);
    const fields: Arg[] = ['pk', Buffer.from(r.publicKey), 'n', r.note, 't', Buffer.from(r.tokenHash), 'ex', r.expiresAt, 'sz', size];
    const res = await this.#call((c) =>
      c.hushCreate!(
        this.#request(r.id), this.#key('live'), this.#key('stats'), this.#key('exp'),
        `r:${r.id}`, size, quota.maxSecrets, quota.maxBytes, r.expiresAt, ...fields,
      ),
    );
    return res === 1 ? 'created' : 'quota_exceeded';
  }

  async getRequest(id: string, now: number): Promise<RequestInfo | null> {
    // `at` is set with the response; reading the response itself would cost a copy of up to the size limit.
    const [pk, n, ex, at] = await this.#call((c) => c.hmgetBuffer(this.#request(id), 'pk', 'n', 'ex', 'at'));
    const expiresAt = int(ex);
    if (pk == null || n == null || expiresAt === null || expiresAt <= now) return null;
    return { publicKey: pk, note: n.toString('utf8'), expiresAt, state: at == null ? 'open' : 'answered' };
  }

  async answerRequest(id: string, ciphertext: Uint8Array, now: number, quota: Quota): Promise<'answered' | 'not_found' | 'quota_exceeded'> {
    const deadline = this.#deadline();
    const r = (await this.#call((c) =>
      c.hushAnswerRequest!(this.#request(id), this.#key('live'), this.#key('stats'), `r:${id}`, Buffer.from(ciphertext), now, quota.maxBytes, deadline),
    )) as string[];
    return answerResult(r);
  }

  async pickupRequest(id: string, tokenHash: Uint8Array, now: number): Promise<{ ciphertext: Uint8Array } | null> {
    const deadline = this.#deadline();
    const r = (await this.#call((c) =>
      c.hushPickupRequestBuffer!(
        this.#request(id), this.#key('live'), this.#key('stats'), this.#key('exp'),
        Buffer.from(tokenHash), now, `r:${id}`, DUMMY_HASH, deadline,
      ),
    )) as Buffer[];
    return pickupResult(r);
  }

  async requestStatus(id: string, tokenHash: Uint8Array, now: number): Promise<RequestStatusInfo | null> {
    const { values, found } = await this.#read(this.#request(id), ['t', 'ex', 'at'], [DUMMY_HASH, NEVER, '']);
    const [t, ex, at] = values;
    const expiresAt = int(ex);
    if (!sameHash(t, tokenHash) || !found || expiresAt === null || expiresAt <= now) return null;
    return { state: at == null ? 'open' : 'answered', expiresAt };
  }

  async cancelRequest(id: string, tokenHash: Uint8Array, now: number): Promise<boolean> {
    const r = await this.#call((c) =>
      c.hushCancelRequest!(
        this.#request(id), this.#key('live'), this.#key('stats'), this.#key('exp'),
        Buffer.from(tokenHash), now, `r:${id}`, DUMMY_HASH,
      ),
    );
    return r === 1;
  }

  async purge(now: number, limit: number, notify?: boolean): Promise<{ removed: number; expired: number }> {
    const r = (await this.#call((c) =>
      c.hushPurge!(this.#key('exp'), this.#key('live'), this.#key('stats'), this.#key('used'), now, limit, this.#prefix, notify === true ? '1' : '0'),
    )) as [number, number];
    return { removed: r[0], expired: r[1] };
  }

  async claimDeliveries(owner: string, now: number, limit: number, leaseMs: number): Promise<Delivery[]> {
    return this.#call((c) => outbox.claimDeliveries(c, this.#prefix, owner, now, limit, leaseMs));
  }

  async finishDelivery(eventId: string, owner: string, outcome: DeliveryOutcome, now: number): Promise<boolean> {
    return this.#call((c) => outbox.finishDelivery(c, this.#prefix, eventId, owner, outcome, now));
  }

  async outboxStats(): Promise<{ pending: number; dead: number }> {
    return this.#call((c) => outbox.outboxStats(c, this.#prefix));
  }

  async sealAudit(now: number, limit: number, retainMs: number): Promise<SealResult> {
    return this.#call((c) => audit.sealAudit(c, this.#prefix, now, limit, retainMs));
  }

  async readAudit(since: number, limit: number): Promise<AuditEntry[]> {
    return this.#call((c) => audit.readAudit(c, this.#prefix, since, limit));
  }

  async useOnce(key: string, expiresAt: number): Promise<boolean> {
    // One command, atomic: ZADD NX adds the member only if absent and says whether it did.
    const added = await this.#call((c) => c.zadd(this.#key('used'), 'NX', expiresAt, key));
    return added === 1;
  }

  async stats(): Promise<StoreStats> {
    const r = (await this.#call((c) => c.hushStats!(this.#key('live'), this.#key('stats')))) as [number, number];
    return { liveSecrets: r[0], storedBytes: r[1] };
  }

  /** Answers when Redis does; also re-measures the clock offset used for consume deadlines. */
  async ping(): Promise<void> {
    const t0 = Date.now();
    const [sec, usec] = await this.#call((c) => c.time());
    const t1 = Date.now();
    // Only a quick round trip gives a good estimate (error at most half the round trip).
    if (t1 - t0 < 100) this.#skew = Number(sec) * 1000 + Math.floor(Number(usec) / 1000) - (t0 + t1) / 2;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }
}
