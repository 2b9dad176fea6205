// What SQLite has beyond the store contract (test/store.contract.test.ts): one file shared by
// several connections, the group-commit writer thread (src/store/sqlite-engine.ts), its idle stop
// and the purges that leave it asleep, migrations of files an earlier Hush left, and what the
// evidence tables hold on disk.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore, type SqliteOptions } from '../src/store/sqlite.js';
import { tempDir } from './helpers/server.js';
import { HOUR, Q, T0, evidence, makeRequest, makeSecret, sha } from './helpers/store.js';

/** Runs `fn` on a SQLite store on a fresh file; closes the store and removes the file after. */
async function onSqliteFile(options: SqliteOptions, fn: (store: SqliteStore, path: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const path = join(dir, 'hush.db');
  const store = new SqliteStore(path, options);
  try {
    await fn(store, path);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits (up to 5 s) until `ok()` holds. */
async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('SQLite specifics', () => {
  it('two connections to one file (two processes sharing it) never both win', async () => {
    const dir = tempDir();
    const a = new SqliteStore(join(dir, 'shared.db'));
    const b = new SqliteStore(join(dir, 'shared.db'));
    try {
      const s = makeSecret();
      await a.create(s, Q);
      const results = await Promise.all([a, b, a, b].map((st) => st.consume(s.id, sha(s.auth), null, T0)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('group commit: writes of one turn commit together; a failing one is refused alone; close commits what is queued', () =>
    onSqliteFile({}, async (store, path) => {
      const a = makeSecret();
      const b = makeSecret();
      const c = makeSecret();
      await store.create(c, Q);
      // One turn: a create, a create that fails (the same id again: a UNIQUE violation), another
      // create, and a consume of c. They share one transaction; only the failing one is refused.
      const results = await Promise.allSettled([
        store.create(a, Q),
        store.create({ ...makeSecret(), id: a.id }, Q),
        store.create(b, Q),
        store.consume(c.id, sha(c.auth), null, T0),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect((results[3] as PromiseFulfilledResult<{ ok: boolean }>).value.ok).toBe(true);
      expect(await store.stats()).toEqual({ liveSecrets: 2, storedBytes: a.ciphertext.length + b.ciphertext.length });
      // Another connection to the file sees exactly the committed state.
      const other = new SqliteStore(path);
      expect(await other.peek(a.id, sha(a.auth), T0)).not.toBeNull();
      expect(await other.peek(b.id, sha(b.auth), T0)).not.toBeNull();
      expect(await other.peek(c.id, sha(c.auth), T0)).toBeNull();
      await other.close();

      // A write queued when close() is called is committed and answered before the file closes.
      const d = makeSecret();
      const queued = store.create(d, Q);
      await store.close();
      expect(await queued).toBe('created');
      const reopened = new SqliteStore(path);
      expect(await reopened.peek(d.id, sha(d.auth), T0)).not.toBeNull();
      await reopened.close();
      // After close, a write is refused as unavailable, not thrown at the caller's feet.
      await expect(store.create(makeSecret(), Q)).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    }));

  it('writer thread: when it cannot run, writes are refused as unavailable (no hang, no crash), and the next write starts a new one', () =>
    onSqliteFile({}, async (store, path) => {
      // The writer thread opens the file with its own connection; with the file gone it stops at once.
      renameSync(path, `${path}.away`);
      const a = makeSecret();
      await expect(store.create(a, Q)).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      renameSync(`${path}.away`, path);
      const b = makeSecret();
      expect(await store.create(b, Q)).toBe('created');
      expect(await store.peek(a.id, sha(a.auth), T0)).toBeNull();
      expect((await store.consume(b.id, sha(b.auth), null, T0)).ok).toBe(true);
    }));

  it('writer thread: stops after an idle spell and starts again with the next write; writes around its stop are neither lost nor refused', () =>
    onSqliteFile({ writerIdleMs: 25 }, async (store) => {
      const a = makeSecret();
      expect(await store.create(a, Q)).toBe('created');
      expect(store.writerRunning).toBe(true);
      await until(() => !store.writerRunning);
      // The next write starts a new writer; the one-time read holds across the change.
      expect((await store.consume(a.id, sha(a.auth), null, T0)).ok).toBe(true);
      expect((await store.consume(a.id, sha(a.auth), null, T0)).ok).toBe(false);

      // Creates spread over pauses around the idle limit, some in flight together: several land
      // after a stop (a new writer), some right as one stops.
      const made: ReturnType<typeof makeSecret>[] = [];
      const answers: Promise<string>[] = [];
      let afterStop = 0;
      for (let i = 0; i < 120; i++) {
        if (!store.writerRunning) afterStop++;
        const s = makeSecret();
        made.push(s);
        answers.push(store.create(s, Q));
        if (i % 3 === 2) await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 50)));
      }
      expect(await Promise.all(answers)).toEqual(made.map(() => 'created'));
      expect(afterStop).toBeGreaterThan(0);
      for (const s of made) expect((await store.consume(s.id, sha(s.auth), null, T0)).ok).toBe(true);
      expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
    }));

  it("purge: an idle store's purges leave the writer asleep; after any write the next cycle runs and truncates the WAL", () =>
    onSqliteFile({ writerIdleMs: 25 }, async (store, path) => {
      const walBytes = (): number => statSync(`${path}-wal`).size;
      // The first cycle after opening always runs (a WAL left by an earlier process is truncated).
      expect(await store.purge(T0, 1_000)).toEqual({ removed: 0, expired: 0 });
      expect(store.writerRunning).toBe(true);
      await until(() => !store.writerRunning);
      expect(await store.purge(T0, 1_000)).toEqual({ removed: 0, expired: 0 });
      expect(store.writerRunning).toBe(false);

      // A write puts pages in the WAL: the next purge runs, though nothing has expired.
      const a = makeSecret();
      await store.create(a, Q);
      await until(() => !store.writerRunning);
      expect(walBytes()).toBeGreaterThan(0);
      expect(await store.purge(T0, 1_000)).toEqual({ removed: 0, expired: 0 });
      expect(store.writerRunning).toBe(true);
      expect(walBytes()).toBe(0);
      await until(() => !store.writerRunning);
      expect(await store.purge(T0, 1_000)).toEqual({ removed: 0, expired: 0 });
      expect(store.writerRunning).toBe(false);

      // Something expired: the purge runs and removes it.
      expect(await store.purge(a.expiresAt, 1_000)).toEqual({ removed: 1, expired: 1 });
      expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
      // Closed (with nothing left to purge), a purge is refused as unavailable, not thrown.
      await store.close();
      await expect(store.purge(T0, 1_000)).rejects.toMatchObject({ name: 'StoreUnavailableError' });
    }));

  it('migration 4 (blobs last) keeps every secret, tombstone, request and counter of a version-3 file', async () => {
    const dir = tempDir();
    const path = join(dir, 'v3.db');
    try {
      // A file as Hush left it at schema version 3: the ciphertext the second column of a secret,
      // the response in the middle of a request.
      const { default: Database } = await import('better-sqlite3');
      const { SQLITE_MIGRATIONS } = await import('../src/store/sqlite-migrations.js');
      const old = new Database(path);
      old.pragma('journal_mode = WAL');
      for (const m of SQLITE_MIGRATIONS.slice(0, 3)) old.exec(m);
      old.pragma('user_version = 3');
      const live = makeSecret({ ciphertext: randomBytes(20_000), views: 2 });
      const read = makeSecret();
      for (const [s, state, ct] of [[live, 'pending', live.ciphertext], [read, 'consumed', null]] as const) {
        old
          .prepare(
            `INSERT INTO secrets (id, ciphertext, verifier, manage_hash, views, views_left, state, created_at, expires_at, consumed_at, size)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(s.id, ct, s.verifier, s.manageHash, s.views, ct === null ? 0 : s.views, state, T0, s.expiresAt, ct === null ? T0 : null, s.ciphertext.length);
      }
      const r = makeRequest();
      const response = randomBytes(9_000);
      const size = r.publicKey.length + Buffer.byteLength(r.note) + response.length;
      old
        .prepare(`INSERT INTO requests (id, public_key, note, token_hash, response, created_at, expires_at, answered_at, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(r.id, r.publicKey, r.note, r.tokenHash, response, T0, r.expiresAt, T0, size);
      old.close();

      const store = new SqliteStore(path);
      try {
        expect(await store.stats()).toEqual({ liveSecrets: 2, storedBytes: live.ciphertext.length + size });
        expect(await store.peek(live.id, sha(live.auth), T0)).toEqual({ expiresAt: live.expiresAt, viewsLeft: 2, passphrase: null, notBefore: null });
        expect(await store.status(read.id, sha(read.manage), T0)).toEqual({ state: 'consumed', viewsLeft: 0, expiresAt: read.expiresAt, consumedAt: T0 });
        expect(await store.getRequest(r.id, T0)).toMatchObject({ note: r.note, state: 'answered' });
        const first = await store.consume(live.id, sha(live.auth), null, T0);
        expect(first.ok && Buffer.from(first.ciphertext).equals(live.ciphertext)).toBe(true);
        expect(await store.consume(live.id, sha(live.auth), null, T0)).toMatchObject({ ok: true, viewsLeft: 0 });
        expect(Buffer.from((await store.pickupRequest(r.id, sha(r.token), T0))!.ciphertext)).toEqual(response);
        // The counters' triggers were made again: the last read and the pickup gave their room back.
        expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
        const columns = (table: string): string[] => {
          const db = new Database(path, { readonly: true });
          try {
            return db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => c.name);
          } finally {
            db.close();
          }
        };
        expect(columns('secrets').at(-1)).toBe('ciphertext');
        expect(columns('requests').slice(0, 2)).toEqual(['id', 'token_hash']);
        expect(columns('requests').at(-1)).toBe('response');
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('close() does not wait out the writer thread’s one-second limit for its checkpointer', () =>
    onSqliteFile({}, async (store) => {
      await store.create(makeSecret(), Q); // starts the writer thread and its checkpointer
      const t0 = Date.now();
      await store.close();
      // A timer left pending in the writer kept it alive for a full second (1 006 – 1 020 ms
      // measured); closing takes some tens of ms.
      expect(Date.now() - t0).toBeLessThan(950);
    }));

  it('refuses a database made by a newer schema', async () => {
    const dir = tempDir();
    const path = join(dir, 'new.db');
    const s = new SqliteStore(path);
    await s.close();
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => new SqliteStore(path)).toThrow(/newer than this Hush knows/);
    rmSync(dir, { recursive: true, force: true });
  });
  describe('evidence', () => {
    /** Every row of the evidence tables, as their column values. */
    const evidenceRows = async (path: string): Promise<{ evidence: unknown[][]; events: unknown[][] }> => {
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(path, { readonly: true });
      try {
        return {
          evidence: db.prepare('SELECT * FROM evidence').raw().all() as unknown[][],
          events: db.prepare('SELECT * FROM events').raw().all() as unknown[][],
        };
      } finally {
        db.close();
      }
    };

    it('without evidence the tables stay as the migration left them: the stand-in record only', () =>
      onSqliteFile({}, async (store, path) => {
        const proof = randomBytes(32);
        const read = makeSecret({ views: 2 });
        const burned = makeSecret({ passphrase: { salt: 'c2FsdHNhbHRzYWx0c2FsdA', iterations: 600_000, verifier: sha(proof), attempts: 1 } });
        const revoked = makeSecret();
        for (const s of [read, burned, revoked]) {
          await store.create(s, Q);
          await store.peek(s.id, sha(s.auth), T0);
        }
        await store.consume(read.id, sha(read.auth), null, T0);
        await store.consume(burned.id, sha(burned.auth), null, T0);
        await store.revoke(revoked.id, sha(revoked.manage), T0);
        // Given evidence, a secret created without it still gets nothing.
        await store.consume(read.id, sha(read.auth), null, T0, evidence());
        await store.touch(read.id, T0, evidence());
        await store.purge(T0 + 2 * HOUR, 1_000);
        const rows = await evidenceRows(path);
        expect(rows.events).toEqual([]);
        expect(rows.evidence).toHaveLength(1);
        expect(Buffer.from(rows.evidence[0]![0] as Buffer)).toEqual(Buffer.alloc(32));
      }));

    it('at rest: the evidence tables hold no id, as text or as its bytes, and once the secret rows are purged neither does the file', () =>
      onSqliteFile({}, async (store, path) => {
        const proof = randomBytes(32);
        const made = Array.from({ length: 12 }, (_, i) =>
          makeSecret(i % 3 === 2 ? { passphrase: { salt: 'c2FsdHNhbHRzYWx0c2FsdA', iterations: 600_000, verifier: sha(proof), attempts: 1 } } : { views: 2 }),
        );
        for (const [i, s] of made.entries()) {
          await store.create(s, Q, evidence('api'));
          await store.touch(s.id, T0 + 1, evidence('link-preview'));
          await store.peek(s.id, sha(s.auth), T0 + 2, evidence());
          if (i % 3 === 0) await store.consume(s.id, sha(s.auth), null, T0 + 3, evidence('cli'));
          if (i % 3 === 1) await store.revoke(s.id, sha(s.manage), T0 + 3, evidence());
          if (i % 3 === 2) await store.consume(s.id, sha(s.auth), null, T0 + 3, evidence()); // burns it
        }
        const forms = (s: { id: string }): Buffer[] => [Buffer.from(s.id), Buffer.from(s.id, 'base64url')];
        const rows = await evidenceRows(path);
        expect(rows.evidence).toHaveLength(made.length + 1);
        // Three events each after 'created' (which is the record's own), a burn four.
        expect(rows.events).toHaveLength(made.length * 3 + made.length / 3);
        const values = [...rows.evidence, ...rows.events].flat().map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v))));
        for (const s of made) for (const f of forms(s)) expect(values.some((v) => v.includes(f))).toBe(false);
        const onDisk = (): Buffer[] => [path, `${path}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
        // The search finds an id where there is one: in the secrets' rows, before the purge.
        store.checkpoint();
        for (const s of made) expect(onDisk().some((bytes) => bytes.includes(Buffer.from(s.id)))).toBe(true);
        // The secrets' rows (tombstones, and the ones with a view left) go at their expiry; the
        // evidence stays, and the database file and its WAL no longer hold any of the ids.
        expect(await store.purge(T0 + HOUR, 1_000)).toEqual({ removed: made.length, expired: 4 });
        store.checkpoint();
        const files = onDisk();
        for (const s of made) {
          for (const f of forms(s)) expect(files.some((bytes) => bytes.includes(f))).toBe(false);
          expect((await store.history(s.id, sha(s.manage), T0 + HOUR))?.events.length).toBeGreaterThanOrEqual(4);
        }
      }));

    it('purge: a record due (past its retention, or pending past its expiry) makes the purge run though nothing else is due', () =>
      onSqliteFile({ writerIdleMs: 25 }, async (store) => {
        const s = makeSecret({ expiresAt: T0 + 10 * HOUR });
        await store.create(s, Q, evidence('browser', 1_000));
        expect((await store.consume(s.id, sha(s.auth), null, T0, evidence('browser', 1_000))).ok).toBe(true);
        const pending = makeSecret({ expiresAt: T0 + HOUR });
        await store.create(pending, Q, evidence('browser', 20 * HOUR));
        // A cycle truncates the WAL; then, with no write since, only what is due makes a purge run.
        expect(await store.purge(T0, 1_000)).toEqual({ removed: 0, expired: 0 });
        await until(() => !store.writerRunning);
        expect(await store.purge(T0 + 999, 1_000)).toEqual({ removed: 0, expired: 0 });
        expect(store.writerRunning).toBe(false);
        expect(await store.purge(T0 + 1_000, 1_000)).toEqual({ removed: 1, expired: 0 });
        expect(await store.history(s.id, sha(s.manage), T0)).toBeNull();
        await until(() => !store.writerRunning);
        // `pending` expires at T0 + 1 h: its secret row and its mark make that purge run.
        expect(await store.purge(T0 + HOUR, 1_000)).toEqual({ removed: 1, expired: 1 });
        expect((await store.history(pending.id, sha(pending.manage), T0 + HOUR))?.events.map((e) => e.type)).toEqual(['created', 'expired']);
      }));

    it('migration 6 (evidence) keeps a version-5 file as it was: its secrets have no record, new ones get one', async () => {
      const dir = tempDir();
      const path = join(dir, 'v5.db');
      try {
        const { default: Database } = await import('better-sqlite3');
        const { SQLITE_MIGRATIONS } = await import('../src/store/sqlite-migrations.js');
        const old = new Database(path);
        old.pragma('journal_mode = WAL');
        for (const m of SQLITE_MIGRATIONS.slice(0, 5)) old.exec(m);
        old.pragma('user_version = 5');
        // A secret as Hush left it at schema version 5 (the counters' trigger counts it).
        const before = makeSecret();
        old
          .prepare(
            `INSERT INTO secrets (id, verifier, manage_hash, views, views_left, state, created_at, expires_at, size, ciphertext)
             VALUES (?, ?, ?, 1, 1, 'pending', ?, ?, ?, ?)`,
          )
          .run(before.id, before.verifier, before.manageHash, T0, before.expiresAt, before.ciphertext.length, before.ciphertext);
        old.close();
        const store = new SqliteStore(path);
        try {
          expect(await store.stats()).toEqual({ liveSecrets: 1, storedBytes: before.ciphertext.length });
          // Evidence given now finds no record for it, and makes none.
          await store.touch(before.id, T0, evidence());
          expect((await store.consume(before.id, sha(before.auth), null, T0, evidence())).ok).toBe(true);
          expect(await store.history(before.id, sha(before.manage), T0)).toBeNull();
          const after = makeSecret();
          await store.create(after, Q, evidence());
          expect((await store.history(after.id, sha(after.manage), T0))?.events).toEqual([{ type: 'created', at: T0, client: 'browser' }]);
        } finally {
          await store.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
