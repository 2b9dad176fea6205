// The admin listener: Prometheus metrics, liveness and readiness, and the audit trail's export, on
// its own port (127.0.0.1 by default) — never on the public one.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Store } from '../store/types.js';
import { auditLine } from '../protocol/audit.js';
import type { AuditSealer } from './audit.js';
import type { Metrics } from './metrics.js';
import { SECURITY_HEADERS } from './headers.js';

/** Entries one /audit answer holds unless `limit` says otherwise, and at most. */
export const AUDIT_PAGE = 10_000;
export const AUDIT_PAGE_MAX = 100_000;

/** A whole number from a query parameter, `fallback` when absent; null when not one in [min, max]. */
function wholeParam(value: unknown, fallback: number, min: number, max: number): number | null {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,16}$/.test(value)) return null;
  const n = Number(value);
  return n >= min && n <= max ? n : null;
}

/** What /metrics serves: one process's registry, or the cluster primary's sum over its workers (cluster.ts). */
export interface MetricsSource {
  readonly registry: Pick<Metrics['registry'], 'contentType' | 'metrics'>;
}

/**
 * `notReady`, when given, is asked by /readyz after the store answered: a reason to answer 503
 * (the cluster primary's: no worker listens), or null.
 */
export function buildAdminApp(store: Store, metrics: MetricsSource, audit?: AuditSealer, notReady?: () => string | null): FastifyInstance {
  const admin = Fastify({ logger: false });
  admin.addHook('onSend', async (_req, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    return payload;
  });
  admin.get('/metrics', async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  admin.get('/healthz', () => ({ status: 'ok' }));
  admin.get('/readyz', async (_req, reply) => {
    try {
      await store.ping();
    } catch {
      return reply.code(503).send({ status: 'unavailable', reason: 'the store does not answer' });
    }
    const reason = notReady?.() ?? null;
    if (reason !== null) return reply.code(503).send({ status: 'unavailable', reason });
    return { status: 'ready' };
  });
  // The operators' audit trail as JSON Lines (docs/protocol.md §11): entries after seq `since`
  // (default 0: from the oldest kept), at most `limit`. Fewer than `limit` lines: that was all,
  // up to the moment of the request; else ask again with since = the last line's seq.
  admin.get('/audit', async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const since = wholeParam(query['since'], 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = wholeParam(query['limit'], AUDIT_PAGE, 1, AUDIT_PAGE_MAX);
    if (since === null || limit === null) {
      return reply.code(400).send({ error: 'invalid_input', message: `since is a seq (a whole number, 0 for the start); limit a whole number from 1 to ${String(AUDIT_PAGE_MAX)}` });
    }
    let lines: string[];
    try {
      await audit?.sealNow();
      lines = (await store.readAudit(since, limit)).map(auditLine);
    } catch {
      return reply.code(503).send({ error: 'unavailable', message: 'the store does not answer' });
    }
    return reply
      .type('application/jsonl; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  });
  return admin;
}
