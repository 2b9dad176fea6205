// The application factory: builds a Fastify instance from a frozen config and an open store.
// Listening is the caller's business (serve.ts, tests), so the app can be built without a port.
import { timingSafeEqual } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Config } from './config.js';
import type { Store } from '../store/types.js';
import { SECURITY_HEADERS, TURNSTILE_PAGE_POLICY } from './headers.js';
import { registerJsonParser, SMALL_BODY_LIMIT } from './body.js';
import { errorHandler, HttpError, rejections, sendError } from './errors.js';
import { registerSecrets } from './routes-secrets.js';
import { registerEncrypt } from './routes-encrypt.js';
import { makeGuards } from './guards.js';
import { registerSignIn } from './routes-auth.js';
import { sha256 } from './wire.js';
import { registerRequests } from './routes-requests.js';
import { registerPages } from './routes-pages.js';
import { loadStatic } from './static.js';
import { defaultWebRoot } from '../package.js';
import { makeClientIp } from './client-ip.js';
import { registerLimits, type RateLimitRedis } from './limits.js';
import { makeHumanCheck } from './human-check.js';
import { Metrics } from './metrics.js';
import { Webhooks, type WebhookOptions } from './webhooks.js';
import { AuditSealer } from './audit.js';
import { Recipients } from './recipients.js';
import { registerMine } from './routes-me.js';
import { evidenceMaker } from './evidence.js';
import { ReceiptSigner } from './receipts.js';
import { registerOpenApi } from './openapi.js';

export interface AppOptions {
  config: Config;
  store: Store;
  /** Where the built pages are; defaults to dist/web of this package. */
  webRoot?: string;
  /** Where logs go (tests capture them); defaults to stdout. */
  logStream?: { write(line: string): void };
  /** The clock, in Unix milliseconds (tests move it). */
  now?: () => number;
  /** Metrics shared with the admin listener; made here when not given. */
  metrics?: Metrics;
  /** Keep rate-limit counters in this Redis (shared by every instance) instead of in memory. */
  rateLimitRedis?: RateLimitRedis;
  /** Delivery tuning of webhook events (tests shorten the back-off). */
  webhookOptions?: WebhookOptions;
}

/** Timeouts against slow and idle clients, in milliseconds. */
/** Documented in docs/operations.md: 120 s for a whole request lets 10 MiB upload at 1 Mbit/s. */
export const TIMEOUTS = { request: 120_000, headers: 10_000, keepAlive: 10_000, connection: 60_000 } as const;

/** Answers to HTTP the parser refuses before Fastify sees it, by Node's error code: status and message. */
const CLIENT_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  HPE_HEADER_OVERFLOW: [431, 'The request headers are larger than this server accepts (16 KiB in all).'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'The request took too long to arrive.'],
  malformed: [400, 'The HTTP request is malformed.'],
};

/** Batch size of one purge round: bounded so that a purge never holds the store for long. */
export const PURGE_BATCH = 1_000;

/** One access-log line per request, when it completes, instead of Fastify's two. */
class AccessLog extends LogController {
  override incomingRequest(): void {
    // logged once, in requestCompleted
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { req: request, res: reply, ms: Math.round(reply.elapsedTime * 100) / 100 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, store } = options;
  const now = options.now ?? Date.now;
  const metrics = options.metrics ?? new Metrics(store);
  const clientIp = makeClientIp(config.trustedProxies, config.clientIpHeader);
  const logger: FastifyServerOptions['logger'] = {
    level: config.logLevel,
    ...(options.logStream ? { stream: options.logStream } : {}),
    // Log the route pattern, never the raw URL or headers: no ids, no Authorization, no bodies.
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        route: req.routeOptions.url ?? '(no route)',
        remoteAddress: clientIp.address(req),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };

  const app = Fastify({
    logger,
    logController: new AccessLog(),
    // No child logger per request: our lines carry no request id, and making one per request
    // cost more than writing the line.
    childLoggerFactory: (parent) => parent,
    // Slow and idle clients (see docs/operations.md): a whole request must arrive within 120 s,
    // its headers within 10 s; idle keep-alive connections close after 10 s, silent sockets after 60 s.
    requestTimeout: TIMEOUTS.request,
    keepAliveTimeout: TIMEOUTS.keepAlive,
    connectionTimeout: TIMEOUTS.connection,
    // Node checks the header and request timeouts only every connectionsCheckingInterval (30 s by
    // default), so a client trickling headers was cut off after 30-40 s, not the documented 10 s.
    http: { headersTimeout: TIMEOUTS.headers, connectionsCheckingInterval: 1_000 },
    // Small by default: only the routes that carry a ciphertext raise it (body.ts).
    bodyLimit: SMALL_BODY_LIMIT,
    routerOptions: { maxParamLength: 64 },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    requestIdHeader: false,
    return503OnClosing: true,
    // request.ip = the rightmost X-Forwarded-For hop not in the trusted list, when that is the
    // header the operator chose (client-ip.ts).
    trustProxy: clientIp.trustProxy,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    // Errors the router raises before any route or hook runs (an over-long or undecodable path).
    // Fastify's defaults would echo the path and skip our headers.
    frameworkErrors: (err, _request, reply) => {
      reply.headers(SECURITY_HEADERS);
      if (err.code === 'FST_ERR_MAX_PARAM_LENGTH') sendError(reply, new HttpError('not_found', 'There is nothing at this address.'));
      else sendError(reply, new HttpError('invalid_request', 'The address is not valid.'));
    },
    // Malformed HTTP never reaches Fastify; answer it with the same headers, without echoing.
    clientErrorHandler: (err: NodeJS.ErrnoException, socket) => {
      if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
      const [status, message] = CLIENT_ERRORS[err.code ?? ''] ?? CLIENT_ERRORS.malformed!;
      const body = JSON.stringify({ error: { code: 'invalid_request', message } });
      const head = Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(
        `HTTP/1.1 ${String(status)} ${STATUS_CODES[status] ?? ''}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n` +
          `content-length: ${String(Buffer.byteLength(body))}\r\n${head}\r\n${body}`,
      );
    },
  });

  // Security headers on everything, including errors and 404s (set before the body is sent).
  // (Callback-style hooks here and below: an async hook costs a promise per request.)
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.headers(SECURITY_HEADERS);
    done(null, payload);
  });

  // Origin lock: without the shared secret the proxy adds, public routes answer 403.
  if (config.originLock !== '') {
    const expected = sha256(config.originLock);
    app.addHook('onRequest', (request, _reply, done) => {
      const given = request.headers[config.originLockHeader];
      if (typeof given !== 'string' || !timingSafeEqual(sha256(given), expected)) {
        done(new HttpError('unauthorized', 'This server only answers requests that come through its proxy.', {}, { status: 403 }));
        return;
      }
      done();
    });
  }

  app.addHook('onResponse', (request, reply, done) => {
    const code = rejections.get(reply);
    if (code !== undefined) metrics.rejected.inc({ reason: code });
    metrics.duration.observe(
      { route: request.routeOptions.url ?? 'none', method: request.method, status: `${String(Math.floor(reply.statusCode / 100))}xx` },
      reply.elapsedTime / 1000,
    );
    done();
  });

  app.setErrorHandler(errorHandler);
  registerJsonParser(app);
  // Before any route: the OpenAPI generator documents the routes registered after it.
  await registerOpenApi(app);

  const limiter = await registerLimits(app, config, options.rateLimitRedis);
  const webhooks = new Webhooks(config.webhooks, config.webhookSecret, store, app.log, { ...options.webhookOptions, now, metrics });
  // Also with HUSH_AUDIT=off: entries queued before it was turned off are chained, and pruned.
  const audit = new AuditSealer(store, config.auditRetention * 1000, app.log, metrics, now);
  const apiDeps = { config, store, now, limiter, clientIp, metrics, webhooks, humanCheck: makeHumanCheck(config, store), evidence: evidenceMaker(config), receipts: config.audit ? await ReceiptSigner.fromConfig(config) : null, recipients: Recipients.fromConfig(config, app.log) };
  const sessions = registerSignIn(app, apiDeps);
  const guards = makeGuards({ ...apiDeps, sessions });
  if (sessions) registerMine(app, apiDeps, guards, sessions);
  const storeSecret = registerSecrets(app, apiDeps, guards);
  if (config.encryptApi) registerEncrypt(app, apiDeps, guards, storeSecret);
  registerRequests(app, apiDeps, guards);
  registerPages(app, loadStatic(options.webRoot ?? defaultWebRoot()), {
    // Cloudflare's origin in the CSP of the one page that loads its script, and no other.
    createPagePolicy: config.challenge === 'turnstile' ? TURNSTILE_PAGE_POLICY : null,
    ...(config.audit
      ? {
          onReveal: (request: FastifyRequest, id: string) => {
            const ev = apiDeps.evidence(request, 'page');
            if (ev) store.touch(id, now(), ev).catch((err: unknown) => request.log.warn({ reason: (err as Error).name }, 'could not record a page view'));
          },
        }
      : {}),
  });

  // Periodic purge of expired secrets and tombstones, in bounded batches.
  let timer: NodeJS.Timeout | undefined;
  const purge = async (): Promise<void> => {
    try {
      let removed = 0;
      for (;;) {
        const r = await store.purge(now(), PURGE_BATCH, webhooks.enabled);
        if (webhooks.enabled && r.expired > 0) webhooks.nudge();
        removed += r.removed;
        metrics.purged.inc(r.removed);
        metrics.expired.inc(r.expired);
        if (r.removed < PURGE_BATCH) break;
        await new Promise((resolve) => setImmediate(resolve)); // let requests in between batches
      }
      if (removed > 0) app.log.info({ removed }, 'purged expired secrets');
    } catch (err) {
      app.log.error({ err }, 'purge failed');
    }
  };
  app.addHook('onReady', (done) => {
    timer = setInterval(() => void purge(), config.purgeInterval * 1000);
    timer.unref();
    webhooks.start();
    audit.start();
    done();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await Promise.all([webhooks.close(), audit.close()]);
  });
  app.decorate('purgeNow', purge);
  app.decorate('metrics', metrics);
  app.decorate('webhooks', webhooks);
  app.decorate('audit', audit);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Runs one purge cycle now (also runs every `purgeInterval`). */
    purgeNow: () => Promise<void>;
    metrics: Metrics;
    /** Signed read/burn/revoke/expired events to the operator's endpoints (HUSH_WEBHOOKS), from the outbox. */
    webhooks: Webhooks;
    /** Chains queued events onto the operators' audit trail (the admin listener's /audit seals first). */
    audit: AuditSealer;
  }
}
