// The Redis store's audit trail (docs/protocol.md §11). The scripts that record evidence queue each
// stored event in `P audit:q` (ev_record in redis-scripts.ts, where the keys are listed);
// `sealAudit` chains the queue onto `P audit:log` and `readAudit` exports it.
//
// Redis's Lua has no SHA-256, so an entry's hash is computed here, in Node, between reading the
// queue and writing the log. What makes that safe is a lock (`P audit:lock`, SET NX with an expiry
// and a random owner): only its holder seals, and every script that changes the trail first checks
// that the lock is still the caller's. A sealer that stalled past the lock's expiry therefore
// changes nothing, even when another has taken the lock and sealed since: the queue's start and
// the head it read are exactly what it chains onto while it holds the lock, because only the
// holder takes from the queue or moves the head (the evidence scripts only append to the queue).
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { AuditEntry, SealResult } from './types.js';
import { AUDIT_GENESIS, auditHashInput, auditLine } from '../protocol/audit.js';

/** How long a sealer may hold the lock (ms); past it, the lock is another's to take. */
const LOCK_MS = 30_000;

/** KEYS: lock. ARGV: owner. The check every script below starts with. */
const OWNS = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
`;

/**
 * KEYS: lock, queue, log, head. ARGV: owner, n (entries taken from the queue's start), head
 * ('seq,hash' of the last), then the n lines. Returns 1, or 0 (the lock is no longer the caller's:
 * nothing changed). The lines go in slices: unpack() of a whole large batch would overflow Lua's stack.
 */
const AUDIT_SEAL = `${OWNS}
redis.call('LTRIM', KEYS[2], tonumber(ARGV[2]), -1)
for i = 4, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('SET', KEYS[4], ARGV[3])
return 1
`;

/**
 * KEYS: lock, log. ARGV: owner, now, retainMs, limit. Deletes up to `limit` entries from the log's
 * start while the oldest has at + retainMs <= now; returns how many (0 too when the lock is lost).
 */
const AUDIT_PRUNE = `${OWNS}
local now, retain, limit = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local pruned = 0
while pruned < limit do
  local first = redis.call('LINDEX', KEYS[2], 0)
  if not first or cjson.decode(first).at + retain > now then break end
  redis.call('LPOP', KEYS[2])
  pruned = pruned + 1
end
return pruned
`;

/** KEYS: lock. ARGV: owner. Releases the lock only while it is the caller's (not one taken since). */
const AUDIT_UNLOCK = `${OWNS}
redis.call('DEL', KEYS[1])
return 1
`;

/**
 * KEYS: log. ARGV: since, limit. The log's lines with seq > since, up to `limit`: seq has no gaps
 * in the log (pruning only takes from its start), so the first entry's seq gives the offset.
 */
const AUDIT_READ = `
local first = redis.call('LINDEX', KEYS[1], 0)
if not first then return {} end
local offset = math.max(0, tonumber(ARGV[1]) + 1 - cjson.decode(first).seq)
return redis.call('LRANGE', KEYS[1], offset, offset + tonumber(ARGV[2]) - 1)
`;

/** Registers the audit scripts on `client` as commands (with the store's others, redis-client.ts). */
export function defineAuditScripts(client: Redis): void {
  client.defineCommand('hushAuditSeal', { numberOfKeys: 4, lua: AUDIT_SEAL });
  client.defineCommand('hushAuditPrune', { numberOfKeys: 2, lua: AUDIT_PRUNE });
  client.defineCommand('hushAuditUnlock', { numberOfKeys: 1, lua: AUDIT_UNLOCK });
  client.defineCommand('hushAuditRead', { numberOfKeys: 1, lua: AUDIT_READ });
}

type Scripted = Redis & Record<string, ((...args: (string | number)[]) => Promise<unknown>) | undefined>;

const keys = (prefix: string) => ({
  lock: `${prefix}audit:lock`,
  queue: `${prefix}audit:q`,
  log: `${prefix}audit:log`,
  head: `${prefix}audit:head`,
});

/** The entries that follow `head` ('seq,hash', or null before the first) for the queued lines. */
function chain(head: string | null, queued: readonly string[]): AuditEntry[] {
  const [seq = '0', hash = AUDIT_GENESIS] = head?.split(',') ?? [];
  let last = { seq: Number(seq), hash };
  return queued.map((q) => {
    const [event = '', at = '', client = ''] = q.split(',');
    const entry = { seq: last.seq + 1, at: Number(at), event, client: client === '' ? null : client, prev: last.hash };
    const sealed: AuditEntry = { ...entry, hash: createHash('sha256').update(auditHashInput(entry), 'utf8').digest('hex') };
    last = sealed;
    return sealed;
  });
}

/** Store.sealAudit for Redis (see the top of this file); connection errors are the caller's to map. */
export async function sealAudit(client: Redis, prefix: string, now: number, limit: number, retainMs: number): Promise<SealResult> {
  const c = client as Scripted;
  const k = keys(prefix);
  const take = Math.max(0, Math.floor(limit));
  const owner = randomBytes(16).toString('hex');
  if ((await c.set(k.lock, owner, 'PX', LOCK_MS, 'NX')) !== 'OK') return { sealed: 0, pruned: 0 };
  try {
    // Under the lock, nobody else takes from the queue or moves the head: these two reads agree.
    const queued = take === 0 ? [] : await c.lrange(k.queue, 0, take - 1);
    let sealed = 0;
    if (queued.length > 0) {
      const entries = chain(await c.get(k.head), queued);
      const last = entries.at(-1)!;
      const ok = await c.hushAuditSeal!(k.lock, k.queue, k.log, k.head, owner, entries.length, `${last.seq},${last.hash}`, ...entries.map(auditLine));
      if (ok !== 1) return { sealed: 0, pruned: 0 };
      sealed = entries.length;
    }
    const pruned = take === 0 ? 0 : Number(await c.hushAuditPrune!(k.lock, k.log, owner, now, retainMs, take));
    return { sealed, pruned };
  } finally {
    // Released at once rather than left to expire; a failure here only delays the next sealer.
    await c.hushAuditUnlock!(k.lock, owner).catch(() => undefined);
  }
}

/** Store.readAudit for Redis: up to `limit` entries with seq > `since`, oldest first. */
export async function readAudit(client: Redis, prefix: string, since: number, limit: number): Promise<AuditEntry[]> {
  const n = Math.floor(limit);
  if (n < 1) return [];
  const lines = (await (client as Scripted).hushAuditRead!(keys(prefix).log, Math.max(0, Math.floor(since)), n)) as string[];
  return lines.map((line) => JSON.parse(line) as AuditEntry);
}
