// Prometheus metrics (prom-client), served only by the admin listener. They count events and
// never carry ids, tokens or the sizes of single secrets: labels are fixed, small sets.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../store/types.js';

export class Metrics {
  readonly registry = new Registry();
  readonly created = new Counter({ name: 'hush_secrets_created_total', help: 'Secrets created.', registers: [this.registry] });
  readonly consumed = new Counter({ name: 'hush_secrets_consumed_total', help: 'Views released (successful consumes).', registers: [this.registry] });
  readonly revoked = new Counter({ name: 'hush_secrets_revoked_total', help: 'Secrets revoked by their sender.', registers: [this.registry] });
  readonly expired = new Counter({ name: 'hush_secrets_expired_total', help: 'Secrets purged after expiring unread.', registers: [this.registry] });
  readonly purged = new Counter({ name: 'hush_rows_purged_total', help: 'Rows (secrets and tombstones) deleted by the purge.', registers: [this.registry] });
  readonly webhooksDelivered = new Counter({ name: 'hush_webhooks_delivered_total', help: 'Webhook events delivered to every endpoint (by this process).', registers: [this.registry] });
  readonly webhookFailures = new Counter({ name: 'hush_webhook_failed_attempts_total', help: 'Webhook POSTs refused or unanswered (by this process); each is retried.', registers: [this.registry] });
  readonly webhooksDead = new Counter({ name: 'hush_webhooks_dead_lettered_total', help: 'Webhook events given up after the last attempt (by this process).', registers: [this.registry] });
  readonly auditSealed = new Counter({ name: 'hush_audit_sealed_total', help: 'Events chained onto the audit trail (by this process).', registers: [this.registry] });
  readonly auditPruned = new Counter({ name: 'hush_audit_pruned_total', help: 'Audit trail entries deleted past HUSH_AUDIT_RETENTION (by this process).', registers: [this.registry] });
  readonly rejected = new Counter({
    name: 'hush_requests_rejected_total',
    help: 'Requests refused, by reason (protocol error code).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'hush_request_duration_seconds',
    help: 'Request latency by route pattern and status class.',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  constructor(store: Store) {
    collectDefaultMetrics({ register: this.registry });
    // The gauges below read the store, which every process of a cluster (HUSH_WORKERS) shares: the
    // primary's sum over its workers takes one process's reading ('first'), not N times it.
    const live = new Gauge({ name: 'hush_secrets_live', help: 'Secrets holding ciphertext, plus requests not yet picked up (what HUSH_MAX_SECRETS counts).', registers: [this.registry], aggregator: 'first', collect: async () => {
      live.set((await store.stats()).liveSecrets);
    } });
    const bytes = new Gauge({ name: 'hush_stored_bytes', help: 'Ciphertext bytes stored in all (with requests: public key, note, response).', registers: [this.registry], aggregator: 'first', collect: async () => {
      bytes.set((await store.stats()).storedBytes);
    } });
    // The outbox is shared by every instance on the store: these are the whole deployment's.
    const pending = new Gauge({ name: 'hush_webhooks_pending', help: 'Webhook events waiting in the outbox (due, scheduled for a retry, or being sent).', registers: [this.registry], aggregator: 'first', collect: async () => {
      pending.set((await store.outboxStats()).pending);
    } });
    const dead = new Gauge({ name: 'hush_webhooks_dead', help: 'Dead-lettered webhook events kept in the outbox (7 days).', registers: [this.registry], aggregator: 'first', collect: async () => {
      dead.set((await store.outboxStats()).dead);
    } });
  }
}
