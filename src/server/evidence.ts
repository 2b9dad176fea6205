// The evidence a request leaves (docs/protocol.md §9): when HUSH_AUDIT is on, each state-changing
// store call gets the class of the client that made it and the retention, and the store writes
// the event in the same atomic operation as the change. The class is all that is kept of the
// request: no address, no user agent.
import type { FastifyRequest } from 'fastify';
import type { Evidence } from '../store/types.js';
import { classifyClient } from './client-class.js';
import type { Config } from './config.js';

export type EvidenceOf = (request: FastifyRequest, kind: 'page' | 'api') => Evidence | undefined;

/** The evidence maker for `config`: always undefined when HUSH_AUDIT=off. */
export function evidenceMaker(config: Config): EvidenceOf {
  if (!config.audit) return () => undefined;
  const retainMs = config.auditRetention * 1000;
  return (request, kind) => ({ client: classifyClient({ method: request.method, headers: request.headers, kind }), retainMs });
}
