// Starts the real app on a real port with a real SQLite file in a fresh temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type Config } from '../../src/server/config.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { buildAdminApp } from '../../src/server/admin.js';
import { Metrics } from '../../src/server/metrics.js';
import type { WebhookOptions } from '../../src/server/webhooks.js';

export interface TestServer {
  url: string;
  /** The admin listener, when the overrides gave an adminPort (tests pass 0). */
  adminUrl: string | null;
  app: FastifyInstance;
  store: SqliteStore;
  config: Config;
  dir: string;
  dbPath: string;
  /** Everything the server logged, one JSON line each. */
  logs: string[];
  /** Moves the server's clock (milliseconds added to the real time). */
  advance: (ms: number) => void;
  close: () => Promise<void>;
}

export function tempDir(prefix = 'hush-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startServer(overrides: Partial<Config> = {}, options: { dir?: string; webhookOptions?: WebhookOptions } = {}): Promise<TestServer> {
  const dir = options.dir ?? tempDir();
  const dbPath = join(dir, 'hush.db');
  // Tests opt in to rate limits, challenges and the admin listener; everything else is the default.
  const config = loadConfig({}, {}, { port: 0, store: { kind: 'sqlite', path: dbPath }, logLevel: 'debug', rateLimit: false, challenge: 'off', adminPort: null, ...overrides });
  const store = new SqliteStore(dbPath);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter((l) => l !== ''));
      cb();
    },
  });
  let offset = 0;
  const metrics = new Metrics(store);
  const app = await buildApp({ config, store, logStream, metrics, now: () => Date.now() + offset, ...(options.webhookOptions ? { webhookOptions: options.webhookOptions } : {}) });
  await app.listen({ host: config.host, port: config.port });
  let adminUrl: string | null = null;
  const admin = config.adminPort === null ? null : buildAdminApp(store, metrics);
  if (admin) adminUrl = await admin.listen({ host: config.adminHost, port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  let closed = false;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${String(address.port)}`,
    adminUrl,
    app,
    store,
    config,
    dir,
    dbPath,
    logs,
    advance: (ms) => {
      offset += ms;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      // Test teardown: drop sockets a browser context may still hold open (keep-alive or
      // preconnected), so closing never waits for their timeouts.
      const closing = app.close();
      app.server.closeAllConnections();
      await closing;
      await admin?.close();
      await store.close();
      if (options.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A TCP port free right now on 127.0.0.1 (for a server whose public URL must be known before it listens). */
export async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** `METHOD /path` for every route in Fastify's printRoutes() tree (`:id` params, HEAD left out). */
export function registeredRoutes(tree: string): Set<string> {
  const found = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([\s│├└─]*)(\S.*?) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = Math.round(m[1]!.length / 4);
    stack.length = depth;
    stack[depth] = m[2]!;
    const path = stack.join('').replace(/\/+/g, '/').replace(/^([^/])/, '/$1');
    for (const method of m[3]!.split(', ')) if (method !== 'HEAD') found.add(`${method} ${path}`);
  }
  return found;
}
