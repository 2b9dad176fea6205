// The Redis store's connection: the client with the settings every Hush call relies on, its errors
// mapped to StoreUnavailableError, and the store's Lua scripts (redis-scripts.ts,
// redis-request-scripts.ts, redis-gate.ts, redis-outbox.ts, redis-audit.ts, redis-owners.ts)
// registered as commands. redis.ts holds what the store does with it.
import { Redis } from 'ioredis';
import { StoreUnavailableError } from './types.js';
import { ANSWER_REQUEST, CANCEL_REQUEST, PICKUP_REQUEST } from './redis-request-scripts.js';
import { defineAuditScripts } from './redis-audit.js';
import { REQUEST_CODE } from './redis-gate.js';
import { defineOutboxScripts } from './redis-outbox.js';
import { defineOwnerScripts } from './redis-owners.js';
import { CONSUME, CREATE, CREATE_EVIDENCE, OPENED, PURGE, REVOKE, STANDIN_READ, STATS } from './redis-scripts.js';

export interface RedisOptions {
  /** Prepended to every key (and to the rate limiter's keys); default `hush:`. */
  prefix?: string;
  /** Milliseconds to connect; default 2000. */
  connectTimeout?: number;
  /** Milliseconds a command may take; default 2000. */
  commandTimeout?: number;
}

/**
 * A Redis store's client and a key namespace, lent to the server's rate limiter so that limits are
 * counted where every instance counts them. The client keeps this store's settings (nothing queued
 * while disconnected, nothing re-sent, commands time out), so a Redis that does not answer fails a
 * limit check as it fails a store call, never hangs it. The namespace is the store's prefix plus
 * `rl:`, which none of the store's keys (listed in redis-scripts.ts) starts with.
 */
export interface RateLimitRedis {
  readonly client: Redis;
  readonly nameSpace: string;
}

/** Redis error replies that mean "not available right now" rather than a bug. */
const UNAVAILABLE_REPLIES = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|OOM)\b/;
/** A Redis failure as the store throws it: unavailable (503) unless Redis replied with a real error. */
export function toStoreError(err: unknown): unknown {
  if (err instanceof StoreUnavailableError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.name === 'ReplyError' && !UNAVAILABLE_REPLIES.test(e.message)) return err;
  return new StoreUnavailableError(`Redis is unavailable: ${e.message}`, { cause: err });
}

/** Connects, failing fast when Redis does not answer. */
export async function connectRedis(url: string, connectTimeout: number, commandTimeout: number): Promise<Redis> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout,
    commandTimeout,
    // Fail at once while disconnected instead of queueing (no hang), and never re-send a
    // command that may already have run (a consume happens at most once).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // Keep trying to reconnect, forever, at most once a second.
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
    keepAlive: 10_000,
    connectionName: 'hush',
  });
  // Connection errors surface on the commands; the event itself must not crash or spam.
  let cause: unknown;
  client.on('error', (err: unknown) => (cause = err));
  try {
    await client.connect();
  } catch (err) {
    client.disconnect();
    throw toStoreError(cause ?? err);
  }
  return client;
}

/** Registers the store's scripts on `client` as commands (hushConsume, …). */
export function defineScripts(client: Redis): void {
  client.defineCommand('hushCreate', { numberOfKeys: 4, lua: CREATE });
  client.defineCommand('hushConsume', { numberOfKeys: 3, lua: CONSUME });
  client.defineCommand('hushRevoke', { numberOfKeys: 3, lua: REVOKE });
  // With evidence: the same scripts given the record's key and `exp` too (CREATE has its own).
  client.defineCommand('hushCreateEvidence', { numberOfKeys: 5, lua: CREATE_EVIDENCE });
  client.defineCommand('hushConsumeEvidence', { numberOfKeys: 5, lua: CONSUME });
  client.defineCommand('hushRevokeEvidence', { numberOfKeys: 5, lua: REVOKE });
  // With an owner: the create scripts given the owner's set too, last (redis-owners.ts).
  client.defineCommand('hushCreateOwned', { numberOfKeys: 5, lua: CREATE });
  client.defineCommand('hushCreateEvidenceOwned', { numberOfKeys: 6, lua: CREATE_EVIDENCE });
  client.defineCommand('hushOpened', { numberOfKeys: 1, lua: OPENED });
  client.defineCommand('hushPurge', { numberOfKeys: 4, lua: PURGE });
  client.defineCommand('hushStats', { numberOfKeys: 2, lua: STATS });
  client.defineCommand('hushAnswerRequest', { numberOfKeys: 3, lua: ANSWER_REQUEST });
  client.defineCommand('hushPickupRequest', { numberOfKeys: 4, lua: PICKUP_REQUEST });
  client.defineCommand('hushCancelRequest', { numberOfKeys: 4, lua: CANCEL_REQUEST });
  client.defineCommand('hushRead', { numberOfKeys: 1, lua: STANDIN_READ });
  client.defineCommand('hushRequestCode', { numberOfKeys: 1, lua: REQUEST_CODE });
  defineOutboxScripts(client);
  defineAuditScripts(client);
  defineOwnerScripts(client);
}
