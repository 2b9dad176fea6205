// What the server opens (src/store/index.ts, openServerStore): the store, and what it may share
// with it. Only a Redis store lends the rate limiter its connection, under a key namespace of its
// own; the connection stays the store's, so closing the store closes it.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openServerStore, openStore } from '../src/store/index.js';
import { tempDir } from './helpers/server.js';
import { deleteRedisPrefix, detectPostgres, detectRedis, dropSchemas, requireService, runTag } from './helpers/services.js';

const run = runTag();
const dir = tempDir('hush-open-');
const pgUrl = requireService(await detectPostgres(), 'openServerStore: postgres');
const redisUrl = requireService(await detectRedis(), 'openServerStore: redis');
const schema = `hush_open_${run}`;
const prefix = `hush-open-${run}:`;

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (pgUrl !== null) await dropSchemas(pgUrl, [schema]);
  if (redisUrl !== null) await deleteRedisPrefix(redisUrl, prefix);
});

describe('openServerStore', () => {
  it('a SQLite store lends nothing to the rate limiter', async () => {
    const opened = await openServerStore(`sqlite:${join(dir, 'hush.db')}`);
    expect(opened.rateLimitRedis).toBeUndefined();
    await opened.store.close();
  });

  it.skipIf(pgUrl === null)('a PostgreSQL store lends nothing to the rate limiter', async () => {
    const opened = await openServerStore(`${pgUrl!}?schema=${schema}`);
    expect(opened.rateLimitRedis).toBeUndefined();
    await opened.store.close();
  });

  it.skipIf(redisUrl === null)('a Redis store lends its own client under its prefix and rl:, and closing the store closes it', async () => {
    const { store, rateLimitRedis } = await openServerStore(`${redisUrl!}?prefix=${prefix}`);
    expect(rateLimitRedis?.nameSpace).toBe(`${prefix}rl:`);
    const client = rateLimitRedis!.client;
    expect(await client.ping()).toBe('PONG');
    await store.close();
    await vi.waitFor(() => expect(client.status).toBe('end'));
  });

  it('openStore gives the store alone, for callers that share nothing with it', async () => {
    const store = await openStore(`sqlite:${join(dir, 'alone.db')}`);
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
  });
});
