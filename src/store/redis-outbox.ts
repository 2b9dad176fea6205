// The Redis store's outbox, delivery side (read notifications, docs/operations.md): claiming due
// rows and ending claims, one script each. The rows themselves are written by the scripts that
// change a secret (ob_add in redis-scripts.ts, where the P ob:* keys are listed), in the same step.
import type { Redis } from 'ioredis';
import type { Delivery, DeliveryOutcome, OutboxEventType } from './types.js';
import { DEAD_LETTER_MS } from './types.js';

/**
 * KEYS: ob:due. ARGV: prefix, owner, now, limit, lease (ms). Takes up to `limit` due rows: counts
 * an attempt, sets the owner and makes each due again at now + lease. Returns {N, t, id, at, vl, n}
 * per row.
 */
const CLAIM_DELIVERIES = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[3], 'LIMIT', 0, tonumber(ARGV[4]))
local out = {}
for _, eid in ipairs(ids) do
  local key = ARGV[1] .. 'ob:' .. eid
  local f = redis.call('HMGET', key, 't', 'id', 'at', 'vl')
  if f[1] then
    local n = redis.call('HINCRBY', key, 'n', 1)
    redis.call('HSET', key, 'o', ARGV[2])
    redis.call('ZADD', KEYS[1], tonumber(ARGV[3]) + tonumber(ARGV[5]), eid)
    out[#out + 1] = {eid, f[1], f[2], f[3], f[4], tostring(n)}
  else
    redis.call('ZREM', KEYS[1], eid)
  end
end
return out
`;

/**
 * KEYS: ob:due, ob:dead, the row's hash. ARGV: N, owner, outcome (delivered, retry, dead), time
 * (retry: when due; dead: kept until). Acts only while the owner holds the claim; returns 1 or 0.
 */
const FINISH_DELIVERY = `
if redis.call('HGET', KEYS[3], 'o') ~= ARGV[2] or not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
if ARGV[3] == 'delivered' then
  redis.call('DEL', KEYS[3])
  redis.call('ZREM', KEYS[1], ARGV[1])
elseif ARGV[3] == 'retry' then
  redis.call('HDEL', KEYS[3], 'o')
  redis.call('ZADD', KEYS[1], ARGV[4], ARGV[1])
else
  redis.call('HDEL', KEYS[3], 'o', 'id')
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
end
return 1
`;

/** Registers the outbox scripts on `client` as commands (with the store's others, redis-client.ts). */
export function defineOutboxScripts(client: Redis): void {
  client.defineCommand('hushClaimDeliveries', { numberOfKeys: 1, lua: CLAIM_DELIVERIES });
  client.defineCommand('hushFinishDelivery', { numberOfKeys: 3, lua: FINISH_DELIVERY });
}

type Scripted = Redis & Record<string, ((...args: (string | number)[]) => Promise<unknown>) | undefined>;

/** Store.claimDeliveries for Redis; connection errors are the caller's to map (as every function here). */
export async function claimDeliveries(client: Redis, prefix: string, owner: string, now: number, limit: number, leaseMs: number): Promise<Delivery[]> {
  const r = (await (client as Scripted).hushClaimDeliveries!(`${prefix}ob:due`, prefix, owner, now, limit, leaseMs)) as string[][];
  return r.map(([eventId, type, secretId, at, vl, n]) => ({
    eventId: eventId ?? '',
    type: type as OutboxEventType,
    secretId: secretId ?? '',
    at: Number(at),
    viewsLeft: Number(vl),
    attempts: Number(n),
  }));
}

/** Store.finishDelivery for Redis. */
export async function finishDelivery(client: Redis, prefix: string, eventId: string, owner: string, outcome: DeliveryOutcome, now: number): Promise<boolean> {
  const [kind, at] = outcome === 'delivered' ? ['delivered', now] : outcome === 'dead' ? ['dead', now + DEAD_LETTER_MS] : ['retry', outcome.retryAt];
  const keys = [`${prefix}ob:due`, `${prefix}ob:dead`, `${prefix}ob:${eventId}`];
  return (await (client as Scripted).hushFinishDelivery!(...keys, eventId, owner, kind, at)) === 1;
}

/** Store.outboxStats for Redis. */
export async function outboxStats(client: Redis, prefix: string): Promise<{ pending: number; dead: number }> {
  const [pending, dead] = await Promise.all([client.zcard(`${prefix}ob:due`), client.zcard(`${prefix}ob:dead`)]);
  return { pending, dead };
}
