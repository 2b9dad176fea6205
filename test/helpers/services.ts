// Finds the PostgreSQL and Redis the multi-store suites run against. CI provides PostgreSQL on
// 127.0.0.1:5432 (trust auth, database `test`) and Redis on 127.0.0.1:6379; override with
// HUSH_TEST_POSTGRES / HUSH_TEST_REDIS. With CI=true a missing service (or server binary) is a
// failure; elsewhere the suites that need it are skipped, saying why.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { Redis } from 'ioredis';

export const POSTGRES_URL = process.env.HUSH_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.HUSH_TEST_REDIS ?? 'redis://127.0.0.1:6379/0';

/** True when running in CI: then every service is mandatory. */
export const MANDATORY = ['true', '1'].includes((process.env.CI ?? '').toLowerCase());

export type Detected = { ok: true; url: string } | { ok: false; reason: string };

/** A random tag for names made by this run (schemas, databases, key prefixes). */
export const runTag = (): string => `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;

export async function detectPostgres(url = POSTGRES_URL): Promise<Detected> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000, query_timeout: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true, url };
  } catch (err) {
    return { ok: false, reason: `PostgreSQL at ${redact(url)} does not answer (${(err as Error).message})` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function detectRedis(url = REDIS_URL): Promise<Detected> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let cause: Error | undefined;
  client.on('error', (e: Error) => (cause = e));
  try {
    await client.connect();
    await client.ping();
    return { ok: true, url };
  } catch (err) {
    return { ok: false, reason: `Redis at ${redact(url)} does not answer (${(cause ?? (err as Error)).message})` };
  } finally {
    client.disconnect();
  }
}

const redact = (url: string): string => url.replace(/\/\/[^@/]*@/, '//…@');

/**
 * The service URL, or null after printing why the suite is skipped. Under CI it throws instead,
 * so the test file fails.
 */
export function requireService(d: Detected, suite: string): string | null {
  if (d.ok) return d.url;
  if (MANDATORY) throw new Error(`${suite}: ${d.reason} — mandatory with CI=true`);
  console.warn(`[skip] ${suite}: ${d.reason} (set CI=true to make this a failure)`);
  return null;
}

/** Executables of a PostgreSQL installation (initdb, pg_ctl) and redis-server, for fault tests. */
export function serverBinaries(): { ok: true; pgBin: string; redisServer: string } | { ok: false; reason: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(`${root}/${v}/bin/initdb`)).sort((a, b) => Number(b) - Number(a)) : [];
  const pgBin = process.env.HUSH_TEST_PG_BIN ?? (versions[0] === undefined ? undefined : `${root}/${versions[0]}/bin`);
  if (pgBin === undefined || !existsSync(`${pgBin}/initdb`)) return { ok: false, reason: 'no PostgreSQL server binaries (initdb, pg_ctl) found; set HUSH_TEST_PG_BIN' };
  let redisServer: string;
  try {
    redisServer = execFileSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).trim();
  } catch {
    return { ok: false, reason: 'redis-server is not on PATH' };
  }
  if (redisServer === '') return { ok: false, reason: 'redis-server is not on PATH' };
  return { ok: true, pgBin, redisServer };
}

/** Creates a fresh database `hush_test_<random>` next to the one `baseUrl` names; drop() removes it. */
export async function freshDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hush_test_${runTag()}`;
  const admin = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 2000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 2000 });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Drops schemas by name (contract-suite stores live in one schema each). */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await c.connect();
  try {
    for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await c.end();
  }
}

/** Deletes every key that starts with `prefix` (a fresh prefix per run keeps runs apart). */
export async function deleteRedisPrefix(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
