// The one contract every Store adapter must pass (src/store/types.ts). Adapters are listed in
// `adapters`; each runs the same cases unchanged on a real database. What only SQLite has (its
// file shared by connections, the writer thread, migrations of old files, the evidence tables on
// disk) is tested in test/store.sqlite.test.ts, Redis's key expiry in test/store.redis.test.ts.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_CLASSES, MAX_EVENTS_PER_SECRET, type AuditEntry, type ClientClass, type EventType, type SecretEvent, type Store } from '../src/store/types.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { PostgresStore } from '../src/store/postgres.js';
import { RedisStore } from '../src/store/redis.js';
import { AUDIT_GENESIS, auditLine, verifyAuditLines } from '../src/protocol/audit.js';
import { tempDir } from './helpers/server.js';
import { HOUR, Q, RETAIN, T0, evidence, makeRequest, makeSecret, sha } from './helpers/store.js';
import { MANDATORY, deleteRedisPrefix, detectPostgres, detectRedis, dropSchemas, runTag, type Detected } from './helpers/services.js';

interface Adapter {
  name: string;
  /** How far creates racing for the last room may overshoot a full quota (0: never). */
  quotaSlack: number;
  open: () => Promise<Store>;
  cleanup: () => Promise<void>;
}

const sqliteDir = tempDir('hush-store-');
let n = 0;
// PostgreSQL and Redis: a fresh schema / key prefix per open(), all removed at the end. When the
// service is missing the adapter is skipped with a printed reason — or, with CI=true, kept with an
// open() that fails, so every one of its cases fails.
const run = runTag();
const schemas: string[] = [];
const whenAvailable = (d: Detected, adapter: (url: string) => Adapter): Adapter[] => {
  if (d.ok) return [adapter(d.url)];
  const name = adapter('').name;
  if (MANDATORY) return [{ name, quotaSlack: 0, open: () => Promise.reject(new Error(`${d.reason} — mandatory with CI=true`)), cleanup: () => Promise.resolve() }];
  console.warn(`[skip] Store contract: ${name}: ${d.reason} (set CI=true to make this a failure)`);
  return [];
};
const adapters: Adapter[] = [
  {
    name: 'sqlite',
    quotaSlack: 0,
    open: () => Promise.resolve(new SqliteStore(join(sqliteDir, `contract-${String(n++)}.db`))),
    cleanup: () => {
      rmSync(sqliteDir, { recursive: true, force: true });
      return Promise.resolve();
    },
  },
  {
    // HUSH_STORE=sqlite::memory: — no file another connection could share, so no writer thread:
    // the same writes run in this thread.
    name: 'sqlite (:memory:)',
    quotaSlack: 0,
    open: () => Promise.resolve(new SqliteStore(':memory:')),
    cleanup: () => Promise.resolve(),
  },
  ...whenAvailable(await detectPostgres(), (url) => ({
    name: 'postgres',
    // Striped counters: the check reads their sum without a lock, so the statements in flight may
    // have seen the same total: up to 20 alone (the pool), or two groups (group commit), each
    // exact within itself — the racers of one turn below are one group.
    quotaSlack: 20,
    open: () => {
      const schema = `hush_contract_${run}_${String(n++)}`;
      schemas.push(schema);
      return PostgresStore.open(url, { schema });
    },
    cleanup: () => dropSchemas(url, schemas),
  })),
  ...whenAvailable(await detectRedis(), (url) => ({
    name: 'redis',
    quotaSlack: 0,
    open: () => RedisStore.open(url, { prefix: `hush-contract-${run}-${String(n++)}:` }),
    cleanup: () => deleteRedisPrefix(url, `hush-contract-${run}-`),
  })),
];

for (const adapter of adapters) {
  describe(`Store contract: ${adapter.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await adapter.open();
      return () => store.close();
    });
    afterAll(() => adapter.cleanup());

    it('creates, peeks without changing anything, and consumes once', async () => {
      const s = makeSecret();
      await store.create(s, Q);
      for (let i = 0; i < 3; i++) {
        expect(await store.peek(s.id, sha(s.auth), T0)).toEqual({ expiresAt: s.expiresAt, viewsLeft: 1, passphrase: null, notBefore: null });
      }
      const r = await store.consume(s.id, sha(s.auth), null, T0 + 1);
      expect(r).toEqual({ ok: true, ciphertext: expect.anything(), viewsLeft: 0 });
      expect(Buffer.from((r as { ciphertext: Uint8Array }).ciphertext)).toEqual(Buffer.from(s.ciphertext));
      expect(await store.consume(s.id, sha(s.auth), null, T0 + 2)).toEqual({ ok: false, reason: 'not_found' });
      expect(await store.peek(s.id, sha(s.auth), T0 + 2)).toBeNull();
    });

    it('gives exactly `views` reads, then a tombstone with the read time', async () => {
      const s = makeSecret({ views: 3 });
      await store.create(s, Q);
      const left = [];
      for (let i = 0; i < 4; i++) {
        const r = await store.consume(s.id, sha(s.auth), null, T0 + i);
        left.push(r.ok ? r.viewsLeft : r.reason);
      }
      expect(left).toEqual([2, 1, 0, 'not_found']);
      expect(await store.status(s.id, sha(s.manage), T0 + 10)).toEqual({ state: 'consumed', viewsLeft: 0, expiresAt: s.expiresAt, consumedAt: T0 + 2 });
    });

    it('answers a wrong auth like a missing id, and counts nothing', async () => {
      const s = makeSecret();
      await store.create(s, Q);
      expect(await store.peek(s.id, sha(randomBytes(32)), T0)).toBeNull();
      expect(await store.consume(s.id, sha(randomBytes(32)), null, T0)).toEqual({ ok: false, reason: 'not_found' });
      expect(await store.consume(randomBytes(16).toString('base64url'), sha(s.auth), null, T0)).toEqual({ ok: false, reason: 'not_found' });
      expect(await store.status(s.id, sha(randomBytes(32)), T0)).toBeNull();
      expect(await store.revoke(s.id, sha(randomBytes(32)), T0)).toBe(false);
      expect((await store.consume(s.id, sha(s.auth), null, T0)).ok).toBe(true);
    });

    it('never returns an expired secret, and reports it expired', async () => {
      const s = makeSecret();
      await store.create(s, Q);
      expect(await store.peek(s.id, sha(s.auth), s.expiresAt)).toBeNull();
      expect(await store.consume(s.id, sha(s.auth), null, s.expiresAt)).toEqual({ ok: false, reason: 'not_found' });
      expect((await store.status(s.id, sha(s.manage), s.expiresAt))?.state).toBe('expired');
      expect((await store.status(s.id, sha(s.manage), s.expiresAt - 1))?.state).toBe('pending');
    });

    it('revokes: erases at once, status says revoked, idempotent', async () => {
      const s = makeSecret();
      await store.create(s, Q);
      expect(await store.revoke(s.id, sha(s.manage), T0)).toBe(true);
      expect(await store.consume(s.id, sha(s.auth), null, T0)).toEqual({ ok: false, reason: 'not_found' });
      expect(await store.peek(s.id, sha(s.auth), T0)).toBeNull();
      expect((await store.status(s.id, sha(s.manage), T0))?.state).toBe('revoked');
      expect(await store.revoke(s.id, sha(s.manage), T0)).toBe(true);
    });

    it('checks the passphrase proof, counts wrong ones down, and burns at zero', async () => {
      const proof = randomBytes(32);
      const s = makeSecret({ passphrase: { salt: 'c2FsdHNhbHRzYWx0c2FsdA', iterations: 600_000, verifier: sha(proof), attempts: 3 } });
      await store.create(s, Q);
      expect((await store.peek(s.id, sha(s.auth), T0))?.passphrase).toEqual({ salt: 'c2FsdHNhbHRzYWx0c2FsdA', iterations: 600_000 });
      expect(await store.consume(s.id, sha(s.auth), sha(randomBytes(32)), T0)).toEqual({ ok: false, reason: 'wrong_passphrase', attemptsLeft: 2 });
      expect(await store.consume(s.id, sha(s.auth), null, T0)).toEqual({ ok: false, reason: 'wrong_passphrase', attemptsLeft: 1 });
      // The right proof still works while attempts remain.
      const s2 = makeSecret({ passphrase: { salt: 'c2FsdHNhbHRzYWx0c2FsdA', iterations: 600_000, verifier: sha(proof), attempts: 3 } });
      await store.create(s2, Q);
      expect((await store.consume(s2.id, sha(s2.auth), sha(proof), T0)).ok).toBe(true);
      // The last wrong one burns the first secret.
      expect(await store.consume(s.id, sha(s.auth), sha(randomBytes(32)), T0)).toEqual({ ok: false, reason: 'wrong_passphrase', attemptsLeft: 0 });
      expect(await store.consume(s.id, sha(s.auth), sha(proof), T0)).toEqual({ ok: false, reason: 'not_found' });
      expect((await store.status(s.id, sha(s.manage), T0))?.state).toBe('burned');
    });

    it('refuses before notBefore without counting a view', async () => {
      const s = makeSecret({ notBefore: T0 + 1000 });
      await store.create(s, Q);
      expect(await store.consume(s.id, sha(s.auth), null, T0)).toEqual({ ok: false, reason: 'not_yet_available', notBefore: T0 + 1000 });
      expect((await store.peek(s.id, sha(s.auth), T0))?.viewsLeft).toBe(1);
      expect((await store.consume(s.id, sha(s.auth), null, T0 + 1000)).ok).toBe(true);
    });

    it('purges rows past their original expiry in batches, tombstones included', async () => {
      const live = makeSecret({ expiresAt: T0 + 10 * HOUR });
      await store.create(live, Q);
      const dead = [];
      for (let i = 0; i < 25; i++) {
        const s = makeSecret({ expiresAt: T0 + HOUR });
        await store.create(s, Q);
        dead.push(s);
      }
      await store.consume(dead[0]!.id, sha(dead[0]!.auth), null, T0); // a tombstone
      const rounds = [];
      for (let i = 0; i < 4; i++) rounds.push(await store.purge(T0 + 2 * HOUR, 10));
      expect(rounds.map((r) => r.removed)).toEqual([10, 10, 5, 0]);
      // 24 of the 25 expired unread; one was read first (a tombstone).
      expect(rounds.reduce((n, r) => n + r.expired, 0)).toBe(24);
      for (const s of dead) expect(await store.status(s.id, sha(s.manage), T0)).toBeNull();
      expect((await store.consume(live.id, sha(live.auth), null, T0 + 2 * HOUR)).ok).toBe(true);
    });

    it('enforces the quota atomically, touching nothing when full, and counts exactly', async () => {
      const quota = { maxSecrets: 3, maxBytes: 250 };
      const a = makeSecret();
      const b = makeSecret();
      expect(await store.create(a, quota)).toBe('created');
      expect(await store.create(b, quota)).toBe('created');
      expect(await store.stats()).toEqual({ liveSecrets: 2, storedBytes: 200 });
      expect(await store.create(makeSecret(), quota)).toBe('quota_exceeded'); // bytes: 300 > 250
      expect(await store.create(makeSecret({ ciphertext: randomBytes(50) }), quota)).toBe('created');
      expect(await store.create(makeSecret({ ciphertext: randomBytes(1) }), quota)).toBe('quota_exceeded'); // count: 4 > 3
      expect(await store.stats()).toEqual({ liveSecrets: 3, storedBytes: 250 });
      // Reading, revoking and purging give room back; existing secrets were never touched.
      expect((await store.consume(a.id, sha(a.auth), null, T0)).ok).toBe(true);
      expect(await store.revoke(b.id, sha(b.manage), T0)).toBe(true);
      expect(await store.stats()).toEqual({ liveSecrets: 1, storedBytes: 50 });
      await store.purge(T0 + 2 * HOUR, 100);
      expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
    });

    it('creates racing for the last room: the quota holds (within the store’s slack) and the counters stay exact', async () => {
      const quota = { maxSecrets: 10, maxBytes: 1024 ** 3 };
      const racers = Array.from({ length: 60 }, () => makeSecret());
      const results = await Promise.all(racers.map((s) => store.create(s, quota)));
      const created = racers.filter((_, i) => results[i] === 'created');
      // Never refused while there was room; never more than the slack over it.
      expect(created.length).toBeGreaterThanOrEqual(10);
      expect(created.length).toBeLessThanOrEqual(10 + adapter.quotaSlack);
      expect(await store.stats()).toEqual({ liveSecrets: created.length, storedBytes: 100 * created.length });
      expect(await store.create(makeSecret(), quota)).toBe('quota_exceeded');
      // Every created secret reads once; every refused one was never stored.
      for (const [i, s] of racers.entries()) {
        expect((await store.consume(s.id, sha(s.auth), null, T0)).ok).toBe(results[i] === 'created');
      }
      expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
    });

    it('useOnce: true the first time only, until it expires and is purged', async () => {
      expect(await store.useOnce('challenge-1', T0 + 1000)).toBe(true);
      expect(await store.useOnce('challenge-1', T0 + 1000)).toBe(false);
      const racers = await Promise.all(Array.from({ length: 50 }, () => store.useOnce('challenge-2', T0 + 1000)));
      expect(racers.filter(Boolean)).toHaveLength(1);
      await store.purge(T0 + 2000, 100);
      expect(await store.useOnce('challenge-1', T0 + 3000)).toBe(true);
    });

    it('answers ping while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('lets exactly the allowed number of many concurrent consumers win', async () => {
      for (const views of [1, 3]) {
        const s = makeSecret({ views });
        await store.create(s, Q);
        const results = await Promise.all(Array.from({ length: 200 }, () => store.consume(s.id, sha(s.auth), null, T0)));
        expect(results.filter((r) => r.ok)).toHaveLength(views);
      }
    });

    // The evidence layer (docs/protocol.md §9): what each call records when it is given an
    // Evidence, that nothing else records anything, and how long a record is kept.
    describe('evidence', () => {
      const event = (type: EventType, at: number, client: ClientClass | null = 'browser'): SecretEvent => ({ type, at, client });
      const history = (s: { id: string; manage: Uint8Array }, now = T0) => store.history(s.id, sha(s.manage), now);
      const eventsOf = async (s: { id: string; manage: Uint8Array }, now = T0) => (await history(s, now))?.events;
      const missing = () => randomBytes(16).toString('base64url');
      const NOT_FOUND = { ok: false, reason: 'not_found' };
      const PASSPHRASE = { salt: 'c2FsdHNhbHRzYWx0c2FsdA', iterations: 600_000 };

      it('create files the record with its created event; a quota refusal, a wrong manage token and a missing id see nothing', async () => {
        const s = makeSecret({ views: 2 });
        expect(await store.create(s, Q, evidence('api'))).toBe('created');
        const h = await history(s);
        expect(h).toEqual({
          state: 'pending',
          viewsLeft: 2,
          createdAt: T0,
          expiresAt: s.expiresAt,
          endedAt: null,
          ciphertextHash: expect.anything(),
          events: [event('created', T0, 'api')],
          dropped: 0,
        });
        expect(Buffer.from(h!.ciphertextHash)).toEqual(sha(s.ciphertext));
        expect(await store.history(s.id, sha(randomBytes(32)), T0)).toBeNull();
        expect(await store.history(s.id, s.verifier, T0)).toBeNull(); // the read token's hash is no manage token
        expect(await store.history(missing(), sha(s.manage), T0)).toBeNull();
        const refused = makeSecret();
        expect(await store.create(refused, { maxSecrets: 1, maxBytes: 1024 ** 3 }, evidence())).toBe('quota_exceeded');
        expect(await history(refused)).toBeNull();
        expect(await store.stats()).toEqual({ liveSecrets: 1, storedBytes: 100 });
      });

      it('peek and touch record opened, with the class given, only while the secret is pending and unexpired', async () => {
        const s = makeSecret();
        await store.create(s, Q, evidence());
        expect(await store.peek(s.id, sha(randomBytes(32)), T0 + 1, evidence('scanner'))).toBeNull();
        expect(await store.peek(s.id, sha(s.auth), T0 + 2, evidence('link-preview'))).toMatchObject({ viewsLeft: 1 });
        for (const [i, client] of CLIENT_CLASSES.entries()) await store.touch(s.id, T0 + 10 + i, evidence(client));
        await expect(store.touch(missing(), T0 + 3, evidence())).resolves.toBeUndefined();
        await store.touch(s.id, s.expiresAt, evidence()); // expired (not purged yet): nothing
        expect(await store.peek(s.id, sha(s.auth), T0 + 4)).not.toBeNull(); // no evidence given: nothing
        expect((await store.consume(s.id, sha(s.auth), null, T0 + 20, evidence('cli'))).ok).toBe(true);
        // Read: neither records anything any more.
        await store.touch(s.id, T0 + 21, evidence());
        expect(await store.peek(s.id, sha(s.auth), T0 + 21, evidence())).toBeNull();
        expect(await eventsOf(s, T0 + 22)).toEqual([
          event('created', T0),
          event('opened', T0 + 2, 'link-preview'),
          ...CLIENT_CLASSES.map((client, i) => event('opened', T0 + 10 + i, client)),
          event('read', T0 + 20, 'cli'),
        ]);
        // Revoked: likewise.
        const revoked = makeSecret();
        await store.create(revoked, Q, evidence());
        await store.revoke(revoked.id, sha(revoked.manage), T0 + 1, evidence());
        await store.touch(revoked.id, T0 + 2, evidence());
        expect((await eventsOf(revoked, T0 + 3))?.map((e) => e.type)).toEqual(['created', 'revoked']);
        // A secret created without evidence has no record, and neither makes one.
        const quiet = makeSecret();
        await store.create(quiet, Q);
        await store.touch(quiet.id, T0, evidence());
        expect(await store.peek(quiet.id, sha(quiet.auth), T0, evidence())).not.toBeNull();
        expect(await history(quiet)).toBeNull();
      });

      it('consume records each read with the views left, and the last read ends the record', async () => {
        const s = makeSecret({ views: 3 });
        await store.create(s, Q, evidence());
        expect(await store.consume(s.id, sha(s.auth), null, T0 + 10, evidence('browser'))).toMatchObject({ ok: true, viewsLeft: 2 });
        expect(await history(s, T0 + 11)).toMatchObject({ state: 'pending', viewsLeft: 2, endedAt: null, events: [event('created', T0), event('read', T0 + 10)] });
        expect((await store.consume(s.id, sha(s.auth), null, T0 + 20, evidence('cli'))).ok).toBe(true);
        expect((await store.consume(s.id, sha(s.auth), null, T0 + 30, evidence('api'))).ok).toBe(true);
        // Gone: a read of the tombstone records nothing.
        expect(await store.consume(s.id, sha(s.auth), null, T0 + 40, evidence())).toEqual(NOT_FOUND);
        expect(await history(s, T0 + 50)).toEqual({
          state: 'consumed',
          viewsLeft: 0,
          createdAt: T0,
          expiresAt: s.expiresAt,
          endedAt: T0 + 30,
          ciphertextHash: expect.anything(),
          events: [event('created', T0), event('read', T0 + 10, 'browser'), event('read', T0 + 20, 'cli'), event('read', T0 + 30, 'api')],
          dropped: 0,
        });
      });

      it('wrong read tokens, missing ids, reads too early or too late and wrong manage tokens write nothing', async () => {
        const s = makeSecret({ notBefore: T0 + 1000 });
        await store.create(s, Q, evidence());
        expect(await store.consume(s.id, sha(randomBytes(32)), null, T0 + 2000, evidence())).toEqual(NOT_FOUND);
        expect(await store.consume(missing(), sha(s.auth), null, T0 + 2000, evidence())).toEqual(NOT_FOUND);
        expect(await store.consume(s.id, sha(s.auth), null, T0, evidence())).toEqual({ ok: false, reason: 'not_yet_available', notBefore: T0 + 1000 });
        expect(await store.consume(s.id, sha(s.auth), null, s.expiresAt, evidence())).toEqual(NOT_FOUND);
        expect(await store.revoke(s.id, sha(randomBytes(32)), T0, evidence())).toBe(false);
        expect(await store.revoke(missing(), sha(s.manage), T0, evidence())).toBe(false);
        expect(await history(s)).toMatchObject({ state: 'pending', viewsLeft: 1, events: [event('created', T0)], dropped: 0 });
      });

      it('wrong passphrases record passphrase_failed; the one that burns it records burned and ends the record', async () => {
        const proof = randomBytes(32);
        const s = makeSecret({ passphrase: { ...PASSPHRASE, verifier: sha(proof), attempts: 2 } });
        await store.create(s, Q, evidence());
        expect(await store.consume(s.id, sha(s.auth), sha(randomBytes(32)), T0 + 1, evidence('cli'))).toEqual({ ok: false, reason: 'wrong_passphrase', attemptsLeft: 1 });
        expect(await history(s, T0 + 1)).toMatchObject({ state: 'pending', viewsLeft: 1, endedAt: null });
        expect(await store.consume(s.id, sha(s.auth), null, T0 + 2, evidence('api'))).toEqual({ ok: false, reason: 'wrong_passphrase', attemptsLeft: 0 });
        expect(await store.consume(s.id, sha(s.auth), sha(proof), T0 + 3, evidence())).toEqual(NOT_FOUND);
        expect(await history(s, T0 + 4)).toEqual({
          state: 'burned',
          viewsLeft: 0,
          createdAt: T0,
          expiresAt: s.expiresAt,
          endedAt: T0 + 2,
          ciphertextHash: expect.anything(),
          events: [event('created', T0), event('passphrase_failed', T0 + 1, 'cli'), event('passphrase_failed', T0 + 2, 'api'), event('burned', T0 + 2, 'api')],
          dropped: 0,
        });
        // The right proof while attempts remain is a read.
        const s2 = makeSecret({ passphrase: { ...PASSPHRASE, verifier: sha(proof), attempts: 3 } });
        await store.create(s2, Q, evidence());
        await store.consume(s2.id, sha(s2.auth), sha(randomBytes(32)), T0 + 1, evidence());
        expect((await store.consume(s2.id, sha(s2.auth), sha(proof), T0 + 2, evidence())).ok).toBe(true);
        expect(await history(s2, T0 + 3)).toMatchObject({ state: 'consumed', endedAt: T0 + 2, events: [event('created', T0), event('passphrase_failed', T0 + 1), event('read', T0 + 2)] });
      });

      it('revoke records revoked once and ends the record; revoking what has ended records nothing', async () => {
        const s = makeSecret();
        await store.create(s, Q, evidence());
        expect(await store.revoke(s.id, sha(s.manage), T0 + 5, evidence())).toBe(true);
        expect(await store.revoke(s.id, sha(s.manage), T0 + 6, evidence())).toBe(true);
        expect(await history(s, T0 + 7)).toEqual({
          state: 'revoked',
          viewsLeft: 0,
          createdAt: T0,
          expiresAt: s.expiresAt,
          endedAt: T0 + 5,
          ciphertextHash: expect.anything(),
          events: [event('created', T0), event('revoked', T0 + 5)],
          dropped: 0,
        });
        const read = makeSecret();
        await store.create(read, Q, evidence());
        expect((await store.consume(read.id, sha(read.auth), null, T0 + 1, evidence())).ok).toBe(true);
        expect(await store.revoke(read.id, sha(read.manage), T0 + 2, evidence())).toBe(true);
        expect(await history(read, T0 + 3)).toMatchObject({ state: 'consumed', endedAt: T0 + 1, events: [event('created', T0), event('read', T0 + 1)] });
      });

      it('history answers for the retention after the end, also once the tombstone is purged; then the purge deletes the record', async () => {
        const retain = 2 * HOUR;
        const s = makeSecret({ expiresAt: T0 + HOUR });
        await store.create(s, Q, evidence('browser', retain));
        expect((await store.consume(s.id, sha(s.auth), null, T0 + 10, evidence('browser', retain))).ok).toBe(true);
        // The tombstone goes at the secret's expiry; the record stays until T0 + 10 + retain.
        expect(await store.purge(T0 + HOUR, 100)).toEqual({ removed: 1, expired: 0 });
        expect(await store.status(s.id, sha(s.manage), T0 + HOUR)).toBeNull();
        expect(await history(s, T0 + HOUR)).toMatchObject({ state: 'consumed', endedAt: T0 + 10, events: [event('created', T0), event('read', T0 + 10)] });
        expect(await history(s, T0 + 10 + retain - 1)).not.toBeNull();
        expect(await history(s, T0 + 10 + retain)).toBeNull();
        expect(await store.purge(T0 + 10 + retain - 1, 100)).toEqual({ removed: 0, expired: 0 });
        expect(await store.purge(T0 + 10 + retain, 100)).toEqual({ removed: 1, expired: 0 });
        // Deleted: no answer even for a moment it was kept.
        expect(await history(s, T0 + HOUR)).toBeNull();
      });

      it('purge gives a secret that expired unread its expired event, once; the record stays until expiry + retention', async () => {
        const retain = 2 * HOUR;
        const s = makeSecret({ views: 2 });
        await store.create(s, Q, evidence('browser', retain));
        expect((await store.consume(s.id, sha(s.auth), null, T0 + 1, evidence())).ok).toBe(true);
        const after = s.expiresAt + 1;
        // Past its expiry, before the purge: reported expired, nothing written.
        const before = {
          state: 'expired',
          viewsLeft: 0,
          createdAt: T0,
          expiresAt: s.expiresAt,
          endedAt: s.expiresAt,
          ciphertextHash: expect.anything(),
          events: [event('created', T0), event('read', T0 + 1)],
          dropped: 0,
        };
        expect(await history(s, after)).toEqual(before);
        expect(await store.purge(after, 100)).toEqual({ removed: 1, expired: 1 });
        const expired = { ...before, events: [...before.events, event('expired', s.expiresAt, null)] };
        expect(await history(s, after)).toEqual(expired);
        expect(await store.purge(after + 1, 100)).toEqual({ removed: 0, expired: 0 });
        expect(await history(s, s.expiresAt + retain - 1)).toEqual(expired);
        expect(await store.purge(s.expiresAt + retain, 100)).toEqual({ removed: 1, expired: 0 });
        expect(await history(s, after)).toBeNull();
        // A record whose retention has passed by its first purge is deleted without a mark.
        const late = makeSecret();
        await store.create(late, Q, evidence('browser', retain));
        expect(await store.purge(late.expiresAt + retain, 100)).toEqual({ removed: 2, expired: 1 });
        expect(await history(late, after)).toBeNull();
      });

      it('purge deletes records past their retention in batches, counted in removed, before the tombstones', async () => {
        const made = [];
        for (let i = 0; i < 25; i++) {
          const s = makeSecret({ expiresAt: T0 + 10 * HOUR });
          await store.create(s, Q, evidence('api', HOUR));
          expect(await store.revoke(s.id, sha(s.manage), T0, evidence('api', HOUR))).toBe(true);
          made.push(s);
        }
        const rounds = [];
        for (let i = 0; i < 4; i++) rounds.push(await store.purge(T0 + HOUR, 10));
        expect(rounds).toEqual([10, 10, 5, 0].map((removed) => ({ removed, expired: 0 })));
        for (const s of made) {
          expect(await history(s, T0)).toBeNull();
          expect((await store.status(s.id, sha(s.manage), T0 + HOUR))?.state).toBe('revoked');
        }
      });

      it(`keeps at most ${String(MAX_EVENTS_PER_SECRET)} events; later ones are counted as dropped, and still change the state`, async () => {
        const s = makeSecret();
        await store.create(s, Q, evidence());
        for (let i = 1; i <= MAX_EVENTS_PER_SECRET + 5; i++) await store.touch(s.id, T0 + i, evidence('scanner'));
        const h = await history(s);
        expect(h?.events).toHaveLength(MAX_EVENTS_PER_SECRET);
        expect(h?.events[0]).toEqual(event('created', T0));
        expect(h?.events.at(-1)).toEqual(event('opened', T0 + MAX_EVENTS_PER_SECRET - 1, 'scanner'));
        expect(h?.dropped).toBe(6);
        expect((await store.consume(s.id, sha(s.auth), null, T0 + 100, evidence())).ok).toBe(true);
        expect(await history(s, T0 + 101)).toMatchObject({ state: 'consumed', endedAt: T0 + 100, events: h?.events, dropped: 7 });
      });

      it('without evidence nothing is recorded, whatever happens to the secret', async () => {
        const proof = randomBytes(32);
        const read = makeSecret({ views: 2 });
        const burned = makeSecret({ passphrase: { ...PASSPHRASE, verifier: sha(proof), attempts: 1 } });
        const revoked = makeSecret();
        const expired = makeSecret();
        for (const s of [read, burned, revoked, expired]) {
          await store.create(s, Q);
          expect(await store.peek(s.id, sha(s.auth), T0)).not.toBeNull();
        }
        expect((await store.consume(read.id, sha(read.auth), null, T0)).ok).toBe(true);
        expect((await store.consume(burned.id, sha(burned.auth), null, T0)).ok).toBe(false);
        expect(await store.revoke(revoked.id, sha(revoked.manage), T0)).toBe(true);
        // Evidence given later finds no record, and makes none.
        expect((await store.consume(read.id, sha(read.auth), null, T0 + 1, evidence())).ok).toBe(true);
        await store.purge(expired.expiresAt, 100);
        for (const s of [read, burned, revoked, expired]) {
          expect(await history(s, T0 + 2)).toBeNull();
          expect(await history(s, expired.expiresAt + 1)).toBeNull();
        }
      });

      it('concurrent consumes with evidence, among concurrent page fetches: exactly `views` read events, and none after the last', async () => {
        for (const views of [1, 3]) {
          const s = makeSecret({ views });
          await store.create(s, Q, evidence());
          const results = await Promise.all([
            ...Array.from({ length: 100 }, () => store.consume(s.id, sha(s.auth), null, T0 + 1, evidence('api'))),
            ...Array.from({ length: 20 }, () => store.touch(s.id, T0 + 1, evidence('link-preview')).then(() => null)),
          ]);
          expect(results.filter((r) => r?.ok === true)).toHaveLength(views);
          const h = await history(s, T0 + 2);
          expect(h).toMatchObject({ state: 'consumed', viewsLeft: 0, endedAt: T0 + 1, dropped: 0 });
          expect(h?.events[0]).toEqual(event('created', T0));
          expect(h?.events.filter((e) => e.type === 'read')).toEqual(Array.from({ length: views }, () => event('read', T0 + 1, 'api')));
          expect(h?.events.filter((e) => e.type !== 'read').slice(1)).toEqual(h?.events.filter((e) => e.type === 'opened'));
          expect(h?.events.at(-1)?.type).toBe('read');
        }
      });
    });

    describe('owners', () => {
      const ana = sha(Buffer.from('owner ana'));
      const ben = sha(Buffer.from('owner ben'));

      it("lists only the owner's secrets, newest first, with their state; never another's or an unowned one", async () => {
        const a1 = makeSecret({ owner: ana, createdAt: T0, views: 2 });
        const a2 = makeSecret({ owner: ana, createdAt: T0 + 10, gate: { recipients: [sha(Buffer.from('x@y.z'))], attempts: 5 } });
        const a3 = makeSecret({ owner: ana, createdAt: T0 + 20, expiresAt: T0 + 30 });
        const b1 = makeSecret({ owner: ben, createdAt: T0 + 5 });
        const none = makeSecret({ createdAt: T0 + 1 });
        for (const s of [a1, a2, a3, b1, none]) expect(await store.create(s, Q)).toBe('created');
        await store.consume(a1.id, sha(a1.auth), null, T0 + 40);
        await store.revoke(a2.id, sha(a2.manage), T0 + 41);
        const list = await store.owned(ana, T0 + 50, { limit: 10 });
        expect(list.map((o) => o.id)).toEqual([a3.id, a2.id, a1.id]);
        expect(list.map((o) => [o.state, o.viewsLeft])).toEqual([
          ['expired', 0],
          ['revoked', 0],
          ['pending', 1],
        ]);
        expect(list[1]).toMatchObject({ restricted: true, createdAt: T0 + 10, expiresAt: a2.expiresAt });
        expect(list[2]!.restricted).toBeUndefined();
        expect(Buffer.from(list[2]!.manageHash)).toEqual(Buffer.from(a1.manageHash));
        expect((await store.owned(ben, T0 + 50, { limit: 10 })).map((o) => o.id)).toEqual([b1.id]);
        expect(await store.owned(sha(Buffer.from('nobody')), T0 + 50, { limit: 10 })).toEqual([]);
        expect((await store.owned(ana, T0 + 50, { limit: 2 })).map((o) => o.id)).toEqual([a3.id, a2.id]);
        // One by id: only the owner's.
        expect((await store.owned(ana, T0 + 50, { limit: 1, id: a1.id })).map((o) => o.id)).toEqual([a1.id]);
        expect(await store.owned(ben, T0 + 50, { limit: 1, id: a1.id })).toEqual([]);
        expect(await store.owned(ana, T0 + 50, { limit: 1, id: none.id })).toEqual([]);
      });

      it('the purge takes purged secrets off the list', async () => {
        const s = makeSecret({ owner: ana, expiresAt: T0 + HOUR });
        await store.create(s, Q);
        expect(await store.owned(ana, T0, { limit: 10 })).toHaveLength(1);
        await store.purge(T0 + 2 * HOUR, 1000);
        expect(await store.owned(ana, T0 + 2 * HOUR, { limit: 10 })).toEqual([]);
      });
    });

    describe('verified recipients', () => {
      const alice = sha(Buffer.from('alice@example.com'));
      const domain = sha(Buffer.from('@corp.example'));
      const stranger = sha(Buffer.from('mallory@evil.example'));
      const gated = (over: Parameters<typeof makeSecret>[0] = {}) => makeSecret({ gate: { recipients: [alice, domain], attempts: 3 }, ...over });
      const code = (codeHash: Uint8Array, candidates: Uint8Array[] = [alice], expiresAt = T0 + 600_000, maxSends = 10) => ({ candidates, codeHash, expiresAt, maxSends });
      const NOT_FOUND = { ok: false, reason: 'not_found' };

      it('a restricted secret is never released without its current code; peek and status say restricted', async () => {
        const s = gated();
        await store.create(s, Q);
        expect(await store.peek(s.id, sha(s.auth), T0)).toEqual({ expiresAt: s.expiresAt, viewsLeft: 1, passphrase: null, notBefore: null, restricted: true });
        expect(await store.status(s.id, sha(s.manage), T0)).toMatchObject({ state: 'pending', restricted: true });
        // No code: refused, nothing counted (any number of times).
        for (let i = 0; i < 5; i++) expect(await store.consume(s.id, sha(s.auth), null, T0)).toEqual({ ok: false, reason: 'code_required' });
        // A code when none was ever stored is wrong, and counts.
        expect(await store.consume(s.id, sha(s.auth), null, T0, undefined, false, sha(randomBytes(8)))).toEqual({ ok: false, reason: 'wrong_code', attemptsLeft: 2 });
        const c = sha(randomBytes(8));
        expect(await store.requestCode(s.id, sha(s.auth), code(c), T0)).toBe('listed');
        expect(await store.consume(s.id, sha(s.auth), null, T0, undefined, false, sha(randomBytes(8)))).toEqual({ ok: false, reason: 'wrong_code', attemptsLeft: 1 });
        // The right code releases it once; the code is used up with the view.
        const r = await store.consume(s.id, sha(s.auth), null, T0 + 1, undefined, false, c);
        expect(r).toMatchObject({ ok: true, viewsLeft: 0 });
        expect(Buffer.from((r as { ciphertext: Uint8Array }).ciphertext)).toEqual(Buffer.from(s.ciphertext));
        expect(await store.consume(s.id, sha(s.auth), null, T0 + 2, undefined, false, c)).toEqual(NOT_FOUND);
        // An unrestricted secret ignores a code, as before.
        const plain = makeSecret();
        await store.create(plain, Q);
        expect((await store.peek(plain.id, sha(plain.auth), T0))?.restricted).toBeUndefined();
        expect((await store.status(plain.id, sha(plain.manage), T0))?.restricted).toBeUndefined();
        expect(await store.requestCode(plain.id, sha(plain.auth), code(c), T0)).toBe('not_found');
        expect((await store.consume(plain.id, sha(plain.auth), null, T0, undefined, false, sha(randomBytes(8)))).ok).toBe(true);
      });

      it('codes go only to listed addresses or domains, with the right token, a bounded number of times', async () => {
        const s = gated({ views: 3 });
        await store.create(s, Q);
        expect(await store.requestCode(s.id, sha(s.auth), code(sha(randomBytes(8)), [stranger]), T0)).toBe('not_listed');
        expect(await store.requestCode(s.id, sha(randomBytes(32)), code(sha(randomBytes(8))), T0)).toBe('not_found');
        expect(await store.requestCode(randomBytes(16).toString('base64url'), sha(s.auth), code(sha(randomBytes(8))), T0)).toBe('not_found');
        // A domain match: the address's own hash is not listed, its domain's is.
        const byDomain = sha(randomBytes(8));
        expect(await store.requestCode(s.id, sha(s.auth), code(byDomain, [stranger, domain]), T0)).toBe('listed');
        // A later code replaces the earlier one.
        const later = sha(randomBytes(8));
        expect(await store.requestCode(s.id, sha(s.auth), code(later), T0 + 1)).toBe('listed');
        expect(await store.consume(s.id, sha(s.auth), null, T0 + 2, undefined, false, byDomain)).toEqual({ ok: false, reason: 'wrong_code', attemptsLeft: 2 });
        expect((await store.consume(s.id, sha(s.auth), null, T0 + 2, undefined, false, later)).ok).toBe(true);
        // Each view needs a new code; the count of sends is bounded (not_listed asks count nothing).
        expect(await store.consume(s.id, sha(s.auth), null, T0 + 3, undefined, false, later)).toEqual({ ok: false, reason: 'wrong_code', attemptsLeft: 1 });
        const third = sha(randomBytes(8));
        expect(await store.requestCode(s.id, sha(s.auth), code(third, [alice], T0 + 600_000, 3), T0 + 4)).toBe('listed');
        expect(await store.requestCode(s.id, sha(s.auth), code(third, [alice], T0 + 600_000, 3), T0 + 4)).toBe('too_many');
        expect(await store.requestCode(s.id, sha(s.auth), code(third, [stranger], T0 + 600_000, 3), T0 + 4)).toBe('too_many');
        expect((await store.consume(s.id, sha(s.auth), null, T0 + 5, undefined, false, third)).ok).toBe(true);
      });

      it('an expired code is wrong; the last wrong code burns the secret with its evidence and outbox row', async () => {
        const s = gated();
        await store.create(s, Q, evidence());
        const c = sha(randomBytes(8));
        expect(await store.requestCode(s.id, sha(s.auth), code(c, [alice], T0 + 100), T0)).toBe('listed');
        expect(await store.consume(s.id, sha(s.auth), null, T0 + 100, evidence(), true, c)).toEqual({ ok: false, reason: 'wrong_code', attemptsLeft: 2 });
        expect(await store.consume(s.id, sha(s.auth), null, T0 + 101, evidence(), true, sha(randomBytes(8)))).toEqual({ ok: false, reason: 'wrong_code', attemptsLeft: 1 });
        expect(await store.consume(s.id, sha(s.auth), null, T0 + 102, evidence('cli'), true, sha(randomBytes(8)))).toEqual({ ok: false, reason: 'wrong_code', attemptsLeft: 0 });
        expect(await store.consume(s.id, sha(s.auth), null, T0 + 103, evidence(), true, c)).toEqual(NOT_FOUND);
        expect(await store.requestCode(s.id, sha(s.auth), code(c), T0 + 104)).toBe('not_found');
        expect(await store.status(s.id, sha(s.manage), T0 + 105)).toMatchObject({ state: 'burned', restricted: true });
        const h = await store.history(s.id, sha(s.manage), T0 + 105);
        expect(h).toMatchObject({ state: 'burned', endedAt: T0 + 102 });
        expect(h?.events.map((e) => e.type)).toEqual(['created', 'burned']);
        expect((await store.claimDeliveries('x', T0 + 106, 10, 1000)).map((d) => d.type)).toEqual(['secret.burned']);
        expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
      });

      it('the code is checked before the passphrase; a wrong passphrase leaves the code current', async () => {
        const proof = randomBytes(32);
        const s = gated({ passphrase: { salt: 'c2FsdHNhbHRzYWx0c2FsdA', iterations: 600_000, verifier: sha(proof), attempts: 3 } });
        await store.create(s, Q);
        const c = sha(randomBytes(8));
        await store.requestCode(s.id, sha(s.auth), code(c), T0);
        expect(await store.consume(s.id, sha(s.auth), sha(randomBytes(32)), T0, undefined, false, null)).toEqual({ ok: false, reason: 'code_required' });
        expect(await store.consume(s.id, sha(s.auth), sha(randomBytes(32)), T0, undefined, false, c)).toEqual({ ok: false, reason: 'wrong_passphrase', attemptsLeft: 2 });
        expect((await store.consume(s.id, sha(s.auth), sha(proof), T0, undefined, false, c)).ok).toBe(true);
      });

      it('50 concurrent consumes with the one right code: exactly one wins', async () => {
        const s = gated({ views: 5 });
        await store.create(s, Q);
        const c = sha(randomBytes(8));
        await store.requestCode(s.id, sha(s.auth), code(c), T0);
        const results = await Promise.all(Array.from({ length: 50 }, () => store.consume(s.id, sha(s.auth), null, T0, undefined, false, c)));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        // The losers met a used code: each counted as wrong, until the third burned it.
        expect(results.filter((r) => !r.ok && r.reason === 'wrong_code').length + results.filter((r) => !r.ok && r.reason === 'not_found').length).toBe(49);
        expect((await store.status(s.id, sha(s.manage), T0))?.state).toBe('burned');
      });
    });

    describe('audit trail', () => {
      const proof = randomBytes(32);
      const PASSPHRASE = { salt: 'c2FsdHNhbHRzYWx0c2FsdA', iterations: 600_000 };
      const row = (e: AuditEntry): [string, number, string | null] => [e.event, e.at, e.client];
      /** Seals until nothing is pending; what the calls sealed in all. */
      const sealAll = async (now = T0 + HOUR / 2, retainMs = RETAIN): Promise<number> => {
        let total = 0;
        for (;;) {
          const { sealed } = await store.sealAudit(now, 50, retainMs);
          total += sealed;
          if (sealed === 0) return total;
        }
      };
      const verify = (entries: AuditEntry[], prev?: string) => verifyAuditLines(entries.map(auditLine).join('\n') + '\n', prev === undefined ? {} : { prev });

      it('every stored event is queued with its change and sealed in order into one chain that names no secret', async () => {
        const read = makeSecret({ views: 2 });
        const burn = makeSecret({ passphrase: { ...PASSPHRASE, verifier: sha(proof), attempts: 1 } });
        const rev = makeSecret();
        const exp = makeSecret({ expiresAt: T0 + 10 });
        const quiet = makeSecret();
        await store.create(read, Q, evidence('api'));
        await store.touch(read.id, T0 + 1, evidence('link-preview'));
        expect(await store.peek(read.id, sha(read.auth), T0 + 2, evidence('scanner'))).not.toBeNull();
        expect((await store.consume(read.id, sha(read.auth), null, T0 + 3, evidence('cli'))).ok).toBe(true);
        await store.create(burn, Q, evidence());
        expect(await store.consume(burn.id, sha(burn.auth), sha(randomBytes(32)), T0 + 4, evidence())).toMatchObject({ reason: 'wrong_passphrase' });
        await store.create(rev, Q, evidence('cli'));
        expect(await store.revoke(rev.id, sha(rev.manage), T0 + 5, evidence('cli'))).toBe(true);
        expect(await store.revoke(rev.id, sha(rev.manage), T0 + 6, evidence('cli'))).toBe(true); // ended already: no event
        await store.create(exp, Q, evidence());
        // Without evidence nothing is queued, and wrong tokens change nothing.
        await store.create(quiet, Q);
        expect((await store.consume(quiet.id, sha(quiet.auth), null, T0 + 7)).ok).toBe(true);
        expect(await store.consume(read.id, sha(randomBytes(32)), null, T0 + 7, evidence())).toMatchObject({ ok: false });
        await store.purge(T0 + HOUR / 2, 1000); // `exp` expired unread at T0 + 10
        expect(await store.readAudit(0, 100)).toEqual([]); // queued, not yet in the trail
        expect(await sealAll()).toBe(11);
        const trail = await store.readAudit(0, 100);
        expect(trail.map(row)).toEqual([
          ['created', T0, 'api'],
          ['opened', T0 + 1, 'link-preview'],
          ['opened', T0 + 2, 'scanner'],
          ['read', T0 + 3, 'cli'],
          ['created', T0, 'browser'],
          ['passphrase_failed', T0 + 4, 'browser'],
          ['burned', T0 + 4, 'browser'],
          ['created', T0, 'cli'],
          ['revoked', T0 + 5, 'cli'],
          ['created', T0, 'browser'],
          ['expired', T0 + 10, null],
        ]);
        expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
        expect(trail[0]!.prev).toBe(AUDIT_GENESIS);
        expect(await verify(trail)).toMatchObject({ ok: true, entries: trail.length, first: 1, last: trail.length, head: trail.at(-1)!.hash });
        const text = JSON.stringify(trail);
        for (const s of [read, burn, rev, exp, quiet]) {
          expect(text).not.toContain(s.id);
          expect(text).not.toContain(sha(Buffer.from(s.id)).toString('hex'));
          expect(text).not.toContain(sha(Buffer.from(s.id)).toString('base64url'));
        }
        for (const e of trail) expect(Object.keys(e).sort()).toEqual(['at', 'client', 'event', 'hash', 'prev', 'seq']);
      });

      it('seals in batches that continue the chain; readAudit pages by seq; events only counted are not queued', async () => {
        const s = makeSecret();
        await store.create(s, Q, evidence());
        for (let i = 1; i <= MAX_EVENTS_PER_SECRET + 5; i++) await store.touch(s.id, T0 + i, evidence('scanner'));
        expect(await store.sealAudit(T0 + HOUR / 2, 30, RETAIN)).toEqual({ sealed: 30, pruned: 0 });
        expect(await store.sealAudit(T0 + HOUR / 2, 30, RETAIN)).toEqual({ sealed: 30, pruned: 0 });
        expect(await store.sealAudit(T0 + HOUR / 2, 30, RETAIN)).toEqual({ sealed: MAX_EVENTS_PER_SECRET - 60, pruned: 0 });
        expect(await store.sealAudit(T0 + HOUR / 2, 30, RETAIN)).toEqual({ sealed: 0, pruned: 0 });
        const all = await store.readAudit(0, 1000);
        expect(all).toHaveLength(MAX_EVENTS_PER_SECRET);
        expect(await verify(all)).toMatchObject({ ok: true, last: MAX_EVENTS_PER_SECRET });
        expect(await store.readAudit(10, 5)).toEqual(all.slice(10, 15));
        expect(await store.readAudit(MAX_EVENTS_PER_SECRET, 5)).toEqual([]);
        // An export in two parts: the second continues the first's head.
        const [a, b] = [all.slice(0, 20), all.slice(20)];
        const head = await verify(a);
        expect(head.ok).toBe(true);
        expect(await verify(b, head.ok ? head.head : '')).toMatchObject({ ok: true, first: 21 });
      });

      it('sealers at once never fork the chain, lose or repeat an entry', async () => {
        const secrets = Array.from({ length: 60 }, () => makeSecret());
        await Promise.all(secrets.map((s) => store.create(s, Q, evidence())));
        await Promise.all(secrets.map((s) => store.consume(s.id, sha(s.auth), null, T0 + 1, evidence('cli'))));
        let total = 0;
        while (total < 120) {
          const got = await Promise.all([1, 2, 3, 4].map(() => store.sealAudit(T0 + 2, 7, RETAIN)));
          const sealed = got.reduce((n, r) => n + r.sealed, 0);
          expect(sealed).toBeGreaterThan(0);
          total += sealed;
        }
        expect(total).toBe(120);
        const trail = await store.readAudit(0, 1000);
        expect(trail).toHaveLength(120);
        expect(await verify(trail)).toMatchObject({ ok: true, first: 1, last: 120 });
        expect(trail.filter((e) => e.event === 'created')).toHaveLength(60);
        expect(trail.filter((e) => e.event === 'read')).toHaveLength(60);
      });

      it('prunes old entries from the start; the head outlives them and the chain goes on', async () => {
        const a = makeSecret();
        await store.create(a, Q, evidence());
        await store.revoke(a.id, sha(a.manage), T0 + 100, evidence());
        expect(await sealAll(T0 + 200)).toBe(2);
        const before = await store.readAudit(0, 10);
        // At T0 + RETAIN the 'created' (at T0) is due, the 'revoked' (T0 + 100) not yet.
        expect(await store.sealAudit(T0 + RETAIN, 50, RETAIN)).toEqual({ sealed: 0, pruned: 1 });
        expect(await store.readAudit(0, 10)).toEqual(before.slice(1));
        expect(await store.sealAudit(T0 + RETAIN + 100, 50, RETAIN)).toEqual({ sealed: 0, pruned: 1 });
        expect(await store.readAudit(0, 10)).toEqual([]);
        const b = makeSecret({ createdAt: T0 + RETAIN + 200 });
        await store.create(b, Q, evidence('api'));
        expect(await sealAll(T0 + RETAIN + 300)).toBe(1);
        const after = await store.readAudit(0, 10);
        expect(after.map((e) => [e.seq, e.event, e.prev])).toEqual([[3, 'created', before[1]!.hash]]);
        expect(await verify(after, before[1]!.hash)).toMatchObject({ ok: true, first: 3 });
      });
    });

    describe('outbox', () => {
      const pw = (b: Uint8Array): Uint8Array => sha(b);

      it('notify writes one row per event with the change — read, burn, revoke, expired — and none without it', async () => {
        const read = makeSecret({ views: 2 });
        const burn = makeSecret({ passphrase: { salt: 's', iterations: 1, verifier: pw(Buffer.from('right')), attempts: 1 } });
        const rev = makeSecret();
        const exp = makeSecret({ expiresAt: T0 + 10 });
        const quiet = makeSecret();
        for (const s of [read, burn, rev, exp, quiet]) await store.create(s, Q);
        expect(await store.consume(read.id, sha(read.auth), null, T0 + 1, undefined, true)).toMatchObject({ ok: true, viewsLeft: 1 });
        expect(await store.consume(read.id, randomBytes(32), null, T0 + 1, undefined, true)).toEqual({ ok: false, reason: 'not_found' });
        expect(await store.consume(burn.id, sha(burn.auth), randomBytes(32), T0 + 2, evidence(), true)).toMatchObject({ reason: 'wrong_passphrase' });
        expect(await store.revoke(rev.id, sha(rev.manage), T0 + 3, undefined, true)).toBe(true);
        expect(await store.revoke(rev.id, sha(rev.manage), T0 + 4, undefined, true)).toBe(true); // already revoked: no event
        expect(await store.consume(quiet.id, sha(quiet.auth), null, T0 + 5)).toMatchObject({ ok: true }); // no notify: no row
        await store.purge(T0 + HOUR / 2, 1000, true); // `exp` expired unread at T0 + 10
        expect(await store.outboxStats()).toEqual({ pending: 4, dead: 0 });
        const got = await store.claimDeliveries('a', T0 + HOUR / 2, 10, 30_000);
        expect(got.map((d) => [d.type, d.secretId, d.at, d.viewsLeft, d.attempts]).sort()).toEqual(
          [
            ['secret.read', read.id, T0 + 1, 1, 1],
            ['secret.burned', burn.id, T0 + 2, 0, 1],
            ['secret.revoked', rev.id, T0 + 3, 0, 1],
            ['secret.expired', exp.id, T0 + 10, 0, 1],
          ].sort(),
        );
        expect(new Set(got.map((d) => d.eventId)).size).toBe(4);
      });

      it('claims are exclusive, leases run out, retries keep the event id, and dead letters are kept without the id', async () => {
        const secrets = Array.from({ length: 20 }, () => makeSecret());
        for (const s of secrets) {
          await store.create(s, Q);
          await store.consume(s.id, sha(s.auth), null, T0, undefined, true);
        }
        // Two owners claiming at once never get the same row.
        const [a, b] = await Promise.all([store.claimDeliveries('a', T0, 15, 1000), store.claimDeliveries('b', T0, 15, 1000)]);
        const ids = [...a, ...b].map((d) => d.eventId);
        expect(ids).toHaveLength(20);
        expect(new Set(ids).size).toBe(20);
        // Nothing is due while the leases run; after them, everything is again (a died).
        expect(await store.claimDeliveries('c', T0 + 999, 50, 1000)).toEqual([]);
        const d0 = a[0] ?? b[0]!;
        const owner0 = a.length > 0 ? 'a' : 'b';
        const again = await store.claimDeliveries('c', T0 + 1000, 50, 1000);
        expect(again).toHaveLength(20);
        expect(again.every((d) => d.attempts === 2)).toBe(true);
        // The old owner's claim is gone: its finish changes nothing.
        expect(await store.finishDelivery(d0.eventId, owner0, 'delivered', T0 + 1001)).toBe(false);
        const [first, second, ...rest] = again;
        expect(await store.finishDelivery(first!.eventId, 'c', 'delivered', T0 + 1001)).toBe(true);
        expect(await store.finishDelivery(first!.eventId, 'c', 'delivered', T0 + 1001)).toBe(false);
        expect(await store.finishDelivery(second!.eventId, 'c', { retryAt: T0 + 5000 }, T0 + 1001)).toBe(true);
        for (const d of rest) expect(await store.finishDelivery(d.eventId, 'c', 'dead', T0 + 1001)).toBe(true);
        expect(await store.outboxStats()).toEqual({ pending: 1, dead: 18 });
        // The retry is due at its time, with the same event id and secret id.
        expect(await store.claimDeliveries('d', T0 + 4999, 50, 1000)).toEqual([]);
        const retried = await store.claimDeliveries('d', T0 + 5000, 50, 1000);
        expect(retried).toEqual([{ ...second!, attempts: 3 }]);
        // Dead letters are never claimed, and the purge deletes them after DEAD_LETTER_MS.
        await store.finishDelivery(second!.eventId, 'd', 'delivered', T0 + 5001);
        expect(await store.claimDeliveries('e', T0 + 10 * 24 * HOUR, 50, 1000)).toEqual([]);
        await store.purge(T0 + 6 * 24 * HOUR, 1000);
        expect(await store.outboxStats()).toEqual({ pending: 0, dead: 18 });
        await store.purge(T0 + 8 * 24 * HOUR, 1000);
        expect(await store.outboxStats()).toEqual({ pending: 0, dead: 0 });
      });
    });

    describe('requests', () => {
      it('creates a request and shows it to the sender without changing anything', async () => {
        const r = makeRequest();
        expect(await store.createRequest(r, Q)).toBe('created');
        for (let i = 0; i < 3; i++) {
          const got = await store.getRequest(r.id, T0);
          expect(got).toEqual({ publicKey: expect.anything(), note: r.note, expiresAt: r.expiresAt, state: 'open' });
          expect(Buffer.from(got!.publicKey)).toEqual(Buffer.from(r.publicKey));
        }
        expect(await store.requestStatus(r.id, sha(r.token), T0)).toEqual({ state: 'open', expiresAt: r.expiresAt });
        expect(await store.getRequest(randomBytes(16).toString('base64url'), T0)).toBeNull();
        // An empty note is kept as empty.
        const quiet = makeRequest({ note: '' });
        await store.createRequest(quiet, Q);
        expect((await store.getRequest(quiet.id, T0))?.note).toBe('');
      });

      it('takes one answer only; a second answer is refused', async () => {
        const r = makeRequest();
        await store.createRequest(r, Q);
        const first = randomBytes(120);
        expect(await store.answerRequest(r.id, first, T0 + 1, Q)).toBe('answered');
        expect(await store.answerRequest(r.id, randomBytes(120), T0 + 2, Q)).toBe('not_found');
        expect((await store.getRequest(r.id, T0 + 3))?.state).toBe('answered');
        expect(await store.requestStatus(r.id, sha(r.token), T0 + 3)).toEqual({ state: 'answered', expiresAt: r.expiresAt });
        const picked = await store.pickupRequest(r.id, sha(r.token), T0 + 4);
        expect(Buffer.from(picked!.ciphertext)).toEqual(first);
        expect(await store.answerRequest(randomBytes(16).toString('base64url'), first, T0, Q)).toBe('not_found');
      });

      it('picks the response up once with the right token, then the whole request is gone', async () => {
        const r = makeRequest();
        await store.createRequest(r, Q);
        // Not answered yet: nothing to pick up, and nothing changes.
        expect(await store.pickupRequest(r.id, sha(r.token), T0)).toBeNull();
        expect((await store.getRequest(r.id, T0))?.state).toBe('open');
        const response = randomBytes(200);
        await store.answerRequest(r.id, response, T0, Q);
        const picked = await store.pickupRequest(r.id, sha(r.token), T0 + 1);
        expect(picked).toEqual({ ciphertext: expect.anything() });
        expect(Buffer.from(picked!.ciphertext)).toEqual(response);
        expect(await store.pickupRequest(r.id, sha(r.token), T0 + 2)).toBeNull();
        expect(await store.getRequest(r.id, T0 + 2)).toBeNull();
        expect(await store.requestStatus(r.id, sha(r.token), T0 + 2)).toBeNull();
        expect(await store.cancelRequest(r.id, sha(r.token), T0 + 2)).toBe(false);
        expect(await store.answerRequest(r.id, response, T0 + 2, Q)).toBe('not_found');
      });

      it('answers a wrong token like a missing id, and changes nothing', async () => {
        const r = makeRequest();
        await store.createRequest(r, Q);
        await store.answerRequest(r.id, randomBytes(64), T0, Q);
        const wrong = sha(randomBytes(32));
        const missing = randomBytes(16).toString('base64url');
        expect(await store.pickupRequest(r.id, wrong, T0)).toBeNull();
        expect(await store.pickupRequest(missing, sha(r.token), T0)).toBeNull();
        expect(await store.requestStatus(r.id, wrong, T0)).toBeNull();
        expect(await store.requestStatus(missing, sha(r.token), T0)).toBeNull();
        expect(await store.cancelRequest(r.id, wrong, T0)).toBe(false);
        expect(await store.cancelRequest(missing, sha(r.token), T0)).toBe(false);
        expect((await store.getRequest(r.id, T0))?.state).toBe('answered');
        expect(await store.pickupRequest(r.id, sha(r.token), T0)).not.toBeNull();
      });

      it('cancels: the request is erased at once, answered or not', async () => {
        const open = makeRequest();
        const answered = makeRequest();
        await store.createRequest(open, Q);
        await store.createRequest(answered, Q);
        await store.answerRequest(answered.id, randomBytes(64), T0, Q);
        for (const r of [open, answered]) {
          expect(await store.cancelRequest(r.id, sha(r.token), T0)).toBe(true);
          expect(await store.getRequest(r.id, T0)).toBeNull();
          expect(await store.requestStatus(r.id, sha(r.token), T0)).toBeNull();
          expect(await store.pickupRequest(r.id, sha(r.token), T0)).toBeNull();
          expect(await store.answerRequest(r.id, randomBytes(64), T0, Q)).toBe('not_found');
          expect(await store.cancelRequest(r.id, sha(r.token), T0)).toBe(false);
        }
      });

      it('never shows, answers or hands out an expired request', async () => {
        const open = makeRequest();
        const answered = makeRequest();
        await store.createRequest(open, Q);
        await store.createRequest(answered, Q);
        await store.answerRequest(answered.id, randomBytes(64), T0, Q);
        const at = open.expiresAt;
        expect(await store.getRequest(open.id, at - 1)).not.toBeNull();
        for (const r of [open, answered]) {
          expect(await store.getRequest(r.id, at)).toBeNull();
          expect(await store.requestStatus(r.id, sha(r.token), at)).toBeNull();
          expect(await store.pickupRequest(r.id, sha(r.token), at)).toBeNull();
          expect(await store.cancelRequest(r.id, sha(r.token), at)).toBe(false);
        }
        expect(await store.answerRequest(open.id, randomBytes(64), at, Q)).toBe('not_found');
      });

      it('purges expired requests with the secrets, counting them as expired, and gives their room back', async () => {
        const live = makeRequest({ expiresAt: T0 + 10 * HOUR });
        await store.createRequest(live, Q);
        for (let i = 0; i < 6; i++) {
          const r = makeRequest();
          await store.createRequest(r, Q);
          if (i % 2 === 0) await store.answerRequest(r.id, randomBytes(50), T0, Q);
        }
        for (let i = 0; i < 6; i++) await store.create(makeSecret(), Q);
        const rounds = [];
        for (let i = 0; i < 3; i++) rounds.push(await store.purge(T0 + 2 * HOUR, 5));
        expect(rounds.map((r) => r.removed)).toEqual([5, 5, 2]);
        expect(rounds.reduce((n, r) => n + r.expired, 0)).toBe(12);
        expect((await store.getRequest(live.id, T0 + 2 * HOUR))?.state).toBe('open');
        expect(await store.stats()).toEqual({ liveSecrets: 1, storedBytes: live.publicKey.length + Buffer.byteLength(live.note) });
      });

      it('counts requests and responses in the quota, atomically, and gives the room back', async () => {
        const quota = { maxSecrets: 2, maxBytes: 400 };
        const a = makeRequest({ note: '' });
        const b = makeRequest({ note: 'x'.repeat(35) }); // 65 + 35 = 100 bytes
        expect(await store.createRequest(a, quota)).toBe('created');
        expect(await store.createRequest(b, quota)).toBe('created');
        expect(await store.stats()).toEqual({ liveSecrets: 2, storedBytes: 165 });
        expect(await store.createRequest(makeRequest({ note: '' }), quota)).toBe('quota_exceeded'); // count: 3 > 2
        expect(await store.create(makeSecret({ ciphertext: randomBytes(1) }), quota)).toBe('quota_exceeded');
        // 165 + 300 > 400: refused, and the request stays open; 165 + 235 = 400 fits.
        expect(await store.answerRequest(a.id, randomBytes(300), T0, quota)).toBe('quota_exceeded');
        expect((await store.getRequest(a.id, T0))?.state).toBe('open');
        expect(await store.stats()).toEqual({ liveSecrets: 2, storedBytes: 165 });
        expect(await store.answerRequest(a.id, randomBytes(235), T0, quota)).toBe('answered');
        expect(await store.stats()).toEqual({ liveSecrets: 2, storedBytes: 400 });
        expect(await store.pickupRequest(a.id, sha(a.token), T0)).not.toBeNull();
        expect(await store.stats()).toEqual({ liveSecrets: 1, storedBytes: 100 });
        expect(await store.cancelRequest(b.id, sha(b.token), T0)).toBe(true);
        expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
      });

      it('50 concurrent answers: exactly one wins, and its response is the one picked up', async () => {
        const r = makeRequest();
        await store.createRequest(r, Q);
        const responses = Array.from({ length: 50 }, () => randomBytes(100));
        const results = await Promise.all(responses.map((c) => store.answerRequest(r.id, c, T0, Q)));
        expect(results.filter((x) => x === 'answered')).toHaveLength(1);
        expect(results.filter((x) => x === 'not_found')).toHaveLength(49);
        const winner = responses[results.indexOf('answered')]!;
        expect(Buffer.from((await store.pickupRequest(r.id, sha(r.token), T0))!.ciphertext)).toEqual(winner);
        expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
      });

      it('50 concurrent pickups: exactly one gets the response', async () => {
        const r = makeRequest();
        await store.createRequest(r, Q);
        const response = randomBytes(100);
        await store.answerRequest(r.id, response, T0, Q);
        const results = await Promise.all(Array.from({ length: 50 }, () => store.pickupRequest(r.id, sha(r.token), T0)));
        const winners = results.filter((x) => x !== null);
        expect(winners).toHaveLength(1);
        expect(Buffer.from(winners[0]!.ciphertext)).toEqual(response);
        expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
      });
    });
  });
}
