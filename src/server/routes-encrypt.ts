// POST /api/v1/encrypt: the one place where the server sees a plaintext, kept apart so it can be
// audited alone. For integrations that cannot run the protocol themselves (e.g. a database job);
// off by default (HUSH_ENCRYPT_API), API tokens only. The message is sealed in memory with the
// same protocol code as every client and stored like any other secret; it is never logged (the
// request serializer logs no bodies) or stored in the clear.
import type { FastifyInstance } from 'fastify';
import { sealSecret } from '../protocol/secret.js';
import { sealStatelessLink } from '../protocol/stateless.js';
import { formatManageLink, formatSecretLink } from '../protocol/links.js';
import { isProtocolError } from '../protocol/errors.js';
import { HttpError } from './errors.js';
import { encryptBody } from './schemas.js';
import { ciphertextBodyLimit } from './body.js';
import type { Guards } from './guards.js';
import type { ApiDeps, StoreSecret } from './routes-secrets.js';
import { iso } from './wire.js';

interface EncryptRequest {
  message: string;
  mode: 'stored' | 'stateless';
  ttl?: number;
  expiresAt?: number;
  views?: number;
  passphrase?: string;
}

export function registerEncrypt(app: FastifyInstance, { config, now, limiter, evidence }: ApiDeps, guards: Guards, storeSecret: StoreSecret): void {
  // Links carry the configured public URL, never one built from the Host header (loadConfig
  // refuses the encrypt API without it).
  const origin = config.publicUrl;
  if (origin === null) throw new Error('the encrypt API needs HUSH_PUBLIC_URL');
  app.post<{ Body: EncryptRequest }>(
    '/api/v1/encrypt',
    {
      schema: { body: encryptBody(config) },
      bodyLimit: ciphertextBodyLimit(config.maxSize),
      onRequest: async (request) => {
        const creator = request.headers.authorization === undefined ? null : guards.creatorOf(request);
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
      const created = await storeSecret({ ...sealed.body, ttl, views: views ?? 1 }, evidence(request, 'api'));
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
