// The audit trail's sealer (docs/protocol.md §11): events are queued by the store with the change
// they record; this loop chains them onto the trail about once a second, and prunes entries past
// HUSH_AUDIT_RETENTION. Sealing is exclusive across processes (the store's lock), so every
// instance may run one: whichever takes the lock seals, the others find nothing to do. The admin
// listener seals before an export, so an export holds every event recorded before it began.
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../store/types.js';
import type { Metrics } from './metrics.js';

/** Entries chained (and at most pruned) per store call; a full batch is followed by another at once. */
const BATCH = 1000;
const INTERVAL_MS = 1000;

export class AuditSealer {
  #timer: NodeJS.Timeout | undefined;
  /** The seal running now, if any: a second caller waits for it instead of racing it. */
  #running: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly retainMs: number,
    private readonly log: FastifyBaseLogger,
    private readonly metrics: Metrics,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.#timer = setInterval(() => {
      this.sealNow().catch((err: unknown) => this.log.warn({ reason: (err as Error).name }, 'could not seal the audit trail'));
    }, INTERVAL_MS);
    this.#timer.unref();
  }

  /** Chains everything queued now (in batches); rejects when the store fails. */
  sealNow(): Promise<void> {
    this.#running ??= this.#sealAll().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #sealAll(): Promise<void> {
    for (;;) {
      const { sealed, pruned } = await this.store.sealAudit(this.now(), BATCH, this.retainMs);
      this.metrics.auditSealed.inc(sealed);
      this.metrics.auditPruned.inc(pruned);
      if (sealed < BATCH && pruned < BATCH) return;
    }
  }

  /** Stops the loop and seals what is queued, so a clean shutdown leaves nothing waiting. */
  async close(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    try {
      await this.sealNow();
    } catch (err) {
      this.log.warn({ reason: (err as Error).name }, 'could not seal the audit trail at shutdown');
    }
  }
}
