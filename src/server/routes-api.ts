// HTTP API of PROTOCOL §6. Thin: validate, call the store once, map the result.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { b64uDecode, b64uEncode } from '../protocol/b64u.js';
import { MIN_CONTAINER_BYTES } from '../protocol/container.js';
import { ID_BYTES, MANAGE_TOKEN_BYTES } from '../protocol/links.js';
import type {
  ConsumeRequest,
  ConsumeResponse,
  CreateRequest,
  CreateResponse,
  PeekResponse,
  StatusResponse,
} from '../protocol/api.js';
import type { Store } from '../store/types.js';
import type { Config } from './config.js';
import { HttpError, notFound, sendError } from './errors.js';
import { bearerHeaders, createBody, encryptBody, idParams, readBody } from './schemas.js';
import { sealSecret } from '../protocol/secret.js';
import { sealStatelessLink } from '../protocol/stateless.js';
import { formatManageLink, formatSecretLink } from '../protocol/links.js';
import { isProtocolError } from '../protocol/errors.js';
import { VERSION } from './version.js';
import type { Limiter } from './limits.js';
import { CHALLENGE_HEADER, type HumanCheck } from './human-check.js';
import { clientAddress, clientKey, type TrustFn } from './client-ip.js';
import type { Metrics } from './metrics.js';
import type { Webhooks, WebhookEventType } from './webhooks.js';

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();
const iso = (ms: number): string => new Date(ms).toISOString();

/** Decodes a base64url field the schema has already shaped; non-canonical text is a 400. */
function decodeField(value: string, name: string): Uint8Array {
  try {
    return b64uDecode(value);
  } catch {
    throw new HttpError('invalid_request', `${name} is not canonical base64url`);
  }
}

/** The manage token from `Authorization: Bearer …`, hashed; a missing or malformed one hashes a dummy, same path. */
function manageHash(request: FastifyRequest<{ Headers: { authorization?: string } }>): Uint8Array {
  const m = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(request.headers.authorization ?? '');
  let token: Uint8Array = new Uint8Array(MANAGE_TOKEN_BYTES);
  if (m) {
    try {
      token = b64uDecode(m[1]!);
    } catch {
      // keep the dummy: answers 404 like any other wrong token
    }
  }
  return sha256(token);
}

export interface ApiDeps {
  config: Config;
  store: Store;
  now: () => number;
  limiter: Limiter;
  humanCheck: HumanCheck;
  trust: TrustFn;
  metrics: Metrics;
  webhooks: Webhooks;
}

/** Who is creating: an API token holder, a user vouched for by the authenticating proxy, or anyone. */
type Creator = { kind: 'token'; key: string } | { kind: 'identity' } | { kind: 'anonymous' };

export function registerApi(app: FastifyInstance, deps: ApiDeps): void {
  const { config, store, now, limiter, humanCheck, trust, metrics, webhooks } = deps;
  const notify = (type: WebhookEventType, id: string, viewsLeft: number): void => {
    if (webhooks.enabled) webhooks.emit({ type, id, at: iso(now()), viewsLeft });
  };
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
    if (config.createPolicy === 'identity' && trust(request.socket.remoteAddress ?? '') && typeof identity === 'string' && identity !== '') {
      return { kind: 'identity' };
    }
    return { kind: 'anonymous' };
  };

  /** Validates and stores one secret (create route and the encrypt API share it). */
  const storeSecret = async (body: CreateRequest): Promise<CreateResponse> => {
    if (config.requirePassphrase && !body.passphrase) {
      throw new HttpError('invalid_request', 'This server requires a passphrase on every secret.');
    }
    const ciphertext = decodeField(body.ciphertext, 'ciphertext');
    if (ciphertext.length > config.maxSize) {
      throw new HttpError('payload_too_large', `The secret is larger than this server accepts (${String(config.maxSize)} bytes encrypted).`);
    }
    if (ciphertext.length < MIN_CONTAINER_BYTES) throw new HttpError('invalid_request', 'ciphertext is too short to be a container');
    const verifier = decodeField(body.verifier, 'verifier');
    let passphrase = null;
    if (body.passphrase) {
      decodeField(body.passphrase.salt, 'passphrase.salt');
      passphrase = {
        salt: body.passphrase.salt,
        iterations: body.passphrase.iterations,
        verifier: decodeField(body.passphrase.verifier, 'passphrase.verifier'),
        attempts: config.passphraseAttempts,
      };
    }
    const createdAt = now();
    const ttl = body.ttl ?? config.ttlDefault;
    const expiresAt = createdAt + ttl * 1000;
    let notBefore: number | null = null;
    if (body.notBefore !== undefined) {
      notBefore = Date.parse(body.notBefore);
      if (!Number.isFinite(notBefore)) throw new HttpError('invalid_request', 'notBefore is not a valid date-time');
      if (notBefore >= expiresAt) throw new HttpError('invalid_request', 'notBefore must be before the secret expires');
    }
    const id = b64uEncode(randomBytes(ID_BYTES));
    const manageToken = b64uEncode(randomBytes(MANAGE_TOKEN_BYTES));
    const views = body.views ?? 1;
    const outcome = await store.create({
      id,
      ciphertext,
      verifier,
      manageHash: sha256(Buffer.from(b64uDecode(manageToken))),
      passphrase,
      views,
      createdAt,
      expiresAt,
      notBefore,
    }, { maxSecrets: config.maxSecrets, maxBytes: config.maxBytes });
    if (outcome === 'quota_exceeded') {
      throw new HttpError('quota_exceeded', 'This server is full right now. Try again later, or ask its operator to raise the quota.', {}, { retryAfter: 60 });
    }
    metrics.created.inc();
    const res: CreateResponse = { id, manageToken, expiresAt: iso(expiresAt), views };
    return res;
  };

  app.get('/api/v1/info', () => ({
    version: VERSION,
    publicUrl: config.publicUrl,
    limits: {
      maxSize: config.maxSize,
      ttlMin: config.ttlMin,
      ttlMax: config.ttlMax,
      ttlDefault: config.ttlDefault,
      maxViews: config.maxViews,
    },
    policy: { create: config.createPolicy, requirePassphrase: config.requirePassphrase, passphraseAttempts: config.passphraseAttempts },
    challenge: humanCheck.info,
  }));

  // A fresh proof-of-work challenge (ALTCHA format) when HUSH_CHALLENGE=pow.
  app.get('/api/v1/challenge', async () => humanCheck.issue());

  const createKey = Symbol('creator');
  type WithCreator = FastifyRequest & { [createKey]?: Creator };

  app.post<{ Body: CreateRequest }>(
    '/api/v1/secrets',
    {
      schema: { body: createBody(config) },
      // Policy and rate limits run before the body is read, so a flood costs little.
      onRequest: async (request) => {
        if (config.createPolicy === 'off') {
          throw new HttpError('unauthorized', 'Creating secrets is switched off on this server. Existing links still open.');
        }
        const creator = creatorOf(request);
        if (config.createPolicy === 'token' && creator.kind !== 'token') {
          throw new HttpError('unauthorized', 'This server only accepts secrets from holders of an API token.');
        }
        if (config.createPolicy === 'identity' && creator.kind === 'anonymous') {
          throw new HttpError('unauthorized', 'Sign in through this server\'s login page first: creating secrets needs an authenticated user.');
        }
        (request as WithCreator)[createKey] = creator;
        if (creator.kind === 'token') await limiter.hit('token', creator.key, request);
        else await limiter.hit('create', clientKey(request, trust), request);
      },
      // The human check runs on a valid body only, so a typo does not waste a solved challenge.
      preHandler: async (request) => {
        if ((request as WithCreator)[createKey]?.kind !== 'anonymous') return;
        const header = request.headers[CHALLENGE_HEADER];
        await humanCheck.verify(typeof header === 'string' ? header : undefined, clientAddress(request, trust));
      },
    },
    async (request, reply) => reply.code(201).send(await storeSecret(request.body)),
  );

  // For integrations that cannot run the protocol themselves (e.g. a database job). Off by
  // default; API tokens only. The server sees the plaintext here: it is encrypted in memory and
  // never logged or stored (the request serializer logs no bodies).
  if (config.encryptApi) {
    interface EncryptRequest { message: string; mode: 'stored' | 'stateless'; ttl?: number; expiresAt?: number; views?: number; passphrase?: string }
    app.post<{ Body: EncryptRequest }>(
      '/api/v1/encrypt',
      {
        schema: { body: encryptBody(config) },
        onRequest: async (request) => {
          const creator = request.headers.authorization === undefined ? null : creatorOf(request);
          if (creator?.kind !== 'token') throw new HttpError('unauthorized', 'This endpoint needs an API token (Authorization: Bearer …).');
          await limiter.hit('token', creator.key, request);
        },
      },
      async (request) => {
        const { message, mode, views, passphrase } = request.body;
        const nowSec = Math.floor(now() / 1000);
        if (request.body.ttl !== undefined && request.body.expiresAt !== undefined) throw new HttpError('invalid_request', 'Give ttl or expiresAt, not both.');
        const ttl = request.body.expiresAt !== undefined ? request.body.expiresAt - nowSec : (request.body.ttl ?? config.ttlDefault);
        if (ttl < config.ttlMin || ttl > config.ttlMax) {
          throw new HttpError('invalid_request', `The expiry must lie between ${String(config.ttlMin)} s and ${String(config.ttlMax)} s from now.`);
        }
        const origin = config.publicUrl ?? `${request.protocol}://${request.host}`;
        const expiresAt = nowSec + ttl;
        if (mode === 'stateless') {
          if (views !== undefined && views !== 1) throw new HttpError('invalid_request', 'A stateless link cannot count views; leave views out.');
          try {
            const link = await sealStatelessLink(origin, { message, expiresAt, ...(passphrase === undefined ? {} : { passphrase }) });
            return { mode, link, expiresAt: iso(expiresAt * 1000) };
          } catch (e) {
            if (isProtocolError(e, 'invalid_input')) throw new HttpError('payload_too_large', e.message);
            throw e;
          }
        }
        const sealed = await sealSecret({ message, expiresAt, ...(passphrase === undefined ? {} : { passphrase }) });
        const created = await storeSecret({ ...sealed.body, ttl, views: views ?? 1 });
        return {
          mode,
          link: formatSecretLink(origin, created.id, sealed.key),
          manageLink: formatManageLink(origin, created.id, created.manageToken),
          expiresAt: created.expiresAt,
          views: created.views,
        };
      },
    );
  }

  // Reads: a per-client limit on all reads, and a separate, smaller one on failed reads.
  const readLimits = async (request: FastifyRequest): Promise<void> => {
    const key = clientKey(request, trust);
    await limiter.checkFailed(key, request);
    await limiter.hit('read', key, request);
  };
  const failedRead = (request: FastifyRequest): Promise<void> => limiter.failed(clientKey(request, trust), request);

  app.post<{ Params: { id: string }; Body: ConsumeRequest }>(
    '/api/v1/secrets/:id/peek',
    { schema: { params: idParams, body: readBody }, onRequest: readLimits },
    async (request) => {
      const info = await store.peek(request.params.id, sha256(decodeField(request.body.auth, 'auth')), now());
      if (!info) {
        await failedRead(request);
        throw notFound();
      }
      const res: PeekResponse = {
        expiresAt: iso(info.expiresAt),
        viewsLeft: info.viewsLeft,
        passphrase: info.passphrase,
        ...(info.notBefore === null ? {} : { notBefore: iso(info.notBefore) }),
      };
      return res;
    },
  );

  app.post<{ Params: { id: string }; Body: ConsumeRequest }>(
    '/api/v1/secrets/:id/consume',
    { schema: { params: idParams, body: readBody }, onRequest: readLimits },
    async (request, reply) => {
      const { auth, passphraseProof } = request.body;
      const proof = passphraseProof === undefined ? null : sha256(decodeField(passphraseProof, 'passphraseProof'));
      const result = await store.consume(request.params.id, sha256(decodeField(auth, 'auth')), proof, now());
      if (result.ok) {
        metrics.consumed.inc();
        notify('secret.read', request.params.id, result.viewsLeft);
        const res: ConsumeResponse = { ciphertext: b64uEncode(result.ciphertext), viewsLeft: result.viewsLeft };
        return res;
      }
      if (result.reason !== 'not_yet_available') await failedRead(request);
      switch (result.reason) {
        case 'not_found':
          throw notFound();
        case 'not_yet_available':
          return sendError(
            reply,
            new HttpError('not_yet_available', `This secret can be opened from ${iso(result.notBefore)}.`, { notBefore: iso(result.notBefore) }),
          );
        case 'wrong_passphrase':
          if (result.attemptsLeft <= 0) {
            notify('secret.burned', request.params.id, 0);
            return sendError(reply, new HttpError('not_found', 'Wrong passphrase. That was the last attempt: the secret has been destroyed.'));
          }
          return sendError(
            reply,
            new HttpError('wrong_passphrase', `Wrong passphrase. ${String(result.attemptsLeft)} attempt(s) left before the secret is destroyed.`, {
              attemptsLeft: result.attemptsLeft,
            }),
          );
      }
    },
  );

  app.get<{ Params: { id: string }; Headers: { authorization?: string } }>(
    '/api/v1/secrets/:id/status',
    { schema: { params: idParams, headers: bearerHeaders }, onRequest: readLimits },
    async (request) => {
      const info = await store.status(request.params.id, manageHash(request), now());
      if (!info) {
        await failedRead(request);
        throw notFound();
      }
      const res: StatusResponse = {
        state: info.state,
        viewsLeft: info.viewsLeft,
        expiresAt: iso(info.expiresAt),
        ...(info.consumedAt === null ? {} : { consumedAt: iso(info.consumedAt) }),
      };
      return res;
    },
  );

  app.delete<{ Params: { id: string }; Headers: { authorization?: string } }>(
    '/api/v1/secrets/:id',
    { schema: { params: idParams, headers: bearerHeaders }, onRequest: readLimits },
    async (request, reply) => {
      if (!(await store.revoke(request.params.id, manageHash(request), now()))) {
        await failedRead(request);
        throw notFound();
      }
      metrics.revoked.inc();
      notify('secret.revoked', request.params.id, 0);
      return reply.code(204).send();
    },
  );
}
