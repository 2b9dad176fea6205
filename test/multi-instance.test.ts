// Several stateless instances on one shared store: two real server processes (the built
// `node dist/server/main.js`) on one PostgreSQL and on one Redis. A secret made on one is read on
// the other; 400 concurrent consumes spread over both give exactly one winner; with Redis, rate
// limits and quotas hold across instances. Needs `npm run build` first.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sealSecret } from '../src/protocol/index.js';
import { PostgresStore } from '../src/store/postgres.js';
import { migrate, POSTGRES_MIGRATIONS } from '../src/store/postgres-migrations.js';
import { makeSecret, post, type Raw } from './helpers/api.js';
import { startProcess, type ServerProcess } from './helpers/process.js';
import { deleteRedisPrefix, detectPostgres, detectRedis, freshDatabase, requireService, runTag } from './helpers/services.js';
import { HOUR, makeSecret as storedSecret, sha } from './helpers/store.js';

if (!existsSync('dist/server/main.js')) throw new Error('dist/server/main.js is missing: run `npm run build` first');

const pgUrl = requireService(await detectPostgres(), 'multi-instance on PostgreSQL');
const redisUrl = requireService(await detectRedis(), 'multi-instance on Redis');

const running: ServerProcess[] = [];
async function start(env: Record<string, string>): Promise<ServerProcess> {
  const p = await startProcess(env);
  running.push(p);
  return p;
}
async function stopAll(): Promise<void> {
  const all = running.splice(0);
  for (const p of all) p.child.kill('SIGTERM');
  await Promise.all(all.map((p) => p.exited));
}

const consume = (base: string, id: string, auth: string): Promise<Raw> => post(`${base}/api/v1/secrets/${id}/consume`, { auth });

/** Checks reads across instances, then 400 concurrent consumes spread over both. */
function sharedStoreCases(servers: () => [ServerProcess, ServerProcess]): void {
  it('a secret created on one instance is read on the other, once', async () => {
    const [a, b] = servers();
    const m = await makeSecret(a.url);
    const peek = await post(`${b.url}/api/v1/secrets/${m.id}/peek`, { auth: m.auth });
    expect(peek.status).toBe(200);
    const read = await consume(b.url, m.id, m.auth);
    expect(read.status).toBe(200);
    expect((read.json as { ciphertext: string }).ciphertext).toBe(m.ciphertext);
    expect((await consume(a.url, m.id, m.auth)).status).toBe(404);
    expect((await consume(b.url, m.id, m.auth)).status).toBe(404);
    // The sender's status, asked on the first instance, sees the read made on the second.
    const status = await fetch(`${a.url}/api/v1/secrets/${m.id}/status`, { headers: { authorization: `Bearer ${m.manageToken}` } });
    expect(((await status.json()) as { state: string }).state).toBe('consumed');
  });

  it('400 concurrent consumes spread over both instances: exactly one wins', async () => {
    const [a, b] = servers();
    for (const views of [1, 3]) {
      const m = await makeSecret(b.url, { views });
      const results = await Promise.all(Array.from({ length: 400 }, (_, i) => consume(i % 2 === 0 ? a.url : b.url, m.id, m.auth)));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(views);
      expect(statuses.filter((s) => s !== 200 && s !== 404)).toEqual([]);
      for (const r of results.filter((x) => x.status === 200)) expect((r.json as { ciphertext: string }).ciphertext).toBe(m.ciphertext);
    }
  });
}

describe.skipIf(pgUrl === null)('several instances on one PostgreSQL', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let servers: [ServerProcess, ServerProcess];
  beforeAll(async () => {
    db = await freshDatabase(pgUrl!);
    // Both start at once on an empty database: the migrations take turns under the advisory lock.
    const [a, b] = await Promise.all([start({ HUSH_STORE: db.url }), start({ HUSH_STORE: db.url })]);
    servers = [a, b];
  });
  afterAll(async () => {
    await stopAll();
    await db.drop();
  });

  sharedStoreCases(() => servers);

  it('migrations are applied once when many instances start at the same moment', async () => {
    const schema = `hush_race_${runTag()}`;
    const stores = await Promise.all(Array.from({ length: 8 }, () => PostgresStore.open(db.url, { schema })));
    await Promise.all(stores.map((s) => s.close()));
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      const r = await c.query<{ version: number }>(`SELECT version FROM "${schema}".hush_schema_migrations ORDER BY version`);
      const all = POSTGRES_MIGRATIONS.map((_, i) => i + 1);
      expect(r.rows.map((x) => x.version)).toEqual(all);
      const base = await c.query<{ version: number }>('SELECT version FROM public.hush_schema_migrations ORDER BY version');
      expect(base.rows.map((x) => x.version)).toEqual(all);
    } finally {
      await c.end();
    }
  });

  it('a database from before the striped counters keeps its counts through the upgrade', async () => {
    const schema = `hush_upgrade_${runTag()}`;
    const old = storedSecret({ createdAt: Date.now(), expiresAt: Date.now() + HOUR });
    const c = new pg.Client({ connectionString: db.url, options: `-c search_path=${schema}` });
    await c.connect();
    try {
      // Schema version 2, as an older Hush left it: one stored secret, counted in the one row.
      await migrate({ connectionString: db.url, options: `-c search_path=${schema}` }, schema, 2);
      await c.query(
        `INSERT INTO hush_secrets (id, ciphertext, verifier, manage_hash, views, views_left, state, created_at, expires_at, size)
         VALUES ($1, $2, $3, $4, 1, 1, 'pending', $5, $6, 100)`,
        [old.id, old.ciphertext, old.verifier, old.manageHash, old.createdAt, old.expiresAt],
      );
      await c.query('UPDATE hush_stats SET live = 1, bytes = 100 WHERE id = 1');
      const store = await PostgresStore.open(db.url, { schema });
      try {
        expect(await store.stats()).toEqual({ liveSecrets: 1, storedBytes: 100 });
        expect((await c.query('SELECT id FROM hush_stats')).rowCount).toBe(32);
        expect(await store.create(storedSecret({ createdAt: Date.now(), expiresAt: Date.now() + HOUR }), { maxSecrets: 1, maxBytes: 1e9 })).toBe('quota_exceeded');
        expect((await store.consume(old.id, sha(old.auth), null, Date.now())).ok).toBe(true);
        expect(await store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
      } finally {
        await store.close();
      }
    } finally {
      await c.query(`DROP SCHEMA "${schema}" CASCADE`);
      await c.end();
    }
  });
});

describe.skipIf(redisUrl === null)('several instances on one Redis', () => {
  const prefix = `hush-test-${runTag()}-`;
  const storeUrl = (name: string): string => `${redisUrl!}?prefix=${prefix}${name}:`;
  let servers: [ServerProcess, ServerProcess];
  beforeAll(async () => {
    const [a, b] = await Promise.all([start({ HUSH_STORE: storeUrl('shared') }), start({ HUSH_STORE: storeUrl('shared') })]);
    servers = [a, b];
  });
  afterAll(async () => {
    await stopAll();
    await deleteRedisPrefix(redisUrl!, prefix);
  });

  sharedStoreCases(() => servers);

  it('shares the rate limits: creates from one client spread over both instances are limited in total', async () => {
    const env = { HUSH_STORE: storeUrl('limits'), HUSH_RATE_LIMIT: 'on', HUSH_RATE_CREATE: '3/min' };
    const [a, b] = await Promise.all([start(env), start(env)]);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const sealed = await sealSecret({ message: `limited ${String(i)}` });
      statuses.push((await post(`${(i % 2 === 0 ? a : b).url}/api/v1/secrets`, sealed.body)).status);
    }
    // Each instance alone would allow 3 (6 in all); shared, the client gets 3.
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429, 429, 429]);
  });

  it('shares the quota: live secrets count across instances', async () => {
    const env = { HUSH_STORE: storeUrl('quota'), HUSH_MAX_SECRETS: '2' };
    const [a, b] = await Promise.all([start(env), start(env)]);
    const first = await makeSecret(a.url);
    await makeSecret(b.url);
    const refused = await post(`${a.url}/api/v1/secrets`, (await sealSecret({ message: 'third' })).body);
    expect(refused.status).toBe(503);
    expect((refused.json as { error: { code: string } }).error.code).toBe('quota_exceeded');
    expect((await post(`${b.url}/api/v1/secrets`, (await sealSecret({ message: 'third' })).body)).status).toBe(503);
    // Reading one on the other instance gives its room back, everywhere.
    expect((await consume(b.url, first.id, first.auth)).status).toBe(200);
    expect((await post(`${a.url}/api/v1/secrets`, (await sealSecret({ message: 'fits again' })).body)).status).toBe(201);
  });
});
