// Read notifications for operators: signed events POSTed to the endpoints the operator configured
// (HUSH_WEBHOOKS) — never to a URL a user supplied. An event names one secret by its id and says
// what happened to it; it never carries ciphertext, keys, tokens, verifiers or another secret's id.
//
// Delivery is from a durable outbox (src/store/types.ts, "Outbox"): the store writes an event's
// row in the same atomic operation as the change it reports, so a crash (kill -9) loses none.
// Every process runs the loop below: it claims due rows (a lease: a claim whose owner died is
// taken again once it runs out), POSTs each to every endpoint, and marks it delivered, schedules a
// retry with exponential back-off (capped), or dead-letters it after the configured attempts.
// At least once: a receiver deduplicates by x-hush-event-id, the same on every attempt. A read
// never waits for a receiver.
import { createHmac, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Delivery, DeliveryOutcome, OutboxEventType, Store } from '../store/types.js';
import type { Metrics } from './metrics.js';

export type WebhookEventType = OutboxEventType;

export interface WebhookEvent {
  type: WebhookEventType;
  /** The secret this event is about (useless without its link key). */
  id: string;
  /** When it happened, ISO 8601. */
  at: string;
  /** Views left after a read; 0 once consumed, burned, revoked or expired. */
  viewsLeft: number;
}

export interface WebhookOptions {
  /** Attempts per event, first included, before it is dead-lettered (default 8). */
  attempts?: number;
  /** First retry delay in ms, doubled each time (default 1000). */
  baseDelayMs?: number;
  /** Longest retry delay in ms (default 300 000). */
  maxDelayMs?: number;
  /** Per-attempt timeout in ms (default 5000). */
  timeoutMs?: number;
  /** How long a claim is this process's alone, in ms (default 30 000); then another may take it. */
  leaseMs?: number;
  /** Time between polls of the outbox when nothing woke the loop, in ms (default 1000). */
  pollMs?: number;
  /** Most events in flight in this process (default 16). */
  batch?: number;
  fetch?: typeof fetch;
}

/**
 * The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. Receivers
 * recompute it over the raw body, compare in constant time, and reject old `t` (replays).
 */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${String(unixSeconds)}.${body}`).digest('hex');
  return `t=${String(unixSeconds)},v1=${mac}`;
}

export class Webhooks {
  readonly #urls: readonly string[];
  readonly #secret: string;
  readonly #store: Store;
  readonly #log: FastifyBaseLogger;
  readonly #now: () => number;
  readonly #metrics: Metrics | undefined;
  readonly #attempts: number;
  readonly #baseDelay: number;
  readonly #maxDelay: number;
  readonly #timeout: number;
  readonly #lease: number;
  readonly #poll: number;
  readonly #batch: number;
  readonly #fetch: typeof fetch;
  /** This process's claims are made under this name (unique per process start). */
  readonly #owner = `${hostname()}:${String(process.pid)}:${randomBytes(6).toString('hex')}`;
  readonly #inFlight = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();
  #wake: (() => void) | null = null;
  /** Set by nudge() and close(); an object, so that the loop reads them afresh after its awaits. */
  readonly #signal = { nudged: false, closing: false };
  readonly #timers = new Set<NodeJS.Timeout>();
  #loop: Promise<void> | null = null;
  /** Counters for metrics and tests: events delivered, failed POSTs, events dead-lettered. */
  readonly stats = { delivered: 0, failedAttempts: 0, dead: 0 };

  constructor(
    urls: readonly string[],
    secret: string,
    store: Store,
    log: FastifyBaseLogger,
    options: WebhookOptions & { now?: () => number; metrics?: Metrics } = {},
  ) {
    this.#urls = urls;
    this.#secret = secret;
    this.#store = store;
    this.#log = log;
    this.#now = options.now ?? Date.now;
    this.#metrics = options.metrics;
    this.#attempts = options.attempts ?? 8;
    this.#baseDelay = options.baseDelayMs ?? 1000;
    this.#maxDelay = options.maxDelayMs ?? 300_000;
    this.#timeout = options.timeoutMs ?? 5000;
    this.#lease = options.leaseMs ?? 30_000;
    this.#poll = options.pollMs ?? 1000;
    this.#batch = options.batch ?? 16;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** Whether events are wanted: the store is then asked to write outbox rows (`notify`). */
  get enabled(): boolean {
    return this.#urls.length > 0;
  }

  /** Starts the delivery loop (when enabled); rows left by an earlier process go out too. */
  start(): void {
    if (!this.enabled || this.#loop || this.#signal.closing) return;
    this.#loop = this.#run();
  }

  /** This process just wrote an outbox row: claim now rather than at the next poll. */
  nudge(): void {
    this.#signal.nudged = true;
    this.#wake?.();
  }

  /** Stops claiming and gives deliveries in flight until `graceMs`; what is left stays in the outbox. */
  async close(graceMs = 3000): Promise<void> {
    this.#signal.closing = true;
    this.#wake?.();
    const deadline = Date.now() + graceMs;
    while (this.#inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.#abort.abort();
    for (const t of this.#timers) clearTimeout(t);
    await this.#loop;
    await Promise.allSettled([...this.#inFlight.values()]);
  }

  async #run(): Promise<void> {
    while (!this.#signal.closing) {
      const room = this.#batch - this.#inFlight.size;
      // A nudge from here on asks for another claim; one from before is answered by this one.
      this.#signal.nudged = false;
      let claimed: Delivery[] = [];
      if (room > 0) {
        try {
          claimed = await this.#store.claimDeliveries(this.#owner, this.#now(), room, this.#lease);
        } catch (err) {
          this.#log.warn({ reason: (err as Error).name }, 'webhook outbox unavailable');
        }
        for (const d of claimed) {
          // Our own claim, taken again after its lease ran out while its POST still runs.
          if (this.#inFlight.has(d.eventId)) continue;
          const p = this.#deliver(d).finally(() => {
            this.#inFlight.delete(d.eventId);
            this.#wake?.();
          });
          this.#inFlight.set(d.eventId, p);
        }
      }
      // A full batch: there may be more due. Otherwise wait for the poll, a nudge, or — full
      // (room 0) — a delivery to end; never loop without waiting, which would starve the process.
      if (room > 0 && claimed.length === room) continue;
      if (room > 0 && this.#awake()) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.#poll);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.#wake = done;
      });
      this.#wake = null;
    }
  }

  /** Closing, or nudged since the last claim: no wait (a method: the loop's narrowing would say false). */
  #awake(): boolean {
    return this.#signal.closing || this.#signal.nudged;
  }

  async #deliver(d: Delivery): Promise<void> {
    const event: WebhookEvent = { type: d.type, id: d.secretId, at: new Date(d.at).toISOString(), viewsLeft: d.viewsLeft };
    const body = JSON.stringify(event);
    const sent = await Promise.all(this.#urls.map((url) => this.#post(url, d, body)));
    let outcome: DeliveryOutcome;
    if (sent.every(Boolean)) {
      outcome = 'delivered';
    } else if (d.attempts >= this.#attempts) {
      outcome = 'dead';
      this.#log.error({ type: d.type, attempts: d.attempts }, 'webhook event given up after retries (dead letter)');
    } else {
      const delay = Math.min(this.#maxDelay, this.#baseDelay * 2 ** (d.attempts - 1));
      outcome = { retryAt: this.#now() + delay };
      // Sooner than the next poll: wake up for it (another instance may take it first; fine).
      if (delay < this.#poll) {
        const t = setTimeout(() => {
          this.#timers.delete(t);
          this.nudge();
        }, delay + 5);
        this.#timers.add(t);
      }
    }
    try {
      const mine = await this.#store.finishDelivery(d.eventId, this.#owner, outcome, this.#now());
      if (!mine) return; // the lease ran out and another took it: its outcome counts
      if (outcome === 'delivered') {
        this.stats.delivered++;
        this.#metrics?.webhooksDelivered.inc();
      } else if (outcome === 'dead') {
        this.stats.dead++;
        this.#metrics?.webhooksDead.inc();
      }
    } catch (err) {
      // The claim stays; once its lease runs out the event is tried again (at least once).
      this.#log.warn({ reason: (err as Error).name }, 'webhook outbox unavailable');
    }
  }

  async #post(url: string, d: Delivery, body: string): Promise<boolean> {
    try {
      const res = await this.#fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'hush-webhook/1',
          'x-hush-event': d.type,
          'x-hush-event-id': d.eventId,
          'x-hush-signature': signWebhook(this.#secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.#timeout), this.#abort.signal]),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) return true;
      this.#log.warn({ webhook: endpointName(url), status: res.status, attempt: d.attempts }, 'webhook refused');
    } catch (err) {
      this.#log.warn({ webhook: endpointName(url), attempt: d.attempts, reason: (err as Error).name }, 'webhook unreachable');
    }
    this.stats.failedAttempts++;
    this.#metrics?.webhookFailures.inc();
    return false;
  }
}

/** The endpoint as logged: origin and path only (a query string may hold a receiver's token). */
function endpointName(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}
