// Lua scripts of the Redis store's requests (docs/protocol.md §7): answer, pick up, cancel. The
// keys they use and the rules every script follows are described at the top of redis-scripts.ts.
import { LATE } from './redis-scripts.js';

/**
 * KEYS: request, live, stats. ARGV: member (r:ID), response, now, maxBytes, deadline.
 * Stores the one response of an open, unexpired request. Returns {'late'} | {'none'} (missing,
 * expired or already answered) | {'full'} (the response would pass maxBytes) | {'ok'}.
 */
export const ANSWER_REQUEST = `${LATE(5)}
local f = redis.call('HMGET', KEYS[1], 'ex', 'sz', 'rs')
if not f[1] or tonumber(f[1]) <= tonumber(ARGV[3]) or f[3] then return {'none'} end
local size = string.len(ARGV[2])
local bytes = tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')
if bytes + size > tonumber(ARGV[4]) then return {'full'} end
local total = tonumber(f[2]) + size
redis.call('HSET', KEYS[1], 'rs', ARGV[2], 'at', ARGV[3], 'sz', total)
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[2], ARGV[1], total)
  redis.call('HINCRBY', KEYS[3], 'bytes', size)
end
return {'ok'}
`;

/** Shared by pickup and cancel: delete the request and give its count and bytes back. */
const DROP_REQUEST = `
local function drop(request, live, stats, exp, member)
  local size = redis.call('HGET', live, member)
  if size then
    redis.call('HDEL', live, member)
    redis.call('HINCRBY', stats, 'bytes', -tonumber(size))
  end
  redis.call('DEL', request)
  redis.call('ZREM', exp, member)
end
`;

/**
 * KEYS: request, live, stats, exp. ARGV: token hash, now, member (r:ID), dummy hash, deadline.
 * Returns {'late'} | {'none'} (missing, expired, not answered, wrong token) | {'ok', response};
 * 'ok' erases the whole request in the same step.
 */
export const PICKUP_REQUEST = `${DROP_REQUEST}${LATE(5)}
-- 'at' is set with the response, in the same script: whether it is answered, without reading it.
local f = redis.call('HMGET', KEYS[1], 't', 'ex', 'at')
local stored = f[1] or ARGV[4]
local match = stored == ARGV[1] and f[1] ~= false
if not match or tonumber(f[2]) <= tonumber(ARGV[2]) or not f[3] then return {'none'} end
local response = redis.call('HGET', KEYS[1], 'rs')
drop(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[3])
return {'ok', response}
`;

/**
 * KEYS: request, live, stats, exp. ARGV: token hash, now, member (r:ID), dummy hash.
 * Returns 1 (erased) or 0 (missing, expired, wrong token).
 */
export const CANCEL_REQUEST = `${DROP_REQUEST}
local f = redis.call('HMGET', KEYS[1], 't', 'ex')
local stored = f[1] or ARGV[4]
local match = stored == ARGV[1] and f[1] ~= false
if not match or tonumber(f[2]) <= tonumber(ARGV[2]) then return 0 end
drop(KEYS[1], KEYS[2], KEYS[3], KEYS[4], ARGV[3])
return 1
`;
