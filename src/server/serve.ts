// Shared by `npm start` (main.ts) and `hush serve`: open the store, listen on the public and the
// admin port, and shut down cleanly on SIGTERM/SIGINT. With HUSH_WORKERS above 1 this process
// becomes the cluster's primary instead (cluster.ts), and each worker (worker.ts) runs serveOne.
import { setFlagsFromString } from 'node:v8';
import { buildApp } from './app.js';
import { buildAdminApp } from './admin.js';
import { LogSink, PrettyLogSink, type LogStream } from './log-sink.js';
import { loadConfig, type Config } from './config.js';
import { Metrics } from './metrics.js';
import { openServerStore } from '../store/index.js';
import { settleKeys } from './settled-keys.js';

/**
 * Characters in one block of JSON log lines when several processes write to one stdout. A write
 * of at most PIPE_BUF (4096) bytes to a pipe is never interleaved with another process's; a
 * UTF-16 code unit takes at most 3 bytes in UTF-8, so 1365 characters always fit.
 */
const SHARED_STDOUT_BLOCK = 1365;

/** Starts the server; resolves once it listens. Exits the process on SIGTERM/SIGINT. */
export async function serve(given: Config): Promise<void> {
  if (given.workers > 1) {
    const { servePrimary } = await import('./cluster.js');
    await servePrimary(given);
    return;
  }
  await serveOne(given);
}

/** The log destination the settings ask for; `shared`: other processes write to the same stdout. */
export async function openLogStream(config: Config, shared = false): Promise<LogStream> {
  // JSON log lines are buffered and written in blocks of about 8 KB, at least every 250 ms and at
  // exit, instead of one write to stdout per request: under load that write (and waking the reader
  // of the pipe) cost more than the rest of a request (docs/performance.md). A person at a
  // terminal gets pino-pretty's lines instead, each written at once (HUSH_LOG_FORMAT).
  const pretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && process.stdout.isTTY);
  const logStream: LogStream = pretty ? await PrettyLogSink.open() : shared ? new LogSink({ blockSize: SHARED_STDOUT_BLOCK, whole: true }) : new LogSink();
  process.once('exit', () => {
    try {
      logStream.flushSync();
    } catch {
      // stdout is gone (closed pipe): nothing left to write to
    }
  });
  return logStream;
}

/**
 * One serving process: the whole server when HUSH_WORKERS is 1, else one cluster worker (whose
 * configuration comes from the primary with the keys filled in and no admin listener, and whose
 * stdout other workers share). Resolves with its metrics once it listens.
 */
export async function serveOne(given: Config, options: { sharedStdout?: boolean } = {}): Promise<{ metrics: Metrics }> {
  // Under load the heap's old generation fills with short-lived request objects that outlived two
  // young collections; by default V8 lets it grow up to 4 times its live size before the next
  // full collection (peak RSS 155 – 180 MB at 64 connections). Growing by 30 % at most keeps the
  // peak about 15 MB lower at no measurable cost in requests/s (docs/performance.md).
  setFlagsFromString('--heap-growing-percent=30');
  // With Redis as the store, rate limits live there too and hold across instances.
  const { store, rateLimitRedis } = await openServerStore(given.store);
  // Keys not given are kept beside a SQLite file (the container's /data): made once, then reused.
  const { config, kept } = settleKeys(given);
  const metrics = new Metrics(store);
  const logStream = await openLogStream(config, options.sharedStdout === true);
  const app = await buildApp({ config, store, metrics, logStream, ...(rateLimitRedis ? { rateLimitRedis } : {}) });
  const admin = config.adminPort === null ? null : buildAdminApp(store, metrics, app.audit);
  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    // Idle keep-alive connections are closed now (Fastify's forceCloseConnections: 'idle'); one
    // whose request is still in flight would otherwise stay open for the keep-alive timeout after
    // its answer (10 s, longer than docker stop waits) and hold the exit. Node reads the timeout
    // when each answer ends, so from here on a connection closes as soon as it has answered.
    app.server.keepAliveTimeout = 1;
    // Stop accepting, let requests in flight finish, and only then close the store, so that no
    // request ever meets a half-closed store.
    Promise.all([app.close(), admin?.close()])
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'error during shutdown');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  try {
    await app.listen({ host: config.host, port: config.port });
    if (kept.length > 0) app.log.info({ keys: kept }, 'keys not set in the environment are kept in the data directory');
    if (admin && config.adminPort !== null) {
      const at = await admin.listen({ host: config.adminHost, port: config.adminPort });
      app.log.info({ admin: at }, `Admin listener (metrics, health, audit trail) at ${at}`);
    }
    logStream.flush(); // "listening" is what scripts and supervisors wait for
  } catch (err) {
    await Promise.all([app.close(), admin?.close()]);
    await store.close();
    throw err;
  }
  return { metrics };
}

/** Reads config from the environment (and flags), printing a clear message and exiting 1 when wrong. */
export function configOrExit(env: NodeJS.ProcessEnv, flags: Record<string, string | undefined> = {}): Config {
  try {
    return loadConfig(env, flags);
  } catch (e) {
    process.stderr.write(`hush: configuration error: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
