// Sign-in with the organisation's OpenID Connect provider (HUSH_CREATE=oidc, docs/protocol.md §13):
// GET /auth/login, GET /auth/callback, POST /auth/logout and GET /api/v1/session. Registered only
// with HUSH_CREATE=oidc. What the session allows is decided in guards.ts: creating, nothing else.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/types.js';
import { b64uEncode } from '../protocol/b64u.js';
import { ERROR_STATUS } from '../protocol/api.js';
import { HttpError, rejections, sendError, toHttpError } from './errors.js';
import type { ClientIp } from './client-ip.js';
import type { Limiter } from './limits.js';
import { CALLBACK_PATH, OidcClient } from './oidc.js';
import { Sessions } from './session.js';
import { hasSignIn, type Config } from './config.js';
import { sessionKeyBytes } from './oidc-settings.js';
import { sha256 } from './wire.js';
import { registerUserTokens } from './routes-tokens.js';

export interface AuthDeps {
  publicUrl: string;
  store: Store;
  limiter: Limiter;
  clientIp: ClientIp;
  sessions: Sessions;
  oidc: OidcClient;
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The answer to a browser whose sign-in failed: a small page saying why, with a link to start
 * again (relative links: the server may sit under a path). No script, no inline style.
 */
function refusalPage(err: HttpError): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Hush — sign-in failed</title>
<link rel="stylesheet" href="../assets/style.css">
</head>
<body>
<main>
<h1>Sign-in failed</h1>
<p class="alert" role="alert">${escape(err.message)}</p>
<p><a href="login">Sign in again</a> · <a href="../">Back to Hush</a></p>
</main>
</body>
</html>
`;
}

/** Sends `err` as a page to a browser, as the protocol's JSON error to anything else. */
function refuse(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  let http = err instanceof HttpError ? err : toHttpError(err as Parameters<typeof toHttpError>[0]);
  if (http === null) {
    request.log.error({ err }, 'unexpected error');
    http = new HttpError('unavailable', 'Something went wrong on the server. Try again in a moment.', {}, { status: 500 });
  }
  if (!(request.headers.accept ?? '').includes('text/html')) return sendError(reply, http);
  rejections.set(reply, http.code);
  if (http.retryAfter !== undefined) reply.header('retry-after', String(http.retryAfter));
  return reply.code(http.status ?? ERROR_STATUS[http.code]).type('text/html; charset=utf-8').send(refusalPage(http));
}

const same = (a: string, b: string): boolean => timingSafeEqual(sha256(a), sha256(b));

export function registerAuth(app: FastifyInstance, { publicUrl, store, limiter, clientIp, sessions, oidc }: AuthDeps): void {
  // A session read by a route is sealed again when half its idle time has passed (or cleared when it is no session).
  app.addHook('onSend', (request, reply, payload, done) => {
    sessions.renew(request, reply);
    done(null, payload);
  });

  app.get('/auth/login', async (request, reply) => {
    try {
      const { url, flow } = await oidc.start();
      sessions.startFlow(reply, flow);
      return await reply.redirect(url.href, 302);
    } catch (err) {
      return refuse(request, reply, err);
    }
  });

  app.get(CALLBACK_PATH, async (request, reply) => {
    // The flow cookie is good for one answer, whatever it is.
    sessions.clearFlow(reply);
    const key = clientIp.key(request);
    try {
      // Refusals count as failed reads: a client forging answers is slowed down like one guessing links.
      await limiter.checkFailed(key, request);
      const flow = sessions.readFlow(request);
      if (flow === null) {
        throw new HttpError('invalid_request', 'This sign-in has expired (after 10 minutes), was started in another browser, or was already completed. Sign in again.');
      }
      const at = request.url.indexOf('?');
      const search = at < 0 ? '' : request.url.slice(at);
      const state = new URLSearchParams(search).get('state');
      if (state === null || !same(state, flow.state)) {
        throw new HttpError('invalid_request', 'This sign-in answer does not belong to the sign-in this browser started. Sign in again.');
      }
      // One answer per sign-in, across every instance sharing the store: a replayed callback is refused.
      if (!(await store.useOnce(`oidc-state:${b64uEncode(sha256(flow.state))}`, flow.exp * 1000))) {
        throw new HttpError('invalid_request', 'This sign-in answer was used already. Sign in again.');
      }
      const who = await oidc.finish(search, flow);
      sessions.start(reply, who);
      request.log.info('signed in');
      return await reply.redirect(`${publicUrl}/`, 303);
    } catch (err) {
      if (err instanceof HttpError && err.code !== 'unavailable' && err.code !== 'rate_limited') await limiter.failed(key, request).catch(() => undefined);
      return refuse(request, reply, err);
    }
  });

  app.post('/auth/logout', async (request, reply) => {
    const session = sessions.read(request);
    // Only a page of this server may sign its user out (a cross-site form cannot end the session).
    if (session !== null) sessions.checkCsrf(request, session);
    sessions.clear(reply);
    return reply.code(204).send();
  });

  app.get('/api/v1/session', (request) => {
    const session = sessions.read(request);
    return session === null ? { signedIn: false } : { signedIn: true, email: session.email, csrf: session.csrf, ...(session.lim ? { limits: session.lim } : {}) };
  });
}

/**
 * With HUSH_CREATE=oidc: registers the sign-in routes and returns the sessions the create guards
 * accept; null otherwise. Without HUSH_SESSION_KEY (and no session.key kept beside a SQLite file,
 * src/server/keys.ts) the key is this process's own: sessions end with it.
 */
export function registerSignIn(
  app: FastifyInstance,
  deps: { config: Config; store: Store; now: () => number; limiter: Limiter; clientIp: ClientIp },
): Sessions | null {
  const { config } = deps;
  if (!hasSignIn(config) || config.publicUrl === null) return null;
  if (config.sessionKey === '') app.log.warn('HUSH_SESSION_KEY is not set: sessions are sealed with a key of this process, and end when it does');
  const key = config.sessionKey === '' ? randomBytes(32) : sessionKeyBytes(config.sessionKey, 'HUSH_SESSION_KEY');
  const sessions = new Sessions({ key, publicUrl: config.publicUrl, idle: config.sessionIdle, now: deps.now, tokenTtl: config.userTokenTtl });
  const oidc = new OidcClient(config, deps.now, app.log);
  registerAuth(app, { publicUrl: config.publicUrl, store: deps.store, limiter: deps.limiter, clientIp: deps.clientIp, sessions, oidc });
  registerUserTokens(app, { store: deps.store, limiter: deps.limiter, clientIp: deps.clientIp, sessions, oidc });
  return sessions;
}
