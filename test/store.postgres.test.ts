// What PostgreSQL has beyond the store contract (test/store.contract.test.ts): group commit
// (src/store/postgres-batch.ts). The creates, and the consumes, that arrive in one turn go to the
// database as ONE statement; these tests make them arrive together, check that they did go as a
// group (the store counts its group statements), and that each item was still decided by the rules
// one statement per item would apply: the quota item by item, every consume's own outcome and
// evidence, a secret met once per group, one bad item failing alone, no deadlock between
// instances. The Batcher's scheduling is tested on its own after them, and the audit queue last:
// its statement triggers (migration 10) and the sealer's append statement.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { AUDIT_GENESIS } from '../src/protocol/audit.js';
import { PostgresStore } from '../src/store/postgres.js';
import { AUDIT_SQL } from '../src/store/postgres-audit.js';
import { migrate } from '../src/store/postgres-migrations.js';
import { Batcher } from '../src/store/postgres-batch.js';
import { StoreUnavailableError } from '../src/store/types.js';
import { HOUR, Q, RETAIN, T0, evidence, makeSecret, sha } from './helpers/store.js';
import { detectPostgres, dropSchemas, requireService, runTag } from './helpers/services.js';

const url = requireService(await detectPostgres(), 'PostgreSQL store specifics');
const run = runTag();
const schemas: string[] = [];
let n = 0;
const open = (): Promise<PostgresStore> => {
  const schema = `hush_pg_${run}_${String(n++)}`;
  schemas.push(schema);
  return PostgresStore.open(url!, { schema });
};

describe.skipIf(url === null)('PostgreSQL store specifics: group commit', () => {
  let store: PostgresStore;
  beforeEach(async () => {
    store = await open();
    return () => store.close();
  });
  afterAll(() => dropSchemas(url!, schemas));

  it('the creates of one turn go as one statement, and the quota still takes them one by one, in order', async () => {
    const before = store.grouped.creates;
    // 1000 bytes of room: 600 fits, the second 600 does not, then 300 and 100 still do — what
    // four creates one after the other would give (a rule that counted the refused 600 would refuse them).
    const sizes = [600, 600, 300, 100, 1];
    const secrets = sizes.map((size) => makeSecret({ ciphertext: randomBytes(size) }));
    const results = await Promise.all(secrets.map((s) => store.create(s, { maxSecrets: 100, maxBytes: 1000 })));
    expect(results).toEqual(['created', 'quota_exceeded', 'created', 'created', 'quota_exceeded']);
    expect(store.grouped.creates.groups).toBe(before.groups + 1);
    expect(store.grouped.creates.items).toBe(before.items + 5);
    expect(await store.stats()).toEqual({ liveSecrets: 3, storedBytes: 1000 });
    // Counted as secrets too: with room for 3 more, 8 racing creates store exactly 3.
    const racers = Array.from({ length: 8 }, () => makeSecret({ ciphertext: randomBytes(1) }));
    const raced = await Promise.all(racers.map((s) => store.create(s, { maxSecrets: 6, maxBytes: 10_000 })));
    expect(raced.filter((r) => r === 'created')).toHaveLength(3);
    expect(await store.stats()).toEqual({ liveSecrets: 6, storedBytes: 1003 });
    // Each created secret reads once; each refused one was never stored.
    for (const [i, s] of [...secrets, ...racers].entries()) {
      const created = [...results, ...raced][i] === 'created';
      expect((await store.consume(s.id, sha(s.auth), null, T0)).ok).toBe(created);
    }
    // A group's evidence records: created with the secret, none for a refused one.
    const withEvidence = Array.from({ length: 4 }, () => makeSecret());
    await Promise.all(withEvidence.map((s) => store.create(s, Q, evidence('cli'))));
    for (const s of withEvidence) {
      expect(await store.history(s.id, sha(s.manage), T0)).toMatchObject({ state: 'pending', events: [{ type: 'created', at: T0, client: 'cli' }] });
    }
  });

  it('a ciphertext over 64 KiB goes alone, beside a group of the small ones of its turn', async () => {
    const before = store.grouped.creates;
    const big = makeSecret({ ciphertext: randomBytes(64 * 1024 + 1) });
    const small = [makeSecret(), makeSecret()];
    expect(await Promise.all([big, ...small].map((s) => store.create(s, Q)))).toEqual(['created', 'created', 'created']);
    expect(store.grouped.creates).toEqual({ groups: before.groups + 1, items: before.items + 2 });
    const read = await store.consume(big.id, sha(big.auth), null, T0);
    expect(read.ok && Buffer.from(read.ciphertext).equals(Buffer.from(big.ciphertext))).toBe(true);
  });

  it('a group of consumes: each gets its own outcome, and the evidence records each', async () => {
    const proof = randomBytes(32);
    const plain = makeSecret();
    const twice = makeSecret({ views: 2 });
    const locked = makeSecret({ passphrase: { salt: 'c2FsdA', iterations: 600_000, verifier: sha(proof), attempts: 3 } });
    const early = makeSecret({ notBefore: T0 + HOUR / 2 });
    const gated = makeSecret({ gate: { recipients: [sha(Buffer.from('a@example.com'))], attempts: 5 } });
    const quiet = makeSecret(); // made without evidence: consumed in the same group as the others
    const all = [plain, twice, locked, early, gated];
    await Promise.all(all.map((s) => store.create(s, Q, evidence())));
    await store.create(quiet, Q);
    const before = store.grouped.consumes;
    const ev = evidence('api');
    const results = await Promise.all([
      store.consume(plain.id, sha(plain.auth), null, T0 + 1, ev),
      store.consume(twice.id, sha(twice.auth), null, T0 + 1, ev),
      store.consume(locked.id, sha(locked.auth), sha(randomBytes(32)), T0 + 1, ev),
      store.consume(early.id, sha(early.auth), null, T0 + 1, ev),
      store.consume(gated.id, sha(gated.auth), null, T0 + 1, ev),
      store.consume(quiet.id, sha(quiet.auth), null, T0 + 1, ev),
      store.consume(randomBytes(16).toString('base64url'), sha(randomBytes(32)), null, T0 + 1, ev),
      store.consume(randomBytes(16).toString('base64url'), sha(plain.auth), null, T0 + 1, ev),
    ]);
    expect(store.grouped.consumes.groups).toBe(before.groups + 1);
    expect(store.grouped.consumes.items).toBe(before.items + 8);
    expect(results.map((r) => (r.ok ? { ok: true, views: r.viewsLeft } : r))).toEqual([
      { ok: true, views: 0 },
      { ok: true, views: 1 },
      { ok: false, reason: 'wrong_passphrase', attemptsLeft: 2 },
      { ok: false, reason: 'not_yet_available', notBefore: T0 + HOUR / 2 },
      { ok: false, reason: 'code_required' },
      { ok: true, views: 0 },
      { ok: false, reason: 'not_found' },
      { ok: false, reason: 'not_found' },
    ]);
    const ok = results.filter((r) => r.ok);
    expect(Buffer.from(ok[0]!.ciphertext)).toEqual(Buffer.from(plain.ciphertext));
    expect(Buffer.from(ok[1]!.ciphertext)).toEqual(Buffer.from(twice.ciphertext));
    const types = async (s: { id: string; manage: Uint8Array }): Promise<string[] | undefined> =>
      (await store.history(s.id, sha(s.manage), T0 + 2))?.events.map((e) => e.type);
    expect(await types(plain)).toEqual(['created', 'read']);
    expect(await types(twice)).toEqual(['created', 'read']);
    expect(await types(locked)).toEqual(['created', 'passphrase_failed']);
    expect(await types(early)).toEqual(['created']);
    expect(await types(gated)).toEqual(['created']);
    expect(await store.history(quiet.id, sha(quiet.manage), T0 + 2)).toBeNull();
    expect((await store.history(plain.id, sha(plain.manage), T0 + 2))?.state).toBe('consumed');
    expect(await store.stats()).toEqual({ liveSecrets: 4, storedBytes: 400 });
  });

  it('one secret asked for 12 times in one turn: met once per group, read exactly as many times as it has views', async () => {
    const s = makeSecret({ views: 3 });
    await store.create(s, Q, evidence());
    const results = await Promise.all(Array.from({ length: 12 }, () => store.consume(s.id, sha(s.auth), null, T0, evidence())));
    expect(results.flatMap((r) => (r.ok ? [r.viewsLeft] : [])).sort()).toEqual([0, 1, 2]);
    expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 9 }, () => ({ ok: false, reason: 'not_found' })));
    expect((await store.history(s.id, sha(s.manage), T0))?.events.map((e) => e.type)).toEqual(['created', 'read', 'read', 'read']);
  });

  it('two instances consuming the same secrets in groups of their own: each read exactly as many times as it has views, no deadlock', async () => {
    const other = await PostgresStore.open(url!, { schema: schemas.at(-1)! });
    try {
      const secrets = Array.from({ length: 30 }, () => makeSecret({ views: 2 }));
      await Promise.all(secrets.map((s) => store.create(s, Q, evidence())));
      const before = [store.grouped.consumes.groups, other.grouped.consumes.groups];
      // Each instance asks for every secret three times, in a different order: groups that share
      // rows, locked in id order by each.
      const asks = (st: PostgresStore, order: typeof secrets) =>
        [0, 1, 2].flatMap(() => order.map((s) => st.consume(s.id, sha(s.auth), null, T0, evidence())));
      const results = await Promise.all([...asks(store, secrets), ...asks(other, [...secrets].reverse())]);
      const reads = new Map<string, number>();
      const ids = [0, 1, 2].flatMap(() => secrets.map((s) => s.id)).concat([0, 1, 2].flatMap(() => [...secrets].reverse().map((s) => s.id)));
      results.forEach((r, i) => {
        if (r.ok) reads.set(ids[i]!, (reads.get(ids[i]!) ?? 0) + 1);
      });
      expect([...reads.values()]).toEqual(secrets.map(() => 2));
      expect(store.grouped.consumes.groups).toBeGreaterThan(before[0]!);
      expect(other.grouped.consumes.groups).toBeGreaterThan(before[1]!);
      expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
    } finally {
      await other.close();
    }
  });

  it('an item the group cannot take fails alone: the others of its group are stored', async () => {
    const good = Array.from({ length: 3 }, () => makeSecret());
    const bad = makeSecret({ gate: { recipients: [randomBytes(31)], attempts: 5 } }); // a recipient's hash must be 32 bytes
    // The same id twice: the second waits for a group of its own, and whichever runs second is refused.
    const twin = makeSecret({ id: good[0]!.id });
    const results = await Promise.allSettled([...good, bad, twin].map((s) => store.create(s, Q)));
    expect(results.slice(1, 3)).toEqual([{ status: 'fulfilled', value: 'created' }, { status: 'fulfilled', value: 'created' }]);
    expect(results[3]).toMatchObject({ status: 'rejected', reason: expect.any(RangeError) });
    expect([results[0]!.status, results[4]!.status].sort()).toEqual(['fulfilled', 'rejected']);
    const first = results[0]!.status === 'fulfilled' ? good[0]! : twin;
    for (const s of [first, good[1]!, good[2]!]) expect((await store.consume(s.id, sha(s.auth), null, T0)).ok).toBe(true);
    expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
  });
});

describe('Batcher: how items become groups', () => {
  const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

  it('groups what arrives together, keeps each key once per group, and never has more than `inFlight` groups out', async () => {
    const groups: string[][] = [];
    let out = 0;
    let most = 0;
    const b = new Batcher<string, string>({
      inFlight: 2,
      maxItems: 3,
      key: (k) => k,
      one: async (k) => {
        groups.push([k]);
        await tick();
        return `one:${k}`;
      },
      many: async (items) => {
        out++;
        most = Math.max(most, out);
        groups.push([...items]);
        await tick();
        await tick();
        out--;
        return items.map((k) => `many:${k}`);
      },
    });
    const items = ['a', 'b', 'a', 'c', 'd', 'e', 'f', 'g', 'a'];
    const results = await Promise.all(items.map((k) => b.run(k)));
    expect(results.map((r) => r.split(':')[1])).toEqual(items);
    for (const g of groups) {
      expect(new Set(g).size).toBe(g.length);
      expect(g.length).toBeLessThanOrEqual(3);
    }
    expect(groups.flat().sort()).toEqual([...items].sort());
    expect(most).toBeLessThanOrEqual(2);
    expect(b.sent.items).toBe(groups.filter((g) => g.length > 1).flat().length);
    // Alone, an item goes as itself, with no group.
    expect(await b.run('z')).toBe('one:z');
  });

  it('an SQL error sends each item alone; a store that is unavailable fails the group as it is', async () => {
    let alone = 0;
    const make = (err: Error) =>
      new Batcher<number, number>({
        inFlight: 1,
        maxItems: 10,
        key: String,
        one: (x) => {
          alone++;
          return x === 2 ? Promise.reject(new RangeError('bad item')) : Promise.resolve(x * 10);
        },
        many: () => Promise.reject(err),
      });
    const b = make(new Error('a bug in the group statement'));
    const retried = await Promise.allSettled([1, 2, 3].map((x) => b.run(x)));
    expect(retried).toEqual([
      { status: 'fulfilled', value: 10 },
      { status: 'rejected', reason: new RangeError('bad item') },
      { status: 'fulfilled', value: 30 },
    ]);
    expect(alone).toBe(3);
    alone = 0;
    const down = make(new StoreUnavailableError('PostgreSQL is unavailable'));
    const failed = await Promise.allSettled([1, 2, 3].map((x) => down.run(x)));
    expect(failed.every((r) => r.status === 'rejected' && r.reason instanceof StoreUnavailableError)).toBe(true);
    expect(alone).toBe(0);
  });

  it('a database that does not answer fails the items waiting behind it at once, not after a timeout of their own', async () => {
    let calls = 0;
    const b = new Batcher<number, number>({
      inFlight: 1,
      maxItems: 10,
      key: () => 'same', // one item per group: the others wait in the queue
      one: async () => {
        calls++;
        await tick();
        throw new StoreUnavailableError('PostgreSQL is unavailable: timeout');
      },
      many: () => Promise.reject(new Error('not reached')),
    });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((x) => b.run(x)));
    expect(settled.every((r) => r.status === 'rejected' && r.reason instanceof StoreUnavailableError)).toBe(true);
    expect(calls).toBe(1);
    // The queue is empty again: a later item is sent.
    await expect(b.run(5)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(calls).toBe(2);
  });
});

describe.skipIf(url === null)('PostgreSQL store specifics: the audit queue, the counters and the sealer', () => {
  afterAll(() => dropSchemas(url!, schemas));

  it('a group statement queues one audit entry per record and per event, in the order it inserted them (statement triggers)', async () => {
    const store = await open();
    try {
      // Four creates and then four consumes, each kind in one group statement, each item with its own time and client.
      const clients = ['cli', 'api', 'browser', 'cli'] as const;
      const secrets = clients.map((_, i) => makeSecret({ createdAt: T0 + i }));
      const groups = store.grouped.creates.groups;
      await Promise.all(secrets.map((s, i) => store.create(s, Q, evidence(clients[i]))));
      expect(store.grouped.creates.groups).toBe(groups + 1);
      const reads = await Promise.all(secrets.map((s, i) => store.consume(s.id, sha(s.auth), null, T0 + 10 + i, evidence(clients[3 - i]))));
      expect(reads.every((r) => r.ok)).toBe(true);
      expect((await store.sealAudit(T0 + 20, 100, RETAIN)).sealed).toBe(8);
      expect((await store.readAudit(0, 100)).map((e) => [e.seq, e.event, e.at, e.client])).toEqual([
        ...clients.map((c, i) => [i + 1, 'created', T0 + i, c]),
        ...clients.map((_, i) => [i + 5, 'read', T0 + 10 + i, clients[3 - i]]),
      ]);
    } finally {
      await store.close();
    }
  });

  it('migration 10 makes the queue and counter triggers per statement; entries queued before it are sealed first, counts kept', async () => {
    const schema = `hush_pg_${run}_${String(n++)}`;
    schemas.push(schema);
    const db = new pg.Client({ connectionString: url!, options: `-c search_path=${schema}` });
    await db.connect();
    try {
      // Schema version 9, as the Hush before it left it: one record queued by its row trigger, one
      // secret stored and counted.
      await migrate({ connectionString: url!, options: `-c search_path=${schema}` }, schema, 9);
      await db.query(
        `INSERT INTO hush_evidence (ref, manage_hash, ciphertext_hash, created_at, created_by, expires_at, state, views_left, retain_until, events)
         VALUES ($1, $2, $2, $3, 'api', $4, 'pending', 1, $4, 1)`,
        [randomBytes(32), randomBytes(32), T0 - 5, T0 + HOUR],
      );
      expect((await db.query('SELECT count(*)::int AS n FROM hush_audit_pending')).rows[0]).toEqual({ n: 1 });
      const old = makeSecret();
      await db.query(
        `INSERT INTO hush_secrets (id, ciphertext, verifier, manage_hash, views, views_left, state, created_at, expires_at, size)
         VALUES ($1, $2, $3, $4, 1, 1, 'pending', $5, $6, 100)`,
        [old.id, old.ciphertext, old.verifier, old.manageHash, old.createdAt, old.expiresAt],
      );
      await db.query('UPDATE hush_stats SET live = 1, bytes = 100 WHERE id = 1');
      const store = await PostgresStore.open(url!, { schema });
      try {
        const triggers = await db.query<{ tgname: string; row: boolean }>(
          `SELECT tgname, (tgtype & 1) = 1 AS row FROM pg_trigger WHERE NOT tgisinternal AND tgrelid::regclass::text IN ('hush_events', 'hush_evidence', 'hush_secrets') ORDER BY tgname`,
        );
        expect(triggers.rows).toEqual([
          { tgname: 'hush_events_audited', row: false },
          { tgname: 'hush_evidence_audited', row: false },
          { tgname: 'hush_secrets_counted_delete', row: false },
          { tgname: 'hush_secrets_counted_erase', row: false },
        ]);
        const s = makeSecret();
        const kept = makeSecret();
        expect(await store.create(s, Q, evidence('cli'))).toBe('created');
        expect(await store.create(kept, Q)).toBe('created');
        expect(await store.stats()).toEqual({ liveSecrets: 3, storedBytes: 300 });
        expect((await store.consume(old.id, sha(old.auth), null, T0 + 1)).ok).toBe(true);
        expect(await store.stats()).toEqual({ liveSecrets: 2, storedBytes: 200 });
        expect((await store.consume(s.id, sha(s.auth), null, T0 + 1, evidence('browser'))).ok).toBe(true);
        expect(await store.stats()).toEqual({ liveSecrets: 1, storedBytes: 100 });
        expect(await store.revoke(kept.id, sha(kept.manage), T0 + 1)).toBe(true);
        expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
        expect((await store.sealAudit(T0 + 2, 100, RETAIN)).sealed).toBe(3);
        expect((await store.readAudit(0, 100)).map((e) => [e.event, e.at, e.client])).toEqual([
          ['created', T0 - 5, 'api'],
          ['created', T0, 'cli'],
          ['read', T0 + 1, 'browser'],
        ]);
      } finally {
        await store.close();
      }
    } finally {
      await db.end();
    }
  });

  it('the append pairs the hashes sent with the rows read, in id order, and moves the head only if every row read was still queued', async () => {
    const store = await open();
    const schema = schemas.at(-1)!;
    const db = new pg.Client({ connectionString: url! });
    await db.connect();
    try {
      await db.query(`SET search_path TO "${schema}"`);
      const ids = (await db.query<{ id: string }>(`INSERT INTO hush_audit_pending (at, type, client) VALUES (1, 'created', 'cli'), (2, 'read', NULL), (3, 'revoked', 'api') RETURNING id`)).rows.map((r) => r.id);
      const hashes = ['a', 'b', 'c'].map((c) => c.repeat(64));
      // One id no longer queued (as if another sealer had taken it): the head stays, and the caller rolls back.
      await db.query('BEGIN');
      const missed = await db.query(AUDIT_SQL.append, [[ids[0], ids[1], '999999999'], 0, hashes, AUDIT_GENESIS, 3]);
      expect(missed.rowCount).toBe(0);
      await db.query('ROLLBACK');
      expect((await db.query('SELECT count(*)::int AS n FROM hush_audit_pending')).rows[0]).toEqual({ n: 3 });
      // All three: numbered on from the head, each with its own hash and the one before it.
      const moved = await db.query(AUDIT_SQL.append, [ids, 0, hashes, AUDIT_GENESIS, 3]);
      expect(moved.rowCount).toBe(1);
      expect((await db.query('SELECT seq::int, at::int, type, client, prev, hash FROM hush_audit ORDER BY seq')).rows).toEqual([
        { seq: 1, at: 1, type: 'created', client: 'cli', prev: AUDIT_GENESIS, hash: hashes[0] },
        { seq: 2, at: 2, type: 'read', client: null, prev: hashes[0], hash: hashes[1] },
        { seq: 3, at: 3, type: 'revoked', client: 'api', prev: hashes[1], hash: hashes[2] },
      ]);
      expect((await db.query('SELECT seq::int, hash FROM hush_audit_head')).rows).toEqual([{ seq: 3, hash: hashes[2] }]);
      expect((await db.query('SELECT count(*)::int AS n FROM hush_audit_pending')).rows[0]).toEqual({ n: 0 });
    } finally {
      await db.end();
      await store.close();
    }
  });
});
