// What Redis has beyond the store contract (test/store.contract.test.ts) for evidence: native key
// expiry. An evidence record is one hash under `e:` + hex SHA-256 of the id, with PEXPIREAT at its
// retainUntil, moved when the secret ends; its member in `exp` follows (expiresAt while pending,
// retainUntil once ended). Without evidence no such key or member is made.
import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { RedisStore } from '../src/store/redis.js';
import { HOUR, Q, T0, evidence, makeSecret, sha } from './helpers/store.js';
import { deleteRedisPrefix, detectRedis, requireService, runTag } from './helpers/services.js';

const url = requireService(await detectRedis(), 'Redis store specifics');
const prefix = `hush-redis-${runTag()}-`;
let n = 0;

describe.skipIf(url === null)('Redis store specifics: evidence', () => {
  let store: RedisStore;
  let client: Redis;
  let p = '';
  beforeEach(async () => {
    p = `${prefix}${String(n++)}:`;
    store = await RedisStore.open(url!, { prefix: p });
    client = new Redis(url!);
    return async () => {
      await store.close();
      client.disconnect();
    };
  });
  afterAll(() => deleteRedisPrefix(url!, prefix));

  const member = (id: string): string => `e:${createHash('sha256').update(id).digest('hex')}`;
  /** The record's key expiry (ms, Redis's PEXPIRETIME) and its score in `exp`. */
  const expiry = async (id: string): Promise<{ key: number; score: number | null }> => {
    const score = await client.zscore(`${p}exp`, member(id));
    return { key: Number(await client.call('PEXPIRETIME', p + member(id))), score: score === null ? null : Number(score) };
  };

  it('the record expires natively at retainUntil, moved when the secret ends; its place in `exp` follows', async () => {
    const retain = 3 * HOUR;
    const read = makeSecret();
    const revoked = makeSecret();
    const burned = makeSecret({ passphrase: { salt: 'c2FsdHNhbHRzYWx0c2FsdA', iterations: 600_000, verifier: sha(Buffer.alloc(32)), attempts: 1 } });
    const unread = makeSecret({ views: 2 });
    for (const s of [read, revoked, burned, unread]) {
      await store.create(s, Q, evidence('api', retain));
      expect(await expiry(s.id)).toEqual({ key: s.expiresAt + retain, score: s.expiresAt });
    }
    await store.consume(read.id, sha(read.auth), null, T0 + 5, evidence('api', retain));
    await store.revoke(revoked.id, sha(revoked.manage), T0 + 6, evidence('api', retain));
    await store.consume(burned.id, sha(burned.auth), null, T0 + 7, evidence('api', retain));
    await store.consume(unread.id, sha(unread.auth), null, T0 + 8, evidence('api', retain)); // a view left: still pending
    expect(await expiry(read.id)).toEqual({ key: T0 + 5 + retain, score: T0 + 5 + retain });
    expect(await expiry(revoked.id)).toEqual({ key: T0 + 6 + retain, score: T0 + 6 + retain });
    expect(await expiry(burned.id)).toEqual({ key: T0 + 7 + retain, score: T0 + 7 + retain });
    expect(await expiry(unread.id)).toEqual({ key: unread.expiresAt + retain, score: unread.expiresAt });
    // Expired unread: marked by the purge, kept as long as before; its member moves to retainUntil.
    await store.purge(unread.expiresAt, 100);
    expect(await expiry(unread.id)).toEqual({ key: unread.expiresAt + retain, score: unread.expiresAt + retain });
    expect(await client.hget(p + member(unread.id), 'st')).toBe('expired');
    // Past retention: the purge deletes the keys and their members.
    await store.purge(unread.expiresAt + retain, 100);
    for (const s of [read, revoked, burned, unread]) {
      expect(await client.exists(p + member(s.id))).toBe(0);
      expect(await client.zscore(`${p}exp`, member(s.id))).toBeNull();
    }
  });

  it('the record holds no id in clear; without evidence no record key or member is made', async () => {
    const s = makeSecret();
    await store.create(s, Q, evidence());
    await store.touch(s.id, T0 + 1, evidence('link-preview'));
    await store.consume(s.id, sha(s.auth), null, T0 + 2, evidence());
    const record = await client.hgetallBuffer(p + member(s.id));
    expect(Object.keys(record).sort()).toEqual(['1', '2', 'ca', 'cb', 'ch', 'ea', 'ex', 'm', 'n', 'ru', 'st', 'vl']);
    for (const [field, value] of Object.entries(record)) {
      expect(field.includes(s.id)).toBe(false);
      expect(value.includes(Buffer.from(s.id))).toBe(false);
      expect(value.includes(Buffer.from(s.id, 'base64url'))).toBe(false);
    }
    expect(record['1']?.toString()).toBe(`opened,${String(T0 + 1)},link-preview`);

    const quiet = makeSecret();
    await store.create(quiet, Q);
    await store.peek(quiet.id, sha(quiet.auth), T0);
    await store.consume(quiet.id, sha(quiet.auth), null, T0);
    await store.touch(quiet.id, T0, evidence());
    expect(await client.exists(p + member(quiet.id))).toBe(0);
    expect(await client.zscore(`${p}exp`, member(quiet.id))).toBeNull();
  });
});
