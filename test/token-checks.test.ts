// A wrong token on an existing id must cost what a missing id costs, whatever the secret's size:
// the check reads the stored hash (or a dummy) and a few small fields, never the ciphertext or a
// request's response. Before, SQLite read the whole blob (and walked its overflow pages to reach
// the columns stored after it) and Redis's pickup fetched the whole response, so answers to a
// wrong token on a 1 MiB secret came 0.4 – 1.4 ms later than to a random id (bench/timing.mjs
// measures that over HTTP; it is not part of the tests, timings being noisy). These tests are
// deterministic instead: they make reading the blob fail — SQLite's overflow pages overwritten
// with garbage, a Redis script whose reads of the blob fields raise — and check that every wrong
// token is still answered normally, while a right one, which must read the blob, does fail.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';
import { RedisStore } from '../src/store/redis.js';
import { CONSUME, REVOKE } from '../src/store/redis-scripts.js';
import { CANCEL_REQUEST, PICKUP_REQUEST } from '../src/store/redis-request-scripts.js';
import { Q, T0, makeRequest, makeSecret, sha } from './helpers/store.js';
import { deleteRedisPrefix, detectRedis, requireService, runTag } from './helpers/services.js';

const BIG = 256 * 1024;

/** A request (its token included) and the large response it is to be answered with. */
const bigRequest = (): ReturnType<typeof makeRequest> & { response: Buffer } => ({ ...makeRequest({ note: 'a note' }), response: randomBytes(BIG) });

describe('SQLite: a token check never reads the ciphertext or the response', () => {
  it('wrong tokens on an existing id are answered with the blob unreadable; the right token, which needs it, fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hush-token-checks-'));
    const path = join(dir, 'hush.db');
    try {
      const s = makeSecret({ ciphertext: randomBytes(BIG) });
      const r = bigRequest();
      const first = new SqliteStore(path);
      await first.create(s, Q);
      await first.createRequest(r, Q);
      expect(await first.answerRequest(r.id, r.response, T0, Q)).toBe('answered');
      await first.close(); // the last connection: the WAL is folded into the file and removed

      // Every overflow page of both tables — where a large blob's bytes (and, were it not the last
      // column, the columns after it) live — overwritten with 0xff: following the chain now fails.
      const raw = new Database(path, { readonly: true });
      const pageSize = raw.pragma('page_size', { simple: true }) as number;
      const pages = raw
        .prepare<[], { pageno: number }>(`SELECT pageno FROM dbstat WHERE name IN ('secrets', 'requests') AND pagetype = 'overflow'`)
        .all()
        .map((p) => p.pageno);
      raw.close();
      expect(pages.length).toBeGreaterThan((2 * BIG) / pageSize - 4);
      const fd = openSync(path, 'r+');
      for (const p of pages) writeSync(fd, Buffer.alloc(pageSize, 0xff), 0, pageSize, (p - 1) * pageSize);
      closeSync(fd);

      const store: Store = new SqliteStore(path);
      try {
        const wrong = sha(randomBytes(32));
        const missing = randomBytes(16).toString('base64url');
        for (const id of [s.id, missing]) {
          expect(await store.peek(id, wrong, T0)).toBeNull();
          expect(await store.consume(id, wrong, null, T0)).toEqual({ ok: false, reason: 'not_found' });
          expect(await store.status(id, wrong, T0)).toBeNull();
          expect(await store.revoke(id, wrong, T0)).toBe(false);
        }
        for (const id of [r.id, missing]) {
          expect(await store.requestStatus(id, wrong, T0)).toBeNull();
          expect(await store.pickupRequest(id, wrong, T0)).toBeNull();
          expect(await store.cancelRequest(id, wrong, T0)).toBe(false);
        }
        // What the right token shows without the blob still works…
        expect(await store.peek(s.id, sha(s.auth), T0)).toMatchObject({ viewsLeft: 1 });
        expect(await store.status(s.id, sha(s.manage), T0)).toMatchObject({ state: 'pending' });
        expect(await store.requestStatus(r.id, sha(r.token), T0)).toMatchObject({ state: 'answered' });
        expect(await store.getRequest(r.id, T0)).toMatchObject({ state: 'answered', note: 'a note' });
        // …and what needs the blob fails: the pages are really unreadable.
        await expect(store.consume(s.id, sha(s.auth), null, T0)).rejects.toThrow(/malformed|corrupt/i);
        await expect(store.pickupRequest(r.id, sha(r.token), T0)).rejects.toThrow(/malformed|corrupt/i);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const redisUrl = requireService(await detectRedis(), 'Redis token checks');

describe.skipIf(redisUrl === null)('Redis: a token check never reads the ciphertext or the response', () => {
  const prefix = `hush-token-checks-${runTag()}:`;
  afterAll(() => deleteRedisPrefix(redisUrl!, prefix));

  // The store's own scripts, run with `redis.call` wrapped: reading the field `ct` (a secret's
  // ciphertext) or `rs` (a request's response) raises instead. Lua resolves `redis` to this local.
  const TRIPWIRE = `
local real = redis
local redis = setmetatable({
  call = function(cmd, ...)
    local c = string.upper(cmd)
    if c == 'HGETALL' or c == 'HVALS' then error('tripwire: ' .. c) end
    if c == 'HGET' or c == 'HMGET' then
      for i = 2, select('#', ...) do
        local f = select(i, ...)
        if f == 'ct' or f == 'rs' then error('tripwire: read ' .. f) end
      end
    end
    return real.call(cmd, ...)
  end,
}, { __index = real })
`;

  it('wrong tokens on an existing id never touch the blob fields; the right token, which needs them, does', async () => {
    const store = await RedisStore.open(redisUrl!, { prefix });
    const client = new Redis(redisUrl!, { maxRetriesPerRequest: 1 });
    client.on('error', () => undefined);
    try {
      const s = makeSecret({ ciphertext: randomBytes(BIG) });
      const r = bigRequest();
      await store.create(s, Q);
      await store.createRequest(r, Q);
      expect(await store.answerRequest(r.id, r.response, T0, Q)).toBe('answered');

      const dummy = Buffer.alloc(32);
      const deadline = Date.now() + 60_000;
      const k = (name: string): string => prefix + name;
      const run = (script: string, keys: string[], args: (string | number | Buffer)[]): Promise<unknown> =>
        client.eval(TRIPWIRE + script, keys.length, ...keys, ...args);
      const secretKeys = (id: string): string[] => [k(`s:${id}`), k('live'), k('stats')];
      const requestKeys = (id: string): string[] => [k(`r:${id}`), k('live'), k('stats'), k('exp')];
      const wrong = sha(randomBytes(32));
      const missing = randomBytes(16).toString('base64url');

      for (const id of [s.id, missing]) {
        expect(await run(CONSUME, secretKeys(id), [wrong, '', T0, id, dummy, deadline])).toEqual(['none']);
        expect(await run(REVOKE, secretKeys(id), [wrong, id, dummy])).toBe(0);
      }
      for (const id of [r.id, missing]) {
        expect(await run(PICKUP_REQUEST, requestKeys(id), [wrong, T0, `r:${id}`, dummy, deadline])).toEqual(['none']);
        expect(await run(CANCEL_REQUEST, requestKeys(id), [wrong, T0, `r:${id}`, dummy])).toBe(0);
      }
      // The right tokens reach the blob, and the tripwire says so (nothing changed: it raised first).
      await expect(run(CONSUME, secretKeys(s.id), [sha(s.auth), '', T0, s.id, dummy, deadline])).rejects.toThrow(/tripwire: read ct/);
      await expect(run(PICKUP_REQUEST, requestKeys(r.id), [sha(r.token), T0, `r:${r.id}`, dummy, deadline])).rejects.toThrow(/tripwire: read rs/);
      // And the store itself still hands both out, once.
      expect(Buffer.from((await store.pickupRequest(r.id, sha(r.token), T0))!.ciphertext)).toEqual(r.response);
      const read = await store.consume(s.id, sha(s.auth), null, T0);
      expect(read.ok && Buffer.from(read.ciphertext).equals(s.ciphertext)).toBe(true);
    } finally {
      client.disconnect();
      await store.close();
    }
  });
});
