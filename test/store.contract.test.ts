// The one contract every Store adapter must pass (src/store/types.ts). Adapters are listed in
// `adapters`; each runs the same cases unchanged on a real database. What only SQLite has (its
// file shared by connections, the writer thread, migrations of old files) is tested in
// test/store.sqlite.test.ts.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../src/store/types.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { PostgresStore } from '../src/store/postgres.js';
import { RedisStore } from '../src/store/redis.js';
import { tempDir } from './helpers/server.js';
import { HOUR, Q, T0, makeRequest, makeSecret, sha } from './helpers/store.js';
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
    // Striped counters: the check reads their sum without a lock, so every write in flight (one
    // per pooled connection, 20) may have seen the same total.
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
