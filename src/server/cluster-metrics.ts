// The cluster primary's /metrics (HUSH_WORKERS > 1): each worker counts in its own process, so
// the primary asks every worker for its registry (as JSON, over the cluster's IPC channel) and
// serves their sum, with its own registry (its process, the store's gauges, exports it sealed).
// A scrape therefore never shows one worker's counters, whichever process would have answered.
//
// Counters must not go down: Prometheus reads a fall as a restart of the count and adds the whole
// value again to rate(). A worker that dies takes its counts with it, so the primary keeps what
// each worker last reported, and when the worker exits folds its counters and histograms into
// `retired`, which every later sum includes. Counts made after a worker's last scrape die with
// it (at most one scrape interval's worth); the sum never falls below what was already served.
import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue, type Registry } from 'prom-client';

/** One registry as getMetricsAsJSON() gives it. */
export type MetricsJson = MetricObjectWithValues<MetricValue<string>>[];

/** The primary's question to a worker, and the worker's answer (worker.ts). */
export interface MetricsRequest {
  readonly type: 'hush:metrics';
  readonly id: number;
}
export interface MetricsReply {
  readonly type: 'hush:metrics';
  readonly id: number;
  readonly metrics: MetricsJson;
}

export const isMetricsReply = (m: unknown): m is MetricsReply =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'hush:metrics' && Array.isArray((m as { metrics?: unknown }).metrics);

/** How long a scrape waits for a worker; one that is stuck is left out of that scrape. */
const ASK_MS = 2000;

export class ClusterMetrics {
  readonly contentType: Registry['contentType'];
  readonly #own: Registry;
  readonly #workers: () => readonly Worker[];
  /** What each live worker answered last, by cluster worker id. */
  readonly #last = new Map<number, MetricsJson>();
  #retired: MetricsJson = [];
  /** Answers awaited, by request id. */
  readonly #waiting = new Map<number, (m: MetricsJson) => void>();
  #next = 0;

  /** `own`: the primary's registry; `workers`: the workers to ask now. */
  constructor(own: Registry, workers: () => readonly Worker[]) {
    this.#own = own;
    this.#workers = workers;
    this.contentType = own.contentType;
  }

  /** A worker's message: an answer to one of our questions (anything else is not ours). */
  onMessage(message: unknown): void {
    if (!isMetricsReply(message)) return;
    this.#waiting.get(message.id)?.(message.metrics);
  }

  /** A worker exited: its last counts stay in every sum from now on. */
  async retire(workerId: number): Promise<void> {
    const last = this.#last.get(workerId);
    this.#last.delete(workerId);
    if (!last) return;
    // `type` is declared as prom-client's enum, but the JSON carries its name.
    const kept = last.filter((m) => ['counter', 'histogram'].includes(String(m.type)));
    this.#retired = await AggregatorRegistry.aggregate([this.#retired, kept]).getMetricsAsJSON();
  }

  /** The text exposition of the sum: the primary's registry, each worker that answers, and the retired counts. */
  async metrics(): Promise<string> {
    const answers = await Promise.all(this.#workers().map(async (w) => [w.id, await this.#ask(w)] as const));
    for (const [id, m] of answers) if (m) this.#last.set(id, m);
    const parts = [await this.#own.getMetricsAsJSON(), ...answers.flatMap(([, m]) => (m ? [m] : [])), this.#retired];
    return AggregatorRegistry.aggregate(parts).metrics();
  }

  #ask(worker: Worker): Promise<MetricsJson | null> {
    if (!worker.isConnected()) return Promise.resolve(null);
    const id = this.#next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve(null);
      }, ASK_MS);
      this.#waiting.set(id, (m) => {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(m);
      });
      const request: MetricsRequest = { type: 'hush:metrics', id };
      // With a callback a closed channel is reported to it (ignored: the timer answers null),
      // not thrown as an 'error' event of the worker.
      worker.send(request, undefined, undefined, () => undefined);
    });
  }
}
