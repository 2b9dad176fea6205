// The checks that routes share: who may create (policy, API token, authenticating proxy) with the
// create rate limits and the human check; the read limits, with failed reads counted apart; and
// the decoding of base64url fields and bearer tokens. Secrets and requests use the same ones.
import { hash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { b64uDecode } from '../protocol/b64u.js';
import type { Config } from './config.js';
import { HttpError } from './errors.js';
import type { Limiter } from './limits.js';
import { CHALLENGE_HEADER, type HumanCheck } from './human-check.js';
import type { ClientIp } from './client-ip.js';

/** SHA-256 in one call (no Hash object: about 0.5 µs less per token). */
export const sha256 = (data: Uint8Array): Buffer => hash('sha256', data, 'buffer');

/** Decodes a base64url field the schema has already shaped; non-canonical text is a 400. */
export function decodeField(value: string, name: string): Uint8Array {
  try {
    return b64uDecode(value);
  } catch {
    throw new HttpError('invalid_request', `${name} is not canonical base64url`);
  }
}

/**
 * The 32-byte token from `Authorization: Bearer …` (a manage token, a request token), hashed; a
 * missing or malformed one hashes a dummy, so it takes the same path as a wrong token.
 */
export function bearerHash(request: FastifyRequest): Uint8Array {
  const m = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(request.headers.authorization ?? '');
  let token: Uint8Array = new Uint8Array(32);
  if (m) {
    try {
      token = b64uDecode(m[1]!);
    } catch {
      // keep the dummy: answers 404 like any other wrong token
    }
  }
  return sha256(token);
}

/** Who is creating: an API token holder, a user vouched for by the authenticating proxy, or anyone. */
export type Creator = { kind: 'token'; key: string } | { kind: 'identity' } | { kind: 'anonymous' };

export interface GuardDeps {
  config: Config;
  limiter: Limiter;
  humanCheck: HumanCheck;
  clientIp: ClientIp;
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
  /** Counts one failed read (wrong link, wrong token, missing id). */
  failedRead: Hook;
}

const CREATOR = Symbol('hush.creator');
type WithCreator = FastifyRequest & { [CREATOR]?: Creator };

export function makeGuards({ config, limiter, humanCheck, clientIp }: GuardDeps): Guards {
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
      const m = /^Bearer (\S{1,512})$/.exec(auth);
      const key = m ? tokenKey(m[1]!) : null;
      if (key === null) throw new HttpError('unauthorized', 'The API token is not valid.');
      return { kind: 'token', key };
    }
    const identity = request.headers[config.identityHeader];
    if (config.createPolicy === 'identity' && clientIp.trusted(request.socket.remoteAddress ?? '') && typeof identity === 'string' && identity !== '') {
      return { kind: 'identity' };
    }
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
      (request as WithCreator)[CREATOR] = creator;
      if (creator.kind === 'token') await limiter.hit('token', creator.key, request);
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
  const failedRead = (request: FastifyRequest): Promise<void> => limiter.failed(clientIp.key(request), request);

  return { creatorOf, create, readLimits, failedRead };
}
