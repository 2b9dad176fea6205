// Owners ("My secrets") in the Redis store: a sorted set per owner, `P o:HEX` (HEX = hex of the
// 32-byte owner key), member = the secret's id, score = its createdAt. The secret's hash keeps HEX
// in `ow` (both listed with the other keys at the top of redis-scripts.ts).
//
// The create scripts add the id (OWN_ADD, below) in the same step as the secret, so a secret is
// never listed before it exists, nor exists unlisted. The purge takes the id off the set in the
// same step as it deletes the hash (it reads `ow` first: the hash names the set). The set expires
// natively at the latest expiry of its members, so that an owner who stops creating leaves nothing
// behind; a member whose hash expired natively before the purge reached it (the purge then cannot
// read `ow`) is dropped by OWNED when it meets it.
import type { Redis } from 'ioredis';
import type { OwnedSecret, StatusInfo } from './types.js';

/**
 * Shared by the create scripts, run once the secret is written: add the id to the owner's set at
 * its createdAt, and move the set's expiry to the secret's when that is later. Redis 6.2 has no
 * PEXPIRETIME (nor PEXPIREAT … GT, which would also leave a fresh set without any expiry), so the
 * set's current expiry is Redis's clock plus PTTL; both are in the clock PEXPIREAT reads, as the
 * expiresAt given to it. Equal within a millisecond of rounding: set again, that costs nothing.
 */
export const OWN_ADD = `
local function own_add(set, id, createdAt, expiresAt)
  redis.call('ZADD', set, createdAt, id)
  local ttl = redis.call('PTTL', set)
  local t = redis.call('TIME')
  if ttl < 0 or tonumber(expiresAt) >= tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + ttl then
    redis.call('PEXPIREAT', set, expiresAt)
  end
end
`;

/**
 * KEYS: the owner's set. ARGV: secret key prefix (P s:), owner HEX, limit [, id]. Returns per
 * secret, newest first, {id, createdAt, m, ex, st, vl, '1' when gated or ''}: at most `limit`,
 * or with `id` only that one (when it is in the set).
 *
 * ZREVRANGE gives the highest score first and, among equal scores, the members in reverse
 * lexicographic order: createdAt descending, ties by id descending, as the contract orders them.
 * A member whose hash is gone (expired natively, before the purge could take it off) or names
 * another owner is removed from the set and skipped, and the walk goes on past it, so that
 * `limit` counts only secrets listed. The index is the only thing it changes: the secrets' own
 * keys are read, never written. A gate is known by `ka`, as peek and status know it.
 */
const OWNED = `
local limit = tonumber(ARGV[3])
local out = {}
local function take(id, score)
  local f = redis.call('HMGET', ARGV[1] .. id, 'ow', 'm', 'ex', 'st', 'vl', 'ka')
  if f[1] ~= ARGV[2] then
    redis.call('ZREM', KEYS[1], id)
    return false
  end
  local gated = ''
  if f[6] then gated = '1' end
  out[#out + 1] = {id, score, f[2] or '', f[3] or '0', f[4] or '', f[5] or '0', gated}
  return true
end
if ARGV[4] then
  local score = redis.call('ZSCORE', KEYS[1], ARGV[4])
  if score and limit > 0 then take(ARGV[4], score) end
  return out
end
-- Removed members shift the later ones down, so the next page starts past the kept ones only.
local start = 0
while #out < limit do
  local page = redis.call('ZREVRANGE', KEYS[1], start, start + limit - #out - 1, 'WITHSCORES')
  if #page == 0 then break end
  for i = 1, #page, 2 do
    if take(page[i], page[i + 1]) then start = start + 1 end
  end
end
return out
`;

/** Registers the owners' script on `client` as a command (with the store's others, redis-client.ts). */
export function defineOwnerScripts(client: Redis): void {
  client.defineCommand('hushOwned', { numberOfKeys: 1, lua: OWNED });
}

/** An owner's set (`P o:HEX`) and HEX, what the secret's `ow` field holds. */
export function ownerSet(prefix: string, owner: Uint8Array): { key: string; hex: string } {
  const hex = Buffer.from(owner).toString('hex');
  return { key: `${prefix}o:${hex}`, hex };
}

/**
 * A secret's state and views left as `status` answers them, and so `owned` too: a pending secret
 * past its expiry is 'expired' (the purge has not reached it yet), and only a pending one has views left.
 */
export function shownState(stored: 'pending' | 'consumed' | 'revoked' | 'burned', expiresAt: number, viewsLeft: number, now: number): Pick<StatusInfo, 'state' | 'viewsLeft'> {
  const state = stored === 'pending' && expiresAt <= now ? 'expired' : stored;
  return { state, viewsLeft: state === 'pending' ? viewsLeft : 0 };
}

type Scripted = Redis & Record<string, ((...args: (string | number)[]) => Promise<unknown>) | undefined>;

/** Store.owned for Redis; connection errors are the caller's to map (as redis-outbox.ts's). */
export async function owned(client: Redis, prefix: string, owner: Uint8Array, now: number, options: { limit: number; id?: string }): Promise<OwnedSecret[]> {
  const set = ownerSet(prefix, owner);
  const limit = Math.max(0, Math.floor(options.limit));
  const id: string[] = options.id === undefined ? [] : [options.id];
  const rows = (await (client as Scripted).hushOwnedBuffer!(set.key, `${prefix}s:`, set.hex, limit, ...id)) as Buffer[][];
  return rows.map(([sid, ca, m, ex, st, vl, gated]) => {
    const expiresAt = Number(ex?.toString('utf8'));
    const stored = (st?.toString('utf8') ?? 'revoked') as 'pending' | 'consumed' | 'revoked' | 'burned';
    return {
      id: sid?.toString('utf8') ?? '',
      manageHash: m ?? Buffer.alloc(0),
      createdAt: Number(ca?.toString('utf8')),
      expiresAt,
      ...shownState(stored, expiresAt, Number(vl?.toString('utf8')), now),
      ...(gated !== undefined && gated.length > 0 ? { restricted: true as const } : {}),
    };
  });
}
