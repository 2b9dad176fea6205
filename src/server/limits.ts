// Per-client rate limits on create, reads and failed reads (counted separately), and per API
// token, built on @fastify/rate-limit's limiter (in memory, or in Redis when HUSH_STORE is Redis, so
// that several instances share the counts). Exceeding answers 429 rate_limited with Retry-After.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config, RateWindow } from './config.js';
import { HttpError } from './errors.js';
import type { RateLimitRedis } from '../store/index.js';
import { StoreUnavailableError } from '../store/types.js';

/** A shared Redis for the counters (several instances then share one limit): what a Redis store lends. */
export type { RateLimitRedis } from '../store/index.js';

type Check = (request: FastifyRequest, options?: { increment?: boolean }) => Promise<{ isAllowed: boolean; isExceeded?: boolean; ttlInSeconds?: number }>;

export interface Limiter {
  /** Counts one request of `kind` for `key`; throws 429 when any window is exceeded. */
  hit(kind: 'create' | 'read' | 'token', key: string, request: FastifyRequest): Promise<void>;
  /** Throws 429 when failed reads for `key` are already over the limit, without counting. */
  checkFailed(key: string, request: FastifyRequest): Promise<void>;
  /** Counts one failed read for `key`. */
  failed(key: string, request: FastifyRequest): Promise<void>;
}

const NO_LIMITS: Limiter = {
  hit: () => Promise.resolve(),
  checkFailed: () => Promise.resolve(),
  failed: () => Promise.resolve(),
};

const KEY = Symbol('hush.rate-key');
type Keyed = FastifyRequest & { [KEY]?: string };

export async function registerLimits(
  app: FastifyInstance,
  config: Config,
  redis?: RateLimitRedis,
): Promise<Limiter> {
  if (!config.rateLimit) return NO_LIMITS;
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (req) => (req as Keyed)[KEY] ?? 'unknown',
    skipOnError: false,
    ...(redis ? { redis: redis.client, nameSpace: redis.nameSpace } : {}),
  });

  const make = (name: string, windows: readonly RateWindow[]): { name: string; check: Check }[] =>
    windows.map((w, i) => ({
      name,
      check: app.createRateLimit({
        max: w.max,
        timeWindow: w.window,
        // Each limiter and window gets its own key space in the shared store.
        keyGenerator: (req) => `${name}:${String(i)}:${(req as Keyed)[KEY] ?? 'unknown'}`,
      }),
    }));
  const limiters = {
    create: make('create', config.rateCreate),
    read: make('read', config.rateRead),
    token: make('token', config.rateToken),
    failed: make('failed', config.rateFailed),
  };

  const refuse = (kind: string, retryAfter: number): never => {
    throw new HttpError(
      'rate_limited',
      kind === 'failed'
        ? `Too many failed attempts from your address. Wait ${String(retryAfter)} s and check the link.`
        : `Too many requests. Wait ${String(retryAfter)} s and try again.`,
      {},
      { retryAfter },
    );
  };

  // A shared counter store that does not answer is the database being unavailable: 503, not 500.
  const count = async (l: { check: Check }, request: FastifyRequest, increment: boolean): ReturnType<Check> => {
    try {
      return await l.check(request, { increment });
    } catch (err) {
      throw new StoreUnavailableError('the rate-limit store does not answer', { cause: err });
    }
  };

  const run = async (list: { name: string; check: Check }[], key: string, request: FastifyRequest, increment: boolean): Promise<void> => {
    (request as Keyed)[KEY] = key;
    for (const l of list) {
      const r = await count(l, request, increment);
      if (r.isExceeded === true) refuse(l.name, Math.max(1, r.ttlInSeconds ?? 1));
    }
  };

  return {
    hit: (kind, key, request) => run(limiters[kind], key, request, true),
    checkFailed: (key, request) => run(limiters.failed, key, request, false),
    failed: async (key, request) => {
      (request as Keyed)[KEY] = key;
      for (const l of limiters.failed) await count(l, request, true);
    },
  };
}
