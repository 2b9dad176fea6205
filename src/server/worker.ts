// A cluster worker (HUSH_WORKERS > 1): the process the primary (cluster.ts) forks. It reads no
// settings of its own: it waits for the configuration the primary resolved (the keys filled in,
// no admin listener), then serves exactly as a single process does (serve.ts: serveOne), on the
// public port it shares with the other workers, and answers the primary's requests for its metrics.
import type { Config } from './config.js';
import type { MetricsReply } from './cluster-metrics.js';
import { serveOne } from './serve.js';

/** The primary's first message to a worker. */
export interface ConfigMessage {
  readonly type: 'hush:config';
  readonly config: Config;
}

const isConfig = (m: unknown): m is ConfigMessage => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'hush:config';
const isMetricsRequest = (m: unknown): m is { type: 'hush:metrics'; id: number } =>
  typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'hush:metrics' && typeof (m as { id?: unknown }).id === 'number';

const send = (message: MetricsReply): void => {
  // The primary may be gone or going (its own shutdown): an answer nobody waits for is dropped.
  if (process.connected) process.send?.(message, undefined, undefined, () => undefined);
};

if (process.send === undefined) {
  process.stderr.write('hush: dist/server/worker.js is started by the server itself (HUSH_WORKERS), not by hand\n');
  process.exit(2);
}

const onConfig = (message: unknown): void => {
  if (!isConfig(message)) return;
  process.off('message', onConfig);
  serveOne(message.config, { sharedStdout: true }).then(
    ({ metrics }) => {
      process.on('message', (m: unknown) => {
        if (!isMetricsRequest(m)) return;
        // A collection that fails goes unanswered: the primary leaves this worker out of that
        // scrape rather than take an empty answer for its counts.
        metrics.registry.getMetricsAsJSON().then(
          (json) => send({ type: 'hush:metrics', id: m.id, metrics: json }),
          () => undefined,
        );
      });
    },
    (err: unknown) => {
      process.stderr.write(`hush: worker ${String(process.pid)} could not start: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
};
process.on('message', onConfig);
// Only now, with the listener above in place, may the primary send the configuration.
process.send({ type: 'hush:hello' });
