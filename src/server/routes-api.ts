// HTTP API of PROTOCOL §6. Thin: validate, call the store once, map the result.
import { randomBytes } from './random.js';
import type { FastifyInstance } from 'fastify';
import { b64uEncode } from '../protocol/b64u.js';
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
import type { HumanCheck } from './human-check.js';
import type { ClientIp } from './client-ip.js';
import type { Metrics } from './metrics.js';
import type { Webhooks, WebhookEventType } from './webhooks.js';
import { bearerHash, decodeField, makeGuards, sha256 } from './guards.js';
import { ciphertextBodyLimit } from './body.js';

const iso = (ms: number): string => new Date(ms).toISOString();

export interface ApiDeps {
  config: Config;
  store: Store;
  now: () => number;
  limiter: Limiter;
  humanCheck: HumanCheck;
  clientIp: ClientIp;
  metrics: Metrics;
  webhooks: Webhooks;
}

export function registerApi(app: FastifyInstance, deps: ApiDeps): void {
  const { config, store, now, limiter, humanCheck, metrics, webhooks } = deps;
  const notify = (type: WebhookEventType, id: string, viewsLeft: number): void => {
    if (webhooks.enabled) webhooks.emit({ type, id, at: iso(now()), viewsLeft });
  };
  const guards = makeGuards(deps);
  const { creatorOf, readLimits, failedRead } = guards;
  const createGuard = guards.create('secrets');

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
    const manageBytes = randomBytes(MANAGE_TOKEN_BYTES);
    const manageToken = b64uEncode(manageBytes);
    const views = body.views ?? 1;
    const outcome = await store.create({
      id,
      ciphertext,
      verifier,
      manageHash: sha256(manageBytes),
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

  app.post<{ Body: CreateRequest }>(
    '/api/v1/secrets',
    // Policy and rate limits run before the body is read, so a flood costs little; the human
    // check runs on a valid body only, so a typo does not waste a solved challenge.
    { schema: { body: createBody(config) }, bodyLimit: ciphertextBodyLimit(config.maxSize), onRequest: createGuard.onRequest, preHandler: createGuard.preHandler },
    async (request, reply) => reply.code(201).send(await storeSecret(request.body)),
  );

  // For integrations that cannot run the protocol themselves (e.g. a database job). Off by
  // default; API tokens only. The server sees the plaintext here: it is encrypted in memory and
  // never logged or stored (the request serializer logs no bodies).
  if (config.encryptApi) {
    // Links carry the configured public URL, never one built from the Host header (loadConfig
    // refuses the encrypt API without it).
    const origin = config.publicUrl;
    if (origin === null) throw new Error('the encrypt API needs HUSH_PUBLIC_URL');
    interface EncryptRequest { message: string; mode: 'stored' | 'stateless'; ttl?: number; expiresAt?: number; views?: number; passphrase?: string }
    app.post<{ Body: EncryptRequest }>(
      '/api/v1/encrypt',
      {
        schema: { body: encryptBody(config) },
        bodyLimit: ciphertextBodyLimit(config.maxSize),
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
      const info = await store.status(request.params.id, bearerHash(request), now());
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
      if (!(await store.revoke(request.params.id, bearerHash(request), now()))) {
        await failedRead(request);
        throw notFound();
      }
      metrics.revoked.inc();
      notify('secret.revoked', request.params.id, 0);
      return reply.code(204).send();
    },
  );
}
