// Lua scripts of the Redis store. Redis runs a script as one atomic step: no other command of any
// client runs in between, so each check-and-change below cannot interleave with another instance.
//
// Keys (P = the configured prefix):
//   P s:ID   hash of one secret: ct (ciphertext), v (verifier), m (manage hash), ps/pi/pv/pa
//            (passphrase salt, iterations, verifier, attempts left), vl (views left), st (state),
//            ex (expires at), nb (not before), ca (consumed at), sz (size); with a gate (verified
//            recipients, docs/protocol.md §12): rc (the recipients' 32-byte hashes, concatenated),
//            ka (wrong codes left), kn (codes sent) and, once a code was sent, kh (its hash) and
//            ke (its expiry). ka and kn are written with rc and never dropped, so the scripts and
//            peek/status read them, not the list, to know there is a gate. With an owner: ow (HEX
//            of its key, naming its set P o:HEX; kept in the tombstone, for the purge). Native
//            expiry (PEXPIREAT) at the original expiry; a tombstone is the hash without ct (nor rc, kh, ke).
//   P o:HEX  sorted set of one owner's secrets ("My secrets"), HEX = hex of the 32-byte owner key:
//            ID → created at. Written with the secret, the id taken off by the purge; native
//            expiry at the latest expiry of its members. The script that lists it is in redis-owners.ts.
//   P r:ID   hash of one request: pk (public key), n (note), t (token hash), ex (expires at),
//            rs (the response, once answered), at (answered at), sz (size: public key + note +
//            response). Native expiry at its expiry; picked-up and cancelled requests are deleted.
//   P e:HEX  hash of one evidence record (docs/protocol.md §9), HEX = hex SHA-256 of the secret's id
//            (the id itself is never written into it): m (manage hash), ch (SHA-256 of the
//            ciphertext), ca (created at) and cb (the creator's client class) — the record is
//            its 'created' event —, ex (expires at), st (state: pending, consumed, revoked,
//            burned, expired), vl (views left), ea (ended at, once ended), ru (retain until), n
//            (events recorded, 'created' included, stored or not), and the later events as
//            fields '1', '2', … (the order recorded; below MAX_EVENTS_PER_SECRET), each
//            'type,at,client' (client empty for none). Native expiry at ru, moved with it.
//   P live   hash ID → size of every secret still holding ciphertext, and `r:ID` → size of every
//            request (HLEN = live secrets and requests, what the quota counts).
//   P stats  hash: bytes (ciphertext bytes stored).
//   P exp    sorted set ID (or r:ID for a request) → expires at, what purge walks (native expiry alone cannot keep the
//            counters right, and callers pass the time in); and e:HEX for an evidence record →
//            its expiry while pending (the purge then marks it expired), its ru once ended.
//   P used   sorted set KEY → expires at, single-use markers.
//   P ob:N   hash of one outbox row (read notifications; N from P ob:seq, the idempotency key):
//            t (type), id (the secret's, dropped once dead-lettered), at, vl (views left), n
//            (attempts made), o (the claim's owner).
//   P ob:due sorted set N → when due: its next attempt, or — claimed — the end of the lease.
//   P ob:dead sorted set N → until when a dead letter is kept.
//   P ob:seq counter of outbox rows. The scripts that claim and finish rows are in redis-outbox.ts.
//   P audit:q    list of pending audit entries (docs/protocol.md §11), oldest first, each
//                'type,at,client' (client empty for none): queued with every event a record stores.
//   P audit:log  list of the trail's entries, oldest first, each its canonical line (auditLine()).
//   P audit:head 'seq,hash' of the last entry ever chained (absent: 0 and AUDIT_GENESIS); kept
//                when pruning empties the log, so the chain goes on. The scripts are in redis-audit.ts.
//   P audit:lock the sealer's lock (a random owner, with an expiry).
// Times are compared with the `now` argument, never Redis's clock: native expiry only makes data
// disappear by itself; it never decides an answer.
//
// Hash comparisons: verifiers are SHA-256 outputs (32 bytes); a missing secret compares against a
// dummy of the same length, so both take the same path. A check reads only small fields: the
// ciphertext or response is fetched once the token matched, so a wrong token on an existing id
// costs the same as a missing id whatever the secret's size (bench/timing.mjs).
//
// The scripts of requests (asking for a secret) are in redis-request-scripts.ts; the one that
// sends a restricted secret's code (requestCode) in redis-gate.ts.
//
// Evidence: the scripts that change a secret also record the event in the record, inside the
// same script, when they are given the record's key (a second command over the same script with
// more keys, see redis.ts) and it exists; without it they write what they wrote before.
import { MAX_EVENTS_PER_SECRET } from './types.js';
import { OWN_ADD } from './redis-owners.js';

/**
 * Shared by the scripts that record evidence: count an event in the record and store it while
 * there are fewer than MAX_EVENTS_PER_SECRET, queuing its audit entry with it; end the record (its
 * state, when, and until when it is kept: native expiry and its place in `exp` move along).
 *
 * The queue's key is not among the script's KEYS: it is derived from the record's (P e:HEX, HEX
 * 64 characters, so P is all but the last 66), as the outbox already writes keys under the prefix
 * it is given — one Redis primary, no Cluster, so undeclared keys are safe here.
 */
const EVIDENCE = `
local function ev_queue(key, line)
  redis.call('RPUSH', string.sub(key, 1, #key - 66) .. 'audit:q', line)
end
local function ev_record(key, kind, at, client)
  local n = redis.call('HINCRBY', key, 'n', 1)
  if n <= ${String(MAX_EVENTS_PER_SECRET)} then
    local line = kind .. ',' .. at .. ',' .. client
    redis.call('HSET', key, tostring(n - 1), line)
    ev_queue(key, line)
  end
end
local function ev_end(key, exp, member, state, at, retainUntil)
  redis.call('HSET', key, 'st', state, 'ea', at, 'ru', retainUntil)
  redis.call('PEXPIREAT', key, retainUntil)
  redis.call('ZADD', exp, retainUntil, member)
end
`;

/**
 * Shared by the scripts that write outbox rows: given the key prefix (ARGV, only when webhooks
 * are on), one row due at \`due\`.
 */
const OUTBOX = `
local function ob_add(P, kind, id, at, vl, due)
  local eid = tostring(redis.call('INCR', P .. 'ob:seq'))
  redis.call('HSET', P .. 'ob:' .. eid, 't', kind, 'id', id, 'at', at, 'vl', vl, 'n', 0)
  redis.call('ZADD', P .. 'ob:due', due, eid)
end
`;

/**
 * Shared by the scripts that erase: drop ct (a gate's rc, kh and ke with it: a tombstone keeps only
 * state), drop the id from `live`, give its bytes back.
 */
const ERASE = `
local function erase(secret, live, stats, id, size)
  redis.call('HDEL', secret, 'ct', 'rc', 'kh', 'ke')
  if redis.call('HDEL', live, id) == 1 then
    redis.call('HINCRBY', stats, 'bytes', -tonumber(size))
  end
end
`;

/**
 * KEYS: secret (or request), live, stats, exp [, owner's set]. ARGV: id (`r:ID` for a request),
 * size, maxSecrets, maxBytes, expiresAt [, createdAt: only with the owner's set], field, value, …
 * The owner's set is a fifth key (another command over the same script, see redis-client.ts), so
 * a create without an owner, and a request's, pass exactly what they passed before.
 */
export const CREATE = `${OWN_ADD}
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('ERR hush: id already in use') end
local size = tonumber(ARGV[2])
local live = redis.call('HLEN', KEYS[2])
local bytes = tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')
if live + 1 > tonumber(ARGV[3]) or bytes + size > tonumber(ARGV[4]) then return 0 end
local first = 6
if KEYS[5] then first = 7 end
redis.call('HSET', KEYS[1], unpack(ARGV, first))
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[3], 'bytes', size)
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
if KEYS[5] then own_add(KEYS[5], ARGV[1], ARGV[6], ARGV[5]) end
return 1
`;

/**
 * A create with evidence. KEYS: secret, live, stats, exp, evidence record [, owner's set (as
 * CREATE's; its score is the createdAt below)]. ARGV: id, size, maxSecrets, maxBytes, expiresAt,
 * record's member in exp (e:HEX), retainUntil, manage hash, ciphertext hash, createdAt, views,
 * client, then the secret's field, value, … as CREATE. The record is the 'created' event, so that
 * is queued for the audit trail with it.
 */
export const CREATE_EVIDENCE = `${EVIDENCE}${OWN_ADD}
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[5]) == 1 then return redis.error_reply('ERR hush: id already in use') end
local size = tonumber(ARGV[2])
local live = redis.call('HLEN', KEYS[2])
local bytes = tonumber(redis.call('HGET', KEYS[3], 'bytes') or '0')
if live + 1 > tonumber(ARGV[3]) or bytes + size > tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 13))
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('HINCRBY', KEYS[3], 'bytes', size)
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
redis.call('HSET', KEYS[5], 'm', ARGV[8], 'ch', ARGV[9], 'ca', ARGV[10], 'cb', ARGV[12], 'ex', ARGV[5], 'st', 'pending',
  'vl', ARGV[11], 'ru', ARGV[7], 'n', 1)
redis.call('PEXPIREAT', KEYS[5], ARGV[7])
redis.call('ZADD', KEYS[4], ARGV[5], ARGV[6])
ev_queue(KEYS[5], 'created,' .. ARGV[10] .. ',' .. ARGV[12])
if KEYS[6] then own_add(KEYS[6], ARGV[1], ARGV[10], ARGV[5]) end
return 1
`;

/** The check that a script runs before the caller's deadline (ARGV index given); see CONSUME. */
export const LATE = (arg: number): string => `
local t = redis.call('TIME')
if tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) > tonumber(ARGV[${String(arg)}]) then return {'late'} end
`;

/**
 * KEYS: secret, live, stats [, evidence record, exp]. ARGV: verifier, proof verifier ('' for
 * none), now, id, dummy hash, deadline (Redis clock, ms) [, client, retainUntil if this ends it,
 * record's member in exp] [, key prefix for the outbox row, code hash] ('' for any one not given).
 * Returns {'late'} | {'none'} | {'early', notBefore} | {'code_required'} | {'wrong_code',
 * attemptsLeft} | {'wrong', attemptsLeft} | {'ok', ciphertext, viewsLeft}. With the record (and
 * when it exists): 'read' (and the views left), or 'passphrase_failed' (and 'burned'), or 'burned'
 * by the last wrong code, recorded with the change.
 *
 * 'late': the script runs after the caller has given up waiting (Redis was stalled, or the
 * command was stuck in the network). It then changes nothing, so that a view is never spent on
 * an answer nobody receives.
 *
 * A gate (ka present) is checked before the passphrase, so that nobody without the code can try
 * (or burn by) passphrases. A wrong code costs one of its own attempts (ka); the last burns as a
 * passphrase does, recording only 'burned'. The view taken uses the code up: each needs a new one.
 */
export const CONSUME = `${ERASE}${EVIDENCE}${OUTBOX}${LATE(6)}
local ob = ARGV[10]
if ob == '' then ob = nil end
local f = redis.call('HMGET', KEYS[1], 'v', 'st', 'ex', 'nb', 'pv', 'sz', 'ka', 'kh', 'ke')
local stored = f[1] or ARGV[5]
local match = stored == ARGV[1] and f[1] ~= false
local now = tonumber(ARGV[3])
if not match or f[2] ~= 'pending' or tonumber(f[3]) <= now then return {'none'} end
if f[4] and now < tonumber(f[4]) then return {'early', f[4]} end
local ev = KEYS[4] ~= nil and redis.call('EXISTS', KEYS[4]) == 1
-- Ends the secret as burned, the counter that ran out (pa or ka) set to 0.
local function burn(counter)
  erase(KEYS[1], KEYS[2], KEYS[3], ARGV[4], f[6])
  redis.call('HSET', KEYS[1], 'st', 'burned', counter, 0)
  if ev then
    ev_record(KEYS[4], 'burned', ARGV[3], ARGV[7])
    ev_end(KEYS[4], KEYS[5], ARGV[9], 'burned', ARGV[3], ARGV[8])
  end
  if ob then ob_add(ob, 'secret.burned', ARGV[4], ARGV[3], 0, ARGV[3]) end
end
if f[7] then
  local code = ARGV[11]
  if code == nil or code == '' then return {'code_required'} end
  -- None stored, another (replaced or used up), or expired: all the same wrong code.
  if not f[8] or code ~= f[8] or tonumber(f[9]) <= now then
    local left = redis.call('HINCRBY', KEYS[1], 'ka', -1)
    if left <= 0 then
      burn('ka')
      left = 0
    end
    return {'wrong_code', tostring(left)}
  end
end
if f[5] and f[5] ~= ARGV[2] then
  local left = redis.call('HINCRBY', KEYS[1], 'pa', -1)
  if ev then ev_record(KEYS[4], 'passphrase_failed', ARGV[3], ARGV[7]) end
  if left <= 0 then
    burn('pa')
    left = 0
  end
  return {'wrong', tostring(left)}
end
local ct = redis.call('HGET', KEYS[1], 'ct')
if f[7] then redis.call('HDEL', KEYS[1], 'kh', 'ke') end
local left = redis.call('HINCRBY', KEYS[1], 'vl', -1)
if left <= 0 then
  erase(KEYS[1], KEYS[2], KEYS[3], ARGV[4], f[6])
  redis.call('HSET', KEYS[1], 'st', 'consumed', 'ca', ARGV[3], 'vl', 0)
  left = 0
end
if ev then
  ev_record(KEYS[4], 'read', ARGV[3], ARGV[7])
  redis.call('HSET', KEYS[4], 'vl', left)
  if left <= 0 then ev_end(KEYS[4], KEYS[5], ARGV[9], 'consumed', ARGV[3], ARGV[8]) end
end
if ob then ob_add(ob, 'secret.read', ARGV[4], ARGV[3], left, ARGV[3]) end
return {'ok', ct, tostring(left)}
`;

/**
 * KEYS: secret, live, stats [, evidence record, exp]. ARGV: manage hash, id, dummy hash [, now,
 * client, retainUntil, record's member in exp]. Returns 1 (revoked or already gone) or 0 (wrong).
 * With the record (and when it exists), 'revoked' when this call revoked it.
 */
export const REVOKE = `${ERASE}${EVIDENCE}${OUTBOX}
local f = redis.call('HMGET', KEYS[1], 'm', 'st', 'sz')
local stored = f[1] or ARGV[3]
if stored ~= ARGV[1] or f[1] == false then return 0 end
if f[2] == 'pending' then
  erase(KEYS[1], KEYS[2], KEYS[3], ARGV[2], f[3])
  redis.call('HSET', KEYS[1], 'st', 'revoked')
  if KEYS[4] ~= nil and redis.call('EXISTS', KEYS[4]) == 1 then
    ev_record(KEYS[4], 'revoked', ARGV[4], ARGV[5])
    ev_end(KEYS[4], KEYS[5], ARGV[7], 'revoked', ARGV[4], ARGV[6])
  end
  if ARGV[8] and ARGV[8] ~= '' then ob_add(ARGV[8], 'secret.revoked', ARGV[2], ARGV[4], 0, ARGV[4]) end
end
return 1
`;

/**
 * The reveal page was fetched. KEYS: evidence record. ARGV: now, client. Records 'opened' while
 * the record is pending and unexpired; otherwise (missing too) changes nothing. Returns 1 or 0.
 */
export const OPENED = `${EVIDENCE}
local f = redis.call('HMGET', KEYS[1], 'st', 'ex')
if f[1] ~= 'pending' or tonumber(f[2]) <= tonumber(ARGV[1]) then return 0 end
ev_record(KEYS[1], 'opened', ARGV[1], ARGV[2])
return 1
`;

/**
 * KEYS: exp, live, stats, used. ARGV: now, limit, key prefix (P).
 * Deletes up to `limit` secrets (tombstones included; each taken off its owner's set) and
 * requests whose original expiry has passed, and evidence records whose retention has passed
 * (e:HEX members due: past ru). A due record that is still pending has expired unread instead:
 * it gets its 'expired' event (at its expiry), and its member moves to its ru (at most `limit`
 * such per batch, not counted). Every member taken is deleted or moved past `now`, so the walk
 * goes on until `limit` are deleted or none is due. Returns {removed, expired unread} (a request
 * never picked up counts as unread).
 */
export const PURGE = `${EVIDENCE}${OUTBOX}
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local removed, expired, marked = 0, 0, 0
while removed < limit and marked < limit do
  local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, limit - removed)
  if #ids == 0 then break end
  for _, id in ipairs(ids) do
    local kind = string.sub(id, 1, 2)
    if kind == 'e:' then
      local key = ARGV[3] .. id
      local f = redis.call('HMGET', key, 'st', 'ex', 'ru')
      if f[1] and tonumber(f[3]) > now then
        if f[1] == 'pending' then
          ev_record(key, 'expired', f[2], '')
          redis.call('HSET', key, 'st', 'expired', 'ea', f[2])
        end
        redis.call('ZADD', KEYS[1], f[3], id)
        marked = marked + 1
      else
        redis.call('DEL', key)
        redis.call('ZREM', KEYS[1], id)
        removed = removed + 1
      end
    else
      local size = redis.call('HGET', KEYS[2], id)
      if size then
        expired = expired + 1
        if ARGV[4] == '1' and kind ~= 'r:' then ob_add(ARGV[3], 'secret.expired', id, redis.call('ZSCORE', KEYS[1], id), 0, ARGV[1]) end
        redis.call('HDEL', KEYS[2], id)
        redis.call('HINCRBY', KEYS[3], 'bytes', -tonumber(size))
      end
      if kind == 'r:' then
        redis.call('DEL', ARGV[3] .. id)
      else
        -- The hash names its owner's set (ow): read it before the hash goes, and take the id off.
        local secret = ARGV[3] .. 's:' .. id
        local ow = redis.call('HGET', secret, 'ow')
        if ow then redis.call('ZREM', ARGV[3] .. 'o:' .. ow, id) end
        redis.call('DEL', secret)
      end
      redis.call('ZREM', KEYS[1], id)
      removed = removed + 1
    end
  end
end
if removed < limit then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', ARGV[1])
  local dead = redis.call('ZRANGEBYSCORE', ARGV[3] .. 'ob:dead', '-inf', ARGV[1], 'LIMIT', 0, limit)
  for _, eid in ipairs(dead) do redis.call('DEL', ARGV[3] .. 'ob:' .. eid) end
  if #dead > 0 then redis.call('ZREM', ARGV[3] .. 'ob:dead', unpack(dead)) end
end
return {removed, expired}
`;

/**
 * The read of a token check made by the adapter (peek, status, requestStatus). KEYS: a secret's or
 * request's hash. ARGV: n, n field names (the token's hash first), n stand-in values ('' for
 * none). Returns the n values and '1' — or, no such key, the stand-in values and '0': a reply of
 * the same shape, so that the adapter compares the token with a hash of the same length and
 * decodes the same reply either way (a missing key answered a few µs sooner before,
 * bench/timing.mjs).
 */
export const STANDIN_READ = `
local n = tonumber(ARGV[1])
local f = redis.call('HMGET', KEYS[1], unpack(ARGV, 2, n + 1))
if f[1] then
  f[n + 1] = '1'
  return f
end
local s = {}
for i = 1, n do
  local v = ARGV[n + 1 + i]
  if v == '' then s[i] = false else s[i] = v end
end
s[n + 1] = '0'
return s
`;

/** KEYS: live, stats. Returns {liveSecrets, storedBytes}. */
export const STATS = `
return {redis.call('HLEN', KEYS[1]), tonumber(redis.call('HGET', KEYS[2], 'bytes') or '0')}
`;
