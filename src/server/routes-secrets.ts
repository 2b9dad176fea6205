// HTTP API of stored secrets (docs/protocol.md §6): info, the proof-of-work challenge, create, peek,
// consume, status and revoke. Thin: validate, call the store once, map the result.
import type { FastifyInstance } from 'fastify';
import { randomBytes } from './random.js';
import { b64uEncode } from '../protocol/b64u.js';
import { MIN_CONTAINER_BYTES } from '../protocol/container.js';
import { ID_BYTES, MANAGE_TOKEN_BYTES } from '../protocol/links.js';
import type { ConsumeRequest, ConsumeResponse, CreateRequest, CreateResponse, PeekResponse, StatusResponse } from '../protocol/api.js';
import type { Evidence, History, Store } from '../store/types.js';
import type { EvidenceOf } from './evidence.js';
import type { ReceiptSigner } from './receipts.js';
import { RECEIPT_KEYS_PATH } from '../protocol/receipt.js';
import { hasSignIn, type Config } from './config.js';
import { HttpError, notFound, sendError } from './errors.js';
import { bearerHeaders, createBody, idParams, readBody } from './schemas.js';
import { VERSION } from '../package.js';
import type { Limiter } from './limits.js';
import type { HumanCheck } from './human-check.js';
import type { ClientIp } from './client-ip.js';
import type { Metrics } from './metrics.js';
import type { Webhooks } from './webhooks.js';
import type { Guards } from './guards.js';
import { bearerHash, decodeField, iso, serverFull, sha256, tooLarge } from './wire.js';
import { ciphertextBodyLimit } from './body.js';
import type { Recipients } from './recipients.js';
import { registerCodes } from './routes-recipients.js';
import type { CreateLimits } from './oidc-settings.js';

/** A number of seconds in the largest whole unit: "2 days", "1 hour", "90 seconds". */
function duration(s: number): string {
  const [n, unit] = s % 86_400 === 0 ? [s / 86_400, 'day'] : s % 3600 === 0 ? [s / 3600, 'hour'] : s % 60 === 0 ? [s / 60, 'minute'] : [s, 'second'];
  return `${String(n)} ${unit}${n === 1 ? '' : 's'}`;
}

/** What the API routes (secrets, requests, the encrypt API) are built from. */
export interface ApiDeps {
  config: Config;
  store: Store;
  now: () => number;
  limiter: Limiter;
  humanCheck: HumanCheck;
  clientIp: ClientIp;
  metrics: Metrics;
  webhooks: Webhooks;
  /** The evidence a request leaves (undefined when HUSH_AUDIT=off). */
  evidence: EvidenceOf;
  /** Signs receipts of a secret's history; null when HUSH_AUDIT=off (there is no history to sign). */
  receipts: ReceiptSigner | null;
  /** Verified recipients (docs/protocol.md §12); null with neither HUSH_SMTP_URL nor sign-in. */
  recipients: Recipients | null;
}

/** Validates and stores one secret; the create route and the encrypt API share it. */
export type StoreSecret = (body: CreateRequest, evidence: Evidence | undefined, owner?: Uint8Array | null, limits?: CreateLimits) => Promise<CreateResponse>;

function makeStoreSecret({ config, store, now, metrics, recipients }: ApiDeps): StoreSecret {
  const quota = { maxSecrets: config.maxSecrets, maxBytes: config.maxBytes };
  return async (body, evidence, owner = null, limits) => {
    if (config.requirePassphrase && !body.passphrase) {
      throw new HttpError('invalid_request', 'This server requires a passphrase on every secret.');
    }
    // The creator's groups (HUSH_OIDC_GROUP_LIMITS): a passphrase required, a shorter longest expiry.
    if (limits?.passphrase === true && !body.passphrase) {
      throw new HttpError('invalid_request', 'Your group must protect every secret with a passphrase. Nothing was stored.');
    }
    if (limits?.ttl !== undefined && body.ttl !== undefined && body.ttl > limits.ttl) {
      throw new HttpError('invalid_request', `Your group may keep a secret at most ${duration(limits.ttl)}: choose a shorter expiry. Nothing was stored.`);
    }
    const ciphertext = decodeField(body.ciphertext, 'ciphertext');
    if (ciphertext.length > config.maxSize) throw tooLarge(config.maxSize);
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
    // Without an expiry asked for, the default, or the group's longest if that is shorter.
    const ttl = body.ttl ?? Math.min(config.ttlDefault, limits?.ttl ?? config.ttlDefault);
    const expiresAt = createdAt + ttl * 1000;
    let notBefore: number | null = null;
    if (body.notBefore !== undefined) {
      notBefore = Date.parse(body.notBefore);
      if (!Number.isFinite(notBefore)) throw new HttpError('invalid_request', 'notBefore is not a valid date-time');
      if (notBefore >= expiresAt) throw new HttpError('invalid_request', 'notBefore must be before the secret expires');
    }
    // Recipients that cannot be enforced are refused, never stored as "anyone with the link".
    if (body.recipients !== undefined && recipients === null) {
      throw new HttpError('invalid_request', 'This server cannot verify recipients: it has neither a mail server (HUSH_SMTP_URL) nor sign-in (HUSH_CREATE=oidc). Nothing was stored.');
    }
    const gate = body.recipients === undefined ? null : recipients!.gate(body.recipients);
    const id = b64uEncode(randomBytes(ID_BYTES));
    const manageBytes = randomBytes(MANAGE_TOKEN_BYTES);
    const views = body.views ?? 1;
    const outcome = await store.create(
      { id, ciphertext, verifier, manageHash: sha256(manageBytes), passphrase, views, createdAt, expiresAt, notBefore, gate, owner },
      quota,
      evidence,
    );
    if (outcome === 'quota_exceeded') throw serverFull();
    metrics.created.inc();
    return { id, manageToken: b64uEncode(manageBytes), expiresAt: iso(expiresAt), views };
  };
}

/** Registers the secret routes; returns the create step for the encrypt API. */
export function registerSecrets(app: FastifyInstance, deps: ApiDeps, guards: Guards): StoreSecret {
  const { config, store, now, humanCheck, metrics, webhooks, evidence, receipts, recipients } = deps;
  const { readLimits, miss } = guards;
  const createGuard = guards.create('secrets');
  const storeSecret = makeStoreSecret(deps);
  // Webhooks on: the store writes each event's outbox row with the change (`notify`), and the
  // delivery loop is woken to send it.
  const notify = webhooks.enabled;
  // Sign-in (§13) is on: a restricted secret's reader may sign in instead of waiting for a mail (§12).
  const signIn = hasSignIn(config);
  const sent = (): void => {
    if (notify) webhooks.nudge();
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
    recipients: recipients !== null,
    // Where `hush login` signs in (docs/protocol.md §13): the provider and its public CLI client, never the server's own.
    ...(config.createPolicy === 'oidc' && config.oidcCliClientId !== '' ? { signIn: { issuer: config.oidcIssuer, cliClientId: config.oidcCliClientId } } : {}),
  }));

  // A fresh proof-of-work challenge (ALTCHA format) when HUSH_CHALLENGE=pow.
  app.get('/api/v1/challenge', async () => humanCheck.issue());

  app.post<{ Body: CreateRequest }>(
    '/api/v1/secrets',
    // Policy and rate limits run before the body is read, so a flood costs little; the human
    // check runs on a valid body only, so a typo does not waste a solved challenge.
    { schema: { body: createBody(config) }, bodyLimit: ciphertextBodyLimit(config.maxSize), onRequest: createGuard.onRequest, preHandler: createGuard.preHandler },
    async (request, reply) => reply.code(201).send(await storeSecret(request.body, evidence(request, 'api'), guards.ownerOf(request), guards.limitsOf(request))),
  );

  app.post<{ Params: { id: string }; Body: ConsumeRequest }>(
    '/api/v1/secrets/:id/peek',
    { schema: { params: idParams, body: readBody }, onRequest: readLimits },
    async (request) => {
      const info = await store.peek(request.params.id, sha256(decodeField(request.body.auth, 'auth')), now(), evidence(request, 'api'));
      if (!info) throw await miss(request, notFound());
      const res: PeekResponse = {
        expiresAt: iso(info.expiresAt),
        viewsLeft: info.viewsLeft,
        passphrase: info.passphrase,
        ...(info.notBefore === null ? {} : { notBefore: iso(info.notBefore) }),
        ...(info.restricted ? { restricted: true, ...(signIn ? { signIn: true } : {}) } : {}),
      };
      return res;
    },
  );

  app.post<{ Params: { id: string }; Body: ConsumeRequest }>(
    '/api/v1/secrets/:id/consume',
    { schema: { params: idParams, body: readBody }, onRequest: readLimits },
    async (request, reply) => {
      const { auth, passphraseProof, code } = request.body;
      const proof = passphraseProof === undefined ? null : sha256(decodeField(passphraseProof, 'passphraseProof'));
      // Without the feature no code can match (a secret made while it was on stays closed).
      const codeHash = code === undefined ? null : (recipients?.codeHash(request.params.id, code) ?? randomBytes(32));
      const result = await store.consume(request.params.id, sha256(decodeField(auth, 'auth')), proof, now(), evidence(request, 'api'), notify, codeHash);
      if (result.ok) {
        metrics.consumed.inc();
        sent();
        const res: ConsumeResponse = { ciphertext: b64uEncode(result.ciphertext), viewsLeft: result.viewsLeft };
        return res;
      }
      switch (result.reason) {
        case 'not_found':
          throw await miss(request, notFound());
        case 'not_yet_available':
          return sendError(
            reply,
            new HttpError('not_yet_available', `This secret can be opened from ${iso(result.notBefore)}.`, { notBefore: iso(result.notBefore) }),
          );
        case 'wrong_passphrase':
          if (result.attemptsLeft <= 0) {
            sent();
            return sendError(reply, await miss(request, new HttpError('not_found', 'Wrong passphrase. That was the last attempt: the secret has been destroyed.')));
          }
          return sendError(
            reply,
            await miss(
              request,
              new HttpError('wrong_passphrase', `Wrong passphrase. ${String(result.attemptsLeft)} attempt(s) left before the secret is destroyed.`, {
                attemptsLeft: result.attemptsLeft,
              }),
            ),
          );
        case 'code_required':
          return sendError(reply, new HttpError('code_required', 'Only the people the sender named can open this secret: ask for a code at your e-mail address first.'));
        case 'wrong_code':
          if (result.attemptsLeft <= 0) {
            sent();
            return sendError(reply, await miss(request, new HttpError('not_found', 'Wrong code. That was the last attempt: the secret has been destroyed.')));
          }
          return sendError(
            reply,
            await miss(request, new HttpError('wrong_code', `Wrong or expired code. ${String(result.attemptsLeft)} attempt(s) left before the secret is destroyed.`, { attemptsLeft: result.attemptsLeft })),
          );
      }
    },
  );

  if (recipients) registerCodes(app, deps, recipients, guards);

  app.get<{ Params: { id: string }; Headers: { authorization?: string } }>(
    '/api/v1/secrets/:id/status',
    { schema: { params: idParams, headers: bearerHeaders }, onRequest: readLimits },
    async (request) => {
      const manageHash = bearerHash(request);
      // With the evidence layer the history answers, also after the secret is gone (for
      // HUSH_AUDIT_RETENTION); a secret made while it was off has none, and the status answers.
      const history = config.audit ? await store.history(request.params.id, manageHash, now()) : null;
      const info = await store.status(request.params.id, manageHash, now());
      const restricted = info?.restricted ? { restricted: true as const } : {};
      if (history) return { ...statusFromHistory(history), ...restricted };
      if (!info) throw await miss(request, notFound());
      const res: StatusResponse = {
        state: info.state,
        viewsLeft: info.viewsLeft,
        expiresAt: iso(info.expiresAt),
        ...(info.consumedAt === null ? {} : { consumedAt: iso(info.consumedAt) }),
        ...restricted,
      };
      return res;
    },
  );

  if (receipts) {
    // A signed receipt of the history (docs/protocol.md §10), for the manage link's holder; the
    // same 404 as a wrong token when there is no history (gone past retention, made with audit off).
    const signer = receipts;
    app.get<{ Params: { id: string }; Headers: { authorization?: string } }>(
      '/api/v1/secrets/:id/receipt',
      { schema: { params: idParams, headers: bearerHeaders }, onRequest: readLimits },
      async (request, reply) => {
        const history = await store.history(request.params.id, bearerHash(request), now());
        if (!history) throw await miss(request, notFound());
        const { text } = await signer.issue({ id: request.params.id, history, issuer: config.publicUrl, issuedAt: now() });
        return reply.type('application/json; charset=utf-8').send(text);
      },
    );
    // The keys receipts are signed with: the current one, then retired ones.
    app.get(RECEIPT_KEYS_PATH, () => signer.wellKnown());
  }

  app.delete<{ Params: { id: string }; Headers: { authorization?: string } }>(
    '/api/v1/secrets/:id',
    { schema: { params: idParams, headers: bearerHeaders }, onRequest: readLimits },
    async (request, reply) => {
      if (!(await store.revoke(request.params.id, bearerHash(request), now(), evidence(request, 'api'), notify))) throw await miss(request, notFound());
      metrics.revoked.inc();
      sent();
      return reply.code(204).send();
    },
  );

  return storeSecret;
}

/** The status answer with its history (docs/protocol.md §9): the v1 fields, then the events. */
export function statusFromHistory(h: History): StatusResponse {
  return {
    state: h.state,
    viewsLeft: h.viewsLeft,
    expiresAt: iso(h.expiresAt),
    ...(h.state === 'consumed' && h.endedAt !== null ? { consumedAt: iso(h.endedAt) } : {}),
    createdAt: iso(h.createdAt),
    endedAt: h.endedAt === null ? null : iso(h.endedAt),
    events: h.events.map((e) => ({ type: e.type, at: iso(e.at), client: e.client })),
    dropped: h.dropped,
  };
}
