// POST /api/v1/me/tokens (docs/protocol.md §13): a signed-in person makes a personal API token
// (user-tokens.ts). Two ways to prove who one is:
// - the page: the session cookie with its x-hush-csrf value (the cookie comes with any request the
//   browser makes, so the CSRF check applies as for a create);
// - the CLI (`hush login`): `Authorization: Bearer <ID token>` that the provider issued to
//   HUSH_OIDC_CLI_CLIENT_ID by the device authorization grant, checked here (oidc.ts
//   verifyIdToken) and taken once: the same ID token cannot make a second personal token.
// A personal token cannot make another one (it is not an ID token): a stolen one ends at its expiry.
// Registered only with HUSH_CREATE=oidc.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { b64uEncode } from '../protocol/b64u.js';
import type { Store } from '../store/types.js';
import type { ClientIp } from './client-ip.js';
import { HttpError } from './errors.js';
import type { Limiter } from './limits.js';
import type { Identity, OidcClient } from './oidc.js';
import type { Sessions } from './session.js';
import { sha256 } from './wire.js';

export const USER_TOKENS_PATH = '/api/v1/me/tokens';
/** `Bearer` and a JWS in compact form (a provider's ID tokens are 1-2 KB; 8 KB at most here). */
const ID_TOKEN_BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
const MAX_ID_TOKEN = 8192;

export interface TokenRouteDeps {
  store: Store;
  limiter: Limiter;
  clientIp: ClientIp;
  sessions: Sessions;
  oidc: OidcClient;
}

export function registerUserTokens(app: FastifyInstance, { store, limiter, clientIp, sessions, oidc }: TokenRouteDeps): void {
  /** Who the ID token in `authorization` names; every refusal counts as a failed read of the client. */
  const fromIdToken = async (request: FastifyRequest, authorization: string): Promise<Identity> => {
    const key = clientIp.key(request);
    await limiter.checkFailed(key, request);
    try {
      const m = authorization.length <= MAX_ID_TOKEN + 7 ? ID_TOKEN_BEARER.exec(authorization) : null;
      if (m === null) {
        throw new HttpError('unauthorized', 'Authorization must be "Bearer" and an ID token of the sign-in provider (hush login sends it), or send none and sign in in the browser.');
      }
      const who = await oidc.verifyIdToken(m[1]!);
      // One personal token per ID token, across every instance sharing the store.
      if (!(await store.useOnce(`oidc-id-token:${b64uEncode(sha256(m[1]!))}`, who.exp * 1000))) {
        throw new HttpError('unauthorized', 'This ID token was used already. Run hush login again.');
      }
      return who;
    } catch (err) {
      if (err instanceof HttpError && err.code === 'unauthorized') await limiter.failed(key, request).catch(() => undefined);
      throw err;
    }
  };

  app.post(USER_TOKENS_PATH, async (request, reply) => {
    const authorization = request.headers.authorization;
    let who: Identity;
    if (authorization !== undefined) {
      who = await fromIdToken(request, authorization);
    } else {
      const session = sessions.read(request);
      if (session === null) throw new HttpError('unauthorized', 'Sign in first: a personal API token is made by a signed-in person (or by hush login).');
      sessions.checkCsrf(request, session);
      who = { sub: session.sub, email: session.email, limits: session.lim };
    }
    // Making a token counts as a create of this client.
    await limiter.hit('create', clientIp.key(request), request);
    const issued = sessions.tokens.issue(who);
    request.log.info('personal API token made');
    return reply.code(201).send(issued);
  });
}
