// The admin listener: Prometheus metrics, liveness and readiness, on its own port (127.0.0.1 by
// default) — never on the public one.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Store } from '../store/types.js';
import type { Metrics } from './metrics.js';
import { SECURITY_HEADERS } from './headers.js';

export function buildAdminApp(store: Store, metrics: Metrics): FastifyInstance {
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
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'unavailable', reason: 'the store does not answer' });
    }
  });
  return admin;
}
