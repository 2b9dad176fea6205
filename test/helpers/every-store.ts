// One suite over a real server process on each of the three stores, for the end-to-end suites
// (test/evidence.test.ts, test/audit.test.ts): a SQLite file of its own, a fresh PostgreSQL
// database, a Redis key prefix of its own — each removed afterwards. A missing service skips its
// store (with CI=true it fails, see services.ts).
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from './server.js';
import { deleteRedisPrefix, detectPostgres, detectRedis, freshDatabase, requireService, runTag } from './services.js';

/** Calls `suite` once per store with its name and the HUSH_STORE environment to start a server with. */
export async function forEveryStore(what: string, suite: (name: string, env: () => Record<string, string>) => void): Promise<void> {
  const pgUrl = requireService(await detectPostgres(), `${what} on PostgreSQL`);
  const redisUrl = requireService(await detectRedis(), `${what} on Redis`);
  const sqliteDir = tempDir();
  suite('SQLite', () => ({ HUSH_STORE: `sqlite:${join(sqliteDir, 'hush.db')}` }));
  if (pgUrl) {
    let db: Awaited<ReturnType<typeof freshDatabase>> | undefined;
    beforeAll(async () => {
      db = await freshDatabase(pgUrl);
    });
    afterAll(async () => {
      await db?.drop();
    });
    suite('PostgreSQL', () => ({ HUSH_STORE: db!.url }));
  }
  if (redisUrl) {
    const prefix = `hush-${runTag()}:`;
    afterAll(async () => {
      await deleteRedisPrefix(redisUrl, prefix);
    });
    suite('Redis', () => ({ HUSH_STORE: `${redisUrl}?prefix=${encodeURIComponent(prefix)}` }));
  }
}
