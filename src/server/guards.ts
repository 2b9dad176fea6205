// The checks that routes share: who may create (policy, API token, personal API token, authenticating
// proxy, sign-in session with its CSRF check) with the create rate limits and the human check; the read limits, with failed reads counted apart.
// Secrets and requests use the same ones.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Config } from './config.js';
import { HttpError } from './errors.js';
import type { Limiter } from './limits.js';
import { CHALLENGE_HEADER, type HumanCheck } from './human-check.js';
import type { ClientIp } from './client-ip.js';
import { sha256 } from './wire.js';
import type { Session, Sessions } from './session.js';
import { USER_TOKEN_PREFIX } from './user-tokens.js';
import type { CreateLimits } from './oidc-settings.js';

/**
 * Who is creating: an operator's API token holder, a user vouched for by the authenticating proxy, a
 * signed-in user or the holder of their personal API token (HUSH_CREATE=oidc), or anyone.
 */
export type Creator =
  | { kind: 'token'; key: string }
  | { kind: 'identity' }
  | { kind: 'session'; session: Session }
  | { kind: 'user'; sub: string; email: string; lim?: CreateLimits | undefined }
  | { kind: 'anonymous' };

export interface GuardDeps {
  config: Config;
  limiter: Limiter;
  humanCheck: HumanCheck;
  clientIp: ClientIp;
  /** The sign-in sessions (HUSH_CREATE=oidc); null otherwise. */
  sessions?: Sessions | null;
}

type Hook = (request: FastifyRequest) => Promise<void>;

export interface Guards {
  /** Throws 401 for an Authorization header that is not a configured API token. */
  creatorOf: (request: FastifyRequest) => Creator;
  /**
   * The hooks of a create route for `what` ("secrets", "requests"): `onRequest` checks the create
   * policy and counts the create (or token) rate limit before the body is read, so a flood costs
   * little; `preHandler` runs the human check for anonymous creators, on a valid body only, so a
   * typo does not waste a solved challenge.
   */
  create: (what: string) => { onRequest: Hook; preHandler: Hook };
  /** onRequest of a read: refuses a client over its failed-read limit, and counts one read. */
  readLimits: Hook;
  /**
   * A read that found nothing (wrong link, wrong token, missing id, all alike): counts the failed
   * read and gives the error to throw, `throw await miss(request, notFound())`.
   */
  miss: (request: FastifyRequest, error: HttpError) => Promise<HttpError>;
  /**
   * After `create`'s onRequest: the key the request's creator files secrets under ("My secrets",
   * Store.owned) — a signed-in person's, by session, or by personal API token within a create (its
   * only scope); null for API tokens of the operator, proxies, anonymous.
   */
  ownerOf: (request: FastifyRequest) => Uint8Array | null;
  /**
   * The verified address of a reader signed in with this browser (a recipient, docs/protocol.md
   * §12), when the request comes from a page of this server (its Origin header); else null.
   */
  signedInAs: (request: FastifyRequest) => string | null;
  /** What the creator's groups limit (HUSH_OIDC_GROUP_LIMITS): a signed-in person's, or a personal token's. */
  limitsOf: (request: FastifyRequest) => CreateLimits | undefined;
}

const CREATOR = Symbol('hush.creator');
type WithCreator = FastifyRequest & { [CREATOR]?: Creator };

export function makeGuards({ config, limiter, humanCheck, clientIp, sessions = null }: GuardDeps): Guards {
  const tokenHashes = config.apiTokens.map((h) => Buffer.from(h, 'hex'));

  /** Compares against every configured hash (fixed length, constant time, no early exit). */
  const tokenKey = (token: string): string | null => {
    const given = sha256(Buffer.from(token, 'utf8'));
    let match: string | null = null;
    for (const h of tokenHashes) if (timingSafeEqual(h, given)) match = h.toString('hex').slice(0, 16);
    return match;
  };

  const creatorOf = (request: FastifyRequest): Creator => {
    const auth = request.headers.authorization;
    if (auth !== undefined) {
      const bearer = /^Bearer (\S{1,2048})$/.exec(auth)?.[1];
      // A personal token (user-tokens.ts) is told apart by its prefix; no operator token is refused for having it.
      const user = bearer === undefined ? null : (sessions?.tokens.read(bearer) ?? null);
      if (user !== null) return { kind: 'user', sub: user.sub, email: user.email, lim: user.lim };
      const key = bearer !== undefined && bearer.length <= 512 ? tokenKey(bearer) : null;
      if (key !== null) return { kind: 'token', key };
      if (sessions !== null && bearer?.startsWith(USER_TOKEN_PREFIX) === true) {
        throw new HttpError('unauthorized', 'This personal API token is not valid: it has expired, or the server was given a new session key since it was made. Make a new one (hush login, or "Make an API token" on the page).');
      }
      throw new HttpError('unauthorized', 'The API token is not valid.');
    }
    const identity = request.headers[config.identityHeader];
    if (config.createPolicy === 'identity' && clientIp.trusted(request.socket.remoteAddress ?? '') && typeof identity === 'string' && identity !== '') {
      return { kind: 'identity' };
    }
    const session = sessions?.read(request) ?? null;
    if (session !== null) return { kind: 'session', session };
    return { kind: 'anonymous' };
  };

  const create = (what: string): { onRequest: Hook; preHandler: Hook } => ({
    onRequest: async (request) => {
      if (config.createPolicy === 'off') {
        throw new HttpError('unauthorized', `Creating ${what} is switched off on this server. Existing links still open.`);
      }
      const creator = creatorOf(request);
      if (config.createPolicy === 'token' && creator.kind !== 'token') {
        throw new HttpError('unauthorized', `This server only accepts ${what} from holders of an API token.`);
      }
      if (config.createPolicy === 'identity' && creator.kind === 'anonymous') {
        throw new HttpError('unauthorized', `Sign in through this server's login page first: creating ${what} needs an authenticated user.`);
      }
      if (config.createPolicy === 'oidc' && creator.kind === 'anonymous') {
        throw new HttpError('unauthorized', `Sign in first at ${config.publicUrl ?? ''}/auth/login: creating ${what} on this server needs a signed-in user (or an API token).`);
      }
      // The cookie comes with every request the browser makes, whoever made the page: a change it authorises must prove it comes from our page.
      if (creator.kind === 'session') sessions?.checkCsrf(request, creator.session);
      (request as WithCreator)[CREATOR] = creator;
      if (creator.kind === 'token') await limiter.hit('token', creator.key, request);
      else if (creator.kind === 'user' && sessions) await limiter.hit('token', sessions.tokens.limitKey(creator.sub), request);
      else await limiter.hit('create', clientIp.key(request), request);
    },
    preHandler: async (request) => {
      if ((request as WithCreator)[CREATOR]?.kind !== 'anonymous') return;
      const header = request.headers[CHALLENGE_HEADER];
      await humanCheck.verify(typeof header === 'string' ? header : undefined, clientIp.address(request));
    },
  });

  // Reads: a per-client limit on all reads, and a separate, smaller one on failed reads.
  const readLimits = async (request: FastifyRequest): Promise<void> => {
    const key = clientIp.key(request);
    await limiter.checkFailed(key, request);
    await limiter.hit('read', key, request);
  };
  const miss = async (request: FastifyRequest, error: HttpError): Promise<HttpError> => {
    await limiter.failed(clientIp.key(request), request);
    return error;
  };

  const ownerOf = (request: FastifyRequest): Uint8Array | null => {
    const created = (request as WithCreator)[CREATOR];
    const creator = created ?? creatorOf(request);
    if (sessions === null) return null;
    if (creator.kind === 'session') return sessions.ownerKey(creator.session.sub);
    // A personal token files what it creates under its person's key (the CLI's secrets are in "My
    // secrets" too), and its scope is creating: outside a create it is nobody's owner key.
    return creator.kind === 'user' && created !== undefined ? sessions.ownerKey(creator.sub) : null;
  };

  const signedInAs = (request: FastifyRequest): string | null => {
    if (sessions === null || request.headers.origin !== sessions.origin) return null;
    return sessions.read(request)?.email ?? null;
  };

  const limitsOf = (request: FastifyRequest): CreateLimits | undefined => {
    const creator = (request as WithCreator)[CREATOR] ?? creatorOf(request);
    return creator.kind === 'session' ? creator.session.lim : creator.kind === 'user' ? creator.lim : undefined;
  };

  return { creatorOf, create, readLimits, miss, ownerOf, signedInAs, limitsOf };
}
