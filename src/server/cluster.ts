// HUSH_WORKERS > 1: this process becomes the primary of a node:cluster and forks that many worker
// processes (worker.ts), which share the public listening socket; the primary accepts connections
// and hands them to the workers in turn (Node's round-robin scheduling). What must happen once
// happens here, before any worker starts: the store's migrations, and the keys (a key kept in a
// file beside a SQLite database is made once; on PostgreSQL or Redis a key not set is made once
// for all of this primary's workers, not once per process), so that workers never race to make
// different keys and every worker signs and checks with the same ones.
//
// The primary serves no public request. It holds the admin listener (HUSH_ADMIN_PORT): /metrics is
// the sum over every worker (cluster-metrics.ts), /readyz also needs a worker listening, /audit
// reads the shared store. It replaces a worker that dies, after a delay that doubles while the
// replacements keep dying young, and on SIGTERM/SIGINT lets each worker finish its requests in
// flight and close its store (serve.ts) before closing its own and exiting 0. Docs: docs/deploy.md.
import cluster, { type Address, type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { pino, type Logger } from 'pino';
import { Counter, Gauge } from 'prom-client';
import { openServerStore } from '../store/index.js';
import { buildAdminApp } from './admin.js';
import { AuditSealer } from './audit.js';
import { ClusterMetrics } from './cluster-metrics.js';
import type { Config } from './config.js';
import { Metrics } from './metrics.js';
import { openLogStream } from './serve.js';
import { settleKeys } from './settled-keys.js';
import type { ConfigMessage } from './worker.js';

/** A replacement's first delay, doubled for each worker of the same slot that dies young, up to the cap. */
const RESTART_FIRST_MS = 250;
const RESTART_MAX_MS = 30_000;
/** A worker that lived this long was healthy: the next one after it starts with the first delay again. */
const STABLE_MS = 10_000;
/** How long a worker may take to finish its requests at shutdown before it is killed. */
const STOP_MS = 30_000;

const WORKER_ENTRY = fileURLToPath(new URL('./worker.js', import.meta.url));

/** Runs the primary; resolves once every worker listens (and the admin listener, if any). */
export async function servePrimary(given: Config): Promise<void> {
  const logStream = await openLogStream(given, true);
  const log = pino({ level: given.logLevel }, logStream);
  // Opening the store applies its migrations: once, here, before any worker opens it.
  const { store } = await openServerStore(given.store);
  let workerConfig: Config;
  let kept: string[];
  try {
    const keys = settleKeys(given);
    workerConfig = Object.freeze({ ...keys.config, adminPort: null });
    kept = keys.kept;
  } catch (err) {
    await store.close();
    throw err;
  }
  const metrics = new Metrics(store);
  const pool = new WorkerPool(given.workers, workerConfig, log, metrics);
  const audit = new AuditSealer(store, given.auditRetention * 1000, log, metrics, Date.now);
  const notReady = (): string | null => (pool.listening === 0 ? 'no worker process listens' : null);
  const admin = given.adminPort === null ? null : buildAdminApp(store, { registry: pool.metrics }, audit, notReady);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, workers: pool.running }, 'shutting down: each worker finishes its requests in flight');
    logStream.flush();
    pool
      .stop()
      .then(async (clean) => {
        await admin?.close();
        await store.close();
        if (!clean) log.error('a worker did not stop cleanly (killed, or it failed to close its store)');
        process.exit(clean ? 0 : 1);
      })
      .catch((err: unknown) => {
        log.error({ err }, 'error during shutdown');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  try {
    const url = await pool.start();
    log.info({ workers: given.workers, url }, `${String(given.workers)} worker processes listening at ${url}`);
    if (kept.length > 0) log.info({ keys: kept }, 'keys not set in the environment are kept in the data directory');
    if (admin && given.adminPort !== null) {
      const at = await admin.listen({ host: given.adminHost, port: given.adminPort });
      log.info({ admin: at }, `Admin listener (metrics, health, audit trail) at ${at}`);
    }
    logStream.flush();
  } catch (err) {
    stopping = true;
    await pool.stop();
    await admin?.close();
    await store.close();
    throw err;
  }
}

interface Slot {
  worker: Worker | null;
  startedAt: number;
  /** Workers of this slot that died young in a row. */
  failures: number;
  restart: NodeJS.Timeout | undefined;
}

const isHello = (m: unknown): boolean => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'hush:hello';

/** The workers: started, replaced when they die, stopped. */
class WorkerPool {
  readonly metrics: ClusterMetrics;
  readonly #config: Config;
  readonly #log: Logger;
  readonly #slots: Slot[];
  /** Cluster ids of the workers whose public listener is up. */
  readonly #listening = new Set<number>();
  readonly #restarts: Counter;
  #stopping = false;
  /** While the first workers start: a worker that exits then fails the start instead of being replaced. */
  #starting: { resolve: (url: string) => void; reject: (err: Error) => void } | null = null;
  #url = '';

  constructor(count: number, config: Config, log: Logger, own: Metrics) {
    this.#config = config;
    this.#log = log;
    this.#slots = Array.from({ length: count }, () => ({ worker: null, startedAt: 0, failures: 0, restart: undefined }));
    cluster.setupPrimary({ exec: WORKER_ENTRY, args: [] });
    this.metrics = new ClusterMetrics(own.registry, () => this.#slots.flatMap((s) => (s.worker ? [s.worker] : [])));
    const listening = new Gauge({ name: 'hush_workers_listening', help: 'Worker processes serving the public port (HUSH_WORKERS).', registers: [own.registry], collect: () => {
      listening.set(this.#listening.size);
    } });
    this.#restarts = new Counter({ name: 'hush_worker_restarts_total', help: 'Worker processes that exited unexpectedly and were replaced.', registers: [own.registry] });
  }

  get listening(): number {
    return this.#listening.size;
  }

  get running(): number {
    return this.#slots.filter((s) => s.worker !== null).length;
  }

  /** Forks every worker; resolves with the public URL once all listen, rejects if one exits first. */
  start(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#starting = { resolve, reject };
      this.#slots.forEach((_, i) => this.#fork(i));
    });
  }

  #fork(i: number): void {
    const slot = this.#slots[i]!;
    const worker = cluster.fork();
    slot.worker = worker;
    slot.startedAt = Date.now();
    const pid = worker.process.pid;
    // IPC trouble (a send to a worker that is going) is reported here rather than thrown.
    worker.on('error', (err: Error) => this.#log.warn({ worker: pid, err: err.message }, 'worker channel error'));
    worker.on('message', (m: unknown) => {
      // The worker listens for its configuration before saying hello: a message sent earlier could be lost.
      if (isHello(m)) {
        const message: ConfigMessage = { type: 'hush:config', config: this.#config };
        worker.send(message, undefined, undefined, () => undefined);
      } else this.metrics.onMessage(m);
    });
    worker.on('listening', (address: Address) => {
      this.#listening.add(worker.id);
      const host = address.address.includes(':') ? `[${address.address}]` : address.address;
      this.#url = `http://${host}:${String(address.port)}`;
      if (this.#starting && this.#listening.size === this.#slots.length) {
        this.#starting.resolve(this.#url);
        this.#starting = null;
      }
    });
    worker.once('exit', (code: number | null, signal: string | null) => {
      this.#exited(i, worker, code, signal);
    });
  }

  #exited(i: number, worker: Worker, code: number | null, signal: string | null): void {
    const slot = this.#slots[i]!;
    this.#listening.delete(worker.id);
    void this.metrics.retire(worker.id).catch(() => undefined);
    if (slot.worker === worker) slot.worker = null;
    if (this.#stopping) return;
    const pid = worker.process.pid;
    if (this.#starting) {
      this.#starting.reject(new Error(`worker process ${String(pid)} exited (${signal ?? `status ${String(code)}`}) before it listened; its error is above`));
      this.#starting = null;
      return;
    }
    const lived = Date.now() - slot.startedAt;
    slot.failures = lived >= STABLE_MS ? 1 : slot.failures + 1;
    const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** (slot.failures - 1));
    this.#restarts.inc();
    this.#log.error({ worker: pid, code, signal, livedMs: lived, restartInMs: delay, listening: this.#listening.size }, 'a worker process exited; another replaces it');
    slot.restart = setTimeout(() => {
      slot.restart = undefined;
      if (!this.#stopping) this.#fork(i);
    }, delay);
  }

  /**
   * Tells every worker to stop (SIGTERM: it finishes its requests in flight and closes its store)
   * and waits for all; one still running after STOP_MS is killed. True when every one stopped cleanly.
   */
  async stop(): Promise<boolean> {
    this.#stopping = true;
    this.#starting = null;
    for (const slot of this.#slots) clearTimeout(slot.restart);
    const live = this.#slots.flatMap((s) => (s.worker ? [s.worker] : []));
    const clean = await Promise.all(
      live.map(
        (w) =>
          new Promise<boolean>((resolve) => {
            // A worker stopped by the signal itself (before its handler was set up) had no request in flight.
            const done = (code: number | null, signal: string | null): void => resolve(code === 0 || signal === 'SIGTERM');
            if (w.isDead()) {
              done(w.process.exitCode, w.process.signalCode);
              return;
            }
            const kill = setTimeout(() => w.process.kill('SIGKILL'), STOP_MS);
            w.once('exit', (code: number | null, signal: string | null) => {
              clearTimeout(kill);
              done(code, signal);
            });
            w.process.kill('SIGTERM');
          }),
      ),
    );
    return clean.every(Boolean);
  }
}
