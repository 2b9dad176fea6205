// HTTP API of requests (docs/protocol.md §7): a requester asks for a secret, the sender answers
// with a response sealed to the requester's public key, the requester picks it up once. Thin:
// validate, call the store once, map the result. Creation passes the same policy, rate limits
// and human check as creating a secret; everything else has the read limits, and every miss
// counts as a failed read.
import { randomBytes } from './random.js';
import type { FastifyInstance } from 'fastify';
import { b64uEncode } from '../protocol/b64u.js';
import { ID_BYTES } from '../protocol/links.js';
import { MIN_RESPONSE_BYTES, REQUEST_TOKEN_BYTES, importPublicKey, isPublicKeyShape } from '../protocol/request.js';
import type {
  CreateRequestBody,
  CreateRequestResponse,
  PickupResponse,
  RequestStatusResponse,
  RequestView,
  RespondBody,
} from '../protocol/api.js';
import { HttpError, REQUEST_GONE_MESSAGE, REQUEST_NOT_FOUND_MESSAGE } from './errors.js';
import type { Guards } from './guards.js';
import { ciphertextBodyLimit } from './body.js';
import type { ApiDeps } from './routes-secrets.js';
import { bearerHeaders, createRequestBody, idParams, respondBody } from './schemas.js';
import { bearerHash, decodeField, iso, serverFull, sha256, tooLarge } from './wire.js';

const notFound = (): HttpError => new HttpError('not_found', REQUEST_NOT_FOUND_MESSAGE);
const gone = (): HttpError => new HttpError('not_found', REQUEST_GONE_MESSAGE);

type IdRoute = { Params: { id: string }; Headers: { authorization?: string } };

export function registerRequests(app: FastifyInstance, deps: ApiDeps, guards: Guards): void {
  const { config, store, now } = deps;
  const { readLimits, miss } = guards;
  const createGuard = guards.create('requests');
  const quota = { maxSecrets: config.maxSecrets, maxBytes: config.maxBytes };

  app.post<{ Body: CreateRequestBody }>(
    '/api/v1/requests',
    { schema: { body: createRequestBody(config) }, onRequest: createGuard.onRequest, preHandler: createGuard.preHandler },
    async (request, reply) => {
      const publicKey = decodeField(request.body.publicKey, 'publicKey');
      const invalidKey = new HttpError('invalid_request', 'publicKey must be an uncompressed P-256 point: 65 bytes starting with 0x04, on the curve');
      if (!isPublicKeyShape(publicKey)) throw invalidKey;
      try {
        await importPublicKey(new Uint8Array(publicKey));
      } catch {
        throw invalidKey;
      }
      const createdAt = now();
      const expiresAt = createdAt + (request.body.ttl ?? config.ttlDefault) * 1000;
      const id = b64uEncode(randomBytes(ID_BYTES));
      const token = randomBytes(REQUEST_TOKEN_BYTES);
      const outcome = await store.createRequest(
        { id, publicKey, note: request.body.note ?? '', tokenHash: sha256(token), createdAt, expiresAt },
        quota,
      );
      if (outcome === 'quota_exceeded') throw serverFull();
      const res: CreateRequestResponse = { id, token: b64uEncode(token), expiresAt: iso(expiresAt) };
      return reply.code(201).send(res);
    },
  );

  // The sender reads the request: its public key, checked against the link's fingerprint by the
  // sender's client, and the note. Changes nothing.
  app.get<IdRoute>('/api/v1/requests/:id', { schema: { params: idParams }, onRequest: readLimits }, async (request) => {
    const info = await store.getRequest(request.params.id, now());
    if (!info) throw await miss(request, notFound());
    const res: RequestView = { publicKey: b64uEncode(info.publicKey), note: info.note, expiresAt: iso(info.expiresAt), state: info.state };
    return res;
  });

  app.post<IdRoute & { Body: RespondBody }>(
    '/api/v1/requests/:id/response',
    { schema: { params: idParams, body: respondBody }, bodyLimit: ciphertextBodyLimit(config.maxSize), onRequest: readLimits },
    async (request, reply) => {
      const ciphertext = decodeField(request.body.ciphertext, 'ciphertext');
      if (ciphertext.length > config.maxSize) throw tooLarge(config.maxSize);
      if (ciphertext.length < MIN_RESPONSE_BYTES || ciphertext[0] !== 4) {
        throw new HttpError('invalid_request', 'ciphertext is not a response: an ephemeral public key followed by a container');
      }
      const outcome = await store.answerRequest(request.params.id, ciphertext, now(), quota);
      if (outcome === 'quota_exceeded') throw serverFull();
      if (outcome === 'not_found') throw await miss(request, notFound());
      return reply.code(201).send({});
    },
  );

  app.get<IdRoute>(
    '/api/v1/requests/:id/status',
    { schema: { params: idParams, headers: bearerHeaders }, onRequest: readLimits },
    async (request) => {
      const info = await store.requestStatus(request.params.id, bearerHash(request), now());
      if (!info) throw await miss(request, gone());
      const res: RequestStatusResponse = { state: info.state, expiresAt: iso(info.expiresAt) };
      return res;
    },
  );

  // A POST, not a GET: it erases the request (the response goes to this caller, once).
  app.post<IdRoute>(
    '/api/v1/requests/:id/pickup',
    { schema: { params: idParams, headers: bearerHeaders }, onRequest: readLimits },
    async (request) => {
      const taken = await store.pickupRequest(request.params.id, bearerHash(request), now());
      if (!taken) throw await miss(request, gone());
      const res: PickupResponse = { ciphertext: b64uEncode(taken.ciphertext) };
      return res;
    },
  );

  app.delete<IdRoute>(
    '/api/v1/requests/:id',
    { schema: { params: idParams, headers: bearerHeaders }, onRequest: readLimits },
    async (request, reply) => {
      if (!(await store.cancelRequest(request.params.id, bearerHash(request), now()))) throw await miss(request, gone());
      return reply.code(204).send();
    },
  );
}
