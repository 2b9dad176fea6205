import { SqliteStore } from './sqlite.js';
import type { RateLimitRedis } from './redis-client.js';
import type { Store } from './types.js';

export type { Store } from './types.js';
export type { RateLimitRedis } from './redis-client.js';

export type StoreSpec =
  | { kind: 'sqlite'; path: string }
  /** `url` without Hush's own `schema` parameter. */
  | { kind: 'postgres'; url: string; schema: string }
  /** `url` without Hush's own `prefix` parameter. */
  | { kind: 'redis'; url: string; prefix: string };

const USE = 'use sqlite:PATH, postgres://USER@HOST/DB or redis://HOST:PORT/DB';

/** Parses a URL without ever echoing it (it may hold a password). */
function parseUrl(url: string, kind: string): URL {
  try {
    return new URL(url);
  } catch {
    throw new Error(`HUSH_STORE ${kind}: is not a valid URL`);
  }
}

/** Removes Hush's own query parameter `name` from `u`, returning its value (or null). */
function takeParam(u: URL, name: string): string | null {
  const value = u.searchParams.get(name);
  u.searchParams.delete(name);
  return value;
}

/**
 * Parses `HUSH_STORE` into a description, without opening anything:
 * - `sqlite:PATH`
 * - `postgres://USER:PASSWORD@HOST:PORT/DB?sslmode=…&schema=NAME` (also `postgresql://`); `schema`
 *   (default `public`) is Hush's own, the rest goes to node-postgres.
 * - `redis://[:PASSWORD@]HOST:PORT/DB?prefix=hush:` (also `rediss://` for TLS); `prefix` (default
 *   `hush:`) is prepended to every key, so several deployments can share one Redis.
 */
export function parseStoreUrl(url: string): StoreSpec {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new Error('HUSH_STORE sqlite: needs a path, e.g. sqlite:./data/hush.db');
    return { kind: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const u = parseUrl(url, 'postgres');
    if (u.hostname === '' && !u.searchParams.has('host')) throw new Error('HUSH_STORE postgres: needs a host, e.g. postgres://hush@127.0.0.1:5432/hush');
    const schema = takeParam(u, 'schema') ?? 'public';
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error('HUSH_STORE postgres: schema must be a lowercase name (a-z, 0-9, _)');
    return { kind: 'postgres', url: u.toString(), schema };
  }
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const u = parseUrl(url, 'redis');
    if (u.hostname === '') throw new Error('HUSH_STORE redis: needs a host, e.g. redis://127.0.0.1:6379/0');
    if (u.pathname !== '' && u.pathname !== '/' && !/^\/[0-9]{1,2}$/.test(u.pathname)) {
      throw new Error('HUSH_STORE redis: the path must be a database number, e.g. redis://127.0.0.1:6379/0');
    }
    const prefix = takeParam(u, 'prefix') ?? 'hush:';
    if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(prefix)) throw new Error('HUSH_STORE redis: prefix must be 1-64 of A-Z a-z 0-9 : _ . -');
    return { kind: 'redis', url: u.toString(), prefix };
  }
  throw new Error(`unsupported store "${url.split(':')[0] ?? url}": ${USE}`);
}

/**
 * What the server opens: the store, and what it may share with it.
 *
 * The Redis connection the rate limiter borrows is handed out here, beside the store, rather
 * than as a member of the Store interface: that interface is the atomicity contract every adapter
 * passes in one suite, and a connection to lend is no part of it — only one adapter has one, and
 * every holder of a Store (routes, metrics, the admin listener) would be given a way into the
 * limiter's keys. This factory is the one place that knows which driver it opened, so it names
 * the one thing the server may share, typed, and only serve.ts takes it.
 */
export interface ServerStore {
  readonly store: Store;
  /**
   * Only when the store is Redis: its client and a key namespace of their own for the rate
   * limiter, so that limits hold across every instance sharing that Redis. The client stays the
   * store's: `store.close()` quits it, so the limiter must be done first.
   */
  readonly rateLimitRedis?: RateLimitRedis;
}

/**
 * Opens the store a `HUSH_STORE` value (parsed, or as text) names. PostgreSQL and Redis connect
 * here (and PostgreSQL applies its migrations); a database that does not answer rejects with
 * StoreUnavailableError. The drivers are loaded only when used.
 */
export async function openServerStore(store: StoreSpec | string): Promise<ServerStore> {
  // The server passes the spec its configuration parsed; tests and the bench may pass the text.
  const spec = typeof store === 'string' ? parseStoreUrl(store) : store;
  switch (spec.kind) {
    case 'sqlite':
      return { store: new SqliteStore(spec.path) };
    case 'postgres': {
      const { PostgresStore } = await import('./postgres.js');
      return { store: await PostgresStore.open(spec.url, { schema: spec.schema }) };
    }
    case 'redis': {
      const { RedisStore } = await import('./redis.js');
      const redis = await RedisStore.open(spec.url, { prefix: spec.prefix });
      return { store: redis, rateLimitRedis: redis.rateLimitRedis() };
    }
  }
}

/** The store alone, for every caller that shares nothing with it (tools, the bench, tests). */
export async function openStore(store: StoreSpec | string): Promise<Store> {
  return (await openServerStore(store)).store;
}
