// Webhooks from the durable outbox, with real server processes (`node dist/server/main.js`) and a
// real receiver counting deliveries by x-hush-event-id: 50 reads while the receiver answers 503,
// kill -9, receiver up, restart — all 50 arrive (SQLite). On one PostgreSQL and on one Redis with
// two instances: in the normal case each event arrives exactly once; with one instance killed
// (kill -9) while deliveries are pending, the other delivers all 50. Needs `npm run build` first.
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite.js';
import { PostgresStore } from '../src/store/postgres.js';
import { RedisStore } from '../src/store/redis.js';
import type { Store } from '../src/store/types.js';
import { makeSecret, post, type Made } from './helpers/api.js';
import { startProcess, type ServerProcess } from './helpers/process.js';
import { tempDir } from './helpers/server.js';
import { deleteRedisPrefix, detectPostgres, detectRedis, dropSchemas, requireService, runTag } from './helpers/services.js';

if (!existsSync('dist/server/main.js')) throw new Error('dist/server/main.js is missing: run `npm run build` first');

const pgUrl = requireService(await detectPostgres(), 'durable webhooks on PostgreSQL');
const redisUrl = requireService(await detectRedis(), 'durable webhooks on Redis');
const SECRET = 'durable-webhook-secret-0123456789abcdef';
const N = 50;

/** A receiver that answers 503 while `up` is false, and counts every accepted event by its id. */
const rx = {
  up: false,
  refused: 0,
  /** event id → times accepted */
  counts: new Map<string, number>(),
  /** event id → the body's secret id and type */
  events: new Map<string, { id: string; type: string }>(),
  url: '',
  reset(up: boolean): void {
    this.up = up;
    this.refused = 0;
    this.counts.clear();
    this.events.clear();
  },
};
const receiver = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (d: string) => (body += d));
  request.on('end', () => {
    if (!rx.up) {
      rx.refused++;
      response.writeHead(503).end();
      return;
    }
    const eventId = String(request.headers['x-hush-event-id']);
    rx.counts.set(eventId, (rx.counts.get(eventId) ?? 0) + 1);
    const event = JSON.parse(body) as { id: string; type: string };
    rx.events.set(eventId, { id: event.id, type: event.type });
    response.writeHead(204).end();
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  rx.url = `http://127.0.0.1:${String((receiver.address() as { port: number }).port)}/hook`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
});

/** Every process started, so that none outlives a failed test. */
const running: ServerProcess[] = [];
async function start(store: string): Promise<ServerProcess> {
  const p = await startProcess({ HUSH_STORE: store, HUSH_WEBHOOKS: rx.url, HUSH_WEBHOOK_SECRET: SECRET });
  running.push(p);
  return p;
}
afterEach(async () => {
  const left = running.splice(0);
  for (const p of left) p.child.kill('SIGKILL');
  await Promise.all(left.map((p) => p.exited));
});
async function stop(p: ServerProcess, signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
  p.child.kill(signal);
  await p.exited;
}
async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Makes N secrets and reads each once, spread over `servers`; returns their ids. */
async function readAll(servers: readonly ServerProcess[]): Promise<string[]> {
  const made: Made[] = [];
  for (let i = 0; i < N; i++) made.push(await makeSecret(servers[i % servers.length]!.url));
  await Promise.all(made.map(async (m, i) => expect((await post(`${servers[(i + 1) % servers.length]!.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth })).status).toBe(200)));
  return made.map((m) => m.id);
}

/** What the receiver got: every read once at least, all distinct; duplicates counted. */
function checkReceived(ids: readonly string[]): { duplicates: number } {
  expect(rx.counts.size).toBe(N);
  expect([...rx.events.values()].map((e) => e.id).sort()).toEqual([...ids].sort());
  expect([...rx.events.values()].every((e) => e.type === 'secret.read')).toBe(true);
  return { duplicates: [...rx.counts.values()].reduce((n, c) => n + c - 1, 0) };
}

/** 50 reads while the receiver refuses, kill -9 of `victim`, receiver up: all 50 arrive through `then`. */
async function killWhilePending(open: () => Promise<Store>, first: ServerProcess[], victim: ServerProcess, then: () => Promise<ServerProcess[]>): Promise<void> {
  rx.reset(false);
  const ids = await readAll(first);
  await until(() => rx.refused >= N, 20_000, 'refused attempts');
  await stop(victim, 'SIGKILL');
  const store = await open();
  try {
    expect((await store.outboxStats()).pending).toBe(N);
  } finally {
    await store.close();
  }
  rx.up = true;
  const t0 = Date.now();
  const servers = await then();
  await until(() => rx.counts.size === N, 60_000, 'all 50 deliveries');
  const drainMs = Date.now() - t0;
  await new Promise((r) => setTimeout(r, 500));
  const { duplicates } = checkReceived(ids);
  console.info(`[durable webhooks] delivered ${String(rx.counts.size)} distinct, ${String(duplicates)} duplicate(s), drained in ${String(drainMs)} ms`);
  for (const s of servers) await stop(s, 'SIGTERM');
  const after = await open();
  try {
    expect(await after.outboxStats()).toEqual({ pending: 0, dead: 0 });
  } finally {
    await after.close();
  }
}

describe('durable webhooks', () => {
  it('SQLite: kill -9 with 50 pending deliveries, restart on the same file: all 50 arrive', async () => {
    const dir = tempDir();
    const file = join(dir, 'hush.db');
    try {
      const a = await start(`sqlite:${file}`);
      await killWhilePending(() => Promise.resolve(new SqliteStore(file)), [a], a, async () => [await start(`sqlite:${file}`)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  for (const kind of ['PostgreSQL', 'Redis'] as const) {
    const url = kind === 'PostgreSQL' ? pgUrl : redisUrl;
    it.skipIf(url === null)(`${kind}: two instances deliver each event exactly once, and all 50 after one is killed`, async () => {
      const tag = runTag();
      const schema = `durable_${tag}`;
      const prefix = `durable-${tag}:`;
      const store = kind === 'PostgreSQL' ? `${url!}${url!.includes('?') ? '&' : '?'}schema=${schema}` : `${url!}?prefix=${prefix}`;
      const open = (): Promise<Store> => (kind === 'PostgreSQL' ? PostgresStore.open(url!, { schema }) : RedisStore.open(url!, { prefix }));
      try {
        // The normal case: both alive, the receiver up.
        rx.reset(true);
        const [a, b] = [await start(store), await start(store)];
        const ids = await readAll([a, b]);
        await until(() => rx.counts.size === N, 30_000, 'all 50 deliveries');
        await new Promise((r) => setTimeout(r, 1500));
        expect(checkReceived(ids).duplicates).toBe(0);
        // kill -9 of one while its deliveries are pending: the other delivers them all.
        await killWhilePending(open, [a, b], a, () => Promise.resolve([b]));
      } finally {
        if (kind === 'PostgreSQL') await dropSchemas(url!, [schema]);
        else await deleteRedisPrefix(url!, prefix);
      }
    }, 150_000);
  }
});
