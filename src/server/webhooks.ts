// Read notifications for operators: signed events POSTed to the endpoints the operator configured
// (HUSH_WEBHOOKS) — never to a URL a user supplied. An event names one secret by its id and says
// what happened to it; it never carries ciphertext, keys, tokens, verifiers or another secret's id.
//
// Delivery is fire-and-forget from the request's point of view: a slow or failing receiver never
// delays or fails a read. Each endpoint has its own queue, delivered in order, retried with
// exponential back-off; the queue is bounded (oldest events are dropped, and counted).
import { createHmac } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';

export type WebhookEventType = 'secret.read' | 'secret.burned' | 'secret.revoked';

export interface WebhookEvent {
  type: WebhookEventType;
  /** The secret this event is about (useless without its link key). */
  id: string;
  /** When it happened, ISO 8601. */
  at: string;
  /** Views left after a read; 0 once consumed, burned or revoked. */
  viewsLeft: number;
}

export interface WebhookOptions {
  /** Attempts per event, first included (default 6: back-off 1, 2, 4, 8, 16 s). */
  attempts?: number;
  /** First retry delay in ms, doubled each time (default 1000). */
  baseDelayMs?: number;
  /** Per-attempt timeout in ms (default 5000). */
  timeoutMs?: number;
  /** Most events waiting per endpoint (default 10 000). */
  maxQueue?: number;
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

interface Endpoint {
  url: string;
  queue: WebhookEvent[];
  running: boolean;
}

export class Webhooks {
  readonly #endpoints: Endpoint[];
  readonly #secret: string;
  readonly #log: FastifyBaseLogger;
  readonly #attempts: number;
  readonly #baseDelay: number;
  readonly #timeout: number;
  readonly #maxQueue: number;
  readonly #fetch: typeof fetch;
  readonly #timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  #closing = false;
  /** Counters for metrics and tests. */
  readonly stats = { delivered: 0, failedAttempts: 0, dropped: 0 };

  constructor(urls: readonly string[], secret: string, log: FastifyBaseLogger, options: WebhookOptions = {}) {
    this.#endpoints = urls.map((url) => ({ url, queue: [], running: false }));
    this.#secret = secret;
    this.#log = log;
    this.#attempts = options.attempts ?? 6;
    this.#baseDelay = options.baseDelayMs ?? 1000;
    this.#timeout = options.timeoutMs ?? 5000;
    this.#maxQueue = options.maxQueue ?? 10_000;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  get enabled(): boolean {
    return this.#endpoints.length > 0;
  }

  /** Queues an event for every endpoint; returns at once. */
  emit(event: WebhookEvent): void {
    if (this.#closing) return;
    for (const ep of this.#endpoints) {
      ep.queue.push(event);
      if (ep.queue.length > this.#maxQueue) {
        ep.queue.shift();
        this.stats.dropped++;
        this.#log.warn({ webhook: endpointName(ep.url) }, 'webhook queue full: dropped the oldest event');
      }
      if (!ep.running) void this.#drain(ep);
    }
  }

  /** Stops taking events and gives queued ones until `graceMs` to go out. */
  async close(graceMs = 3000): Promise<void> {
    this.#closing = true;
    const deadline = Date.now() + graceMs;
    while (this.#endpoints.some((ep) => ep.running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const t of this.#timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
  }

  async #drain(ep: Endpoint): Promise<void> {
    ep.running = true;
    try {
      for (let event = ep.queue.shift(); event !== undefined; event = ep.queue.shift()) {
        await this.#deliver(ep, event);
      }
    } finally {
      ep.running = false;
    }
  }

  async #deliver(ep: Endpoint, event: WebhookEvent): Promise<void> {
    const body = JSON.stringify(event);
    for (let attempt = 1; attempt <= this.#attempts; attempt++) {
      try {
        const res = await this.#fetch(ep.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'hush-webhook/1',
            'x-hush-event': event.type,
            'x-hush-signature': signWebhook(this.#secret, body, Math.floor(Date.now() / 1000)),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.#timeout),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) {
          this.stats.delivered++;
          return;
        }
        this.#log.warn({ webhook: endpointName(ep.url), status: res.status, attempt }, 'webhook refused');
      } catch (err) {
        this.#log.warn({ webhook: endpointName(ep.url), attempt, reason: (err as Error).name }, 'webhook unreachable');
      }
      this.stats.failedAttempts++;
      if (attempt === this.#attempts || this.#closing) break;
      await this.#sleep(this.#baseDelay * 2 ** (attempt - 1));
    }
    this.#log.error({ webhook: endpointName(ep.url), type: event.type }, 'webhook event given up after retries');
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.#timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.#timers.add(entry);
    });
  }
}

/** The endpoint as logged: origin and path only (a query string may hold a receiver's token). */
function endpointName(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}
