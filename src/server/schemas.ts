// JSON schemas of every body, parameter and header the API reads (docs/protocol.md §6), and of every
// answer it sends (for the OpenAPI document only: see openapi.ts). Every size and bound comes from the
// protocol module: the server checks what the clients produce.
import { ERROR_STATUS } from '../protocol/api.js';
import { b64uLength } from '../protocol/b64u.js';
import { MIN_CONTAINER_BYTES } from '../protocol/container.js';
import { KEY_BYTES, MAX_ITERATIONS, MIN_ITERATIONS, SALT_BYTES } from '../protocol/keys.js';
import { ID_BYTES, MANAGE_TOKEN_BYTES } from '../protocol/links.js';
import { MAX_NOTE_LENGTH, MIN_RESPONSE_BYTES, PUBLIC_KEY_BYTES, REQUEST_TOKEN_BYTES } from '../protocol/request.js';
import type { Config } from './config.js';
import { CODE_PATTERN, MAX_RECIPIENTS } from '../protocol/recipients.js';
import { CLIENT_CLASSES, EVENT_TYPES, MAX_EVENTS_PER_SECRET } from '../store/types.js';

/** Canonical-length base64url of `bytes` bytes (canonical bits are checked when decoded). */
const b64u = (bytes: number) => ({ type: 'string', pattern: `^[A-Za-z0-9_-]{${String(b64uLength(bytes))}}$` }) as const;
/** Verifiers, read tokens and passphrase proofs: SHA-256 sized, like the link key. */
const TOKEN = b64u(KEY_BYTES);
/** Base64url of any length from `minBytes` on; the size limit is checked after decoding, to answer 413 rather than 400. */
const b64uAtLeast = (minBytes: number) => ({ type: 'string', pattern: '^[A-Za-z0-9_-]+$', minLength: b64uLength(minBytes) }) as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: b64u(ID_BYTES) },
} as const;

export const bearerHeaders = {
  type: 'object',
  properties: { authorization: { type: 'string', maxLength: 200 } },
} as const;

export function createBody(config: Config) {
  return {
    type: 'object',
    required: ['ciphertext', 'verifier'],
    additionalProperties: false,
    properties: {
      ciphertext: b64uAtLeast(MIN_CONTAINER_BYTES),
      verifier: TOKEN,
      ttl: { type: 'integer', minimum: config.ttlMin, maximum: config.ttlMax },
      views: { type: 'integer', minimum: 1, maximum: config.maxViews },
      passphrase: {
        anyOf: [
          { type: 'null' },
          {
            type: 'object',
            required: ['salt', 'iterations', 'verifier'],
            additionalProperties: false,
            properties: {
              salt: b64u(SALT_BYTES),
              iterations: { type: 'integer', minimum: MIN_ITERATIONS, maximum: MAX_ITERATIONS },
              verifier: TOKEN,
            },
          },
        ],
      },
      notBefore: { type: 'string', format: 'date-time', maxLength: 40 },
      // docs/protocol.md §12: each an address or an @domain (checked by src/protocol/recipients.ts).
      recipients: { type: 'array', minItems: 1, maxItems: MAX_RECIPIENTS, items: { type: 'string', minLength: 3, maxLength: 254 } },
    },
  } as const;
}

export const readBody = {
  type: 'object',
  required: ['auth'],
  additionalProperties: false,
  properties: { auth: TOKEN, passphraseProof: TOKEN, code: { type: 'string', pattern: CODE_PATTERN.source } },
} as const;

/** Asking for a code (docs/protocol.md §12). */
export const codeBody = {
  type: 'object',
  required: ['auth', 'email'],
  additionalProperties: false,
  properties: { auth: TOKEN, email: { type: 'string', minLength: 3, maxLength: 254 } },
} as const;

export function encryptBody(config: Config) {
  return {
    type: 'object',
    required: ['message', 'mode'],
    additionalProperties: false,
    properties: {
      message: { type: 'string', maxLength: config.maxSize },
      mode: { enum: ['stored', 'stateless'] },
      ttl: { type: 'integer', minimum: config.ttlMin, maximum: config.ttlMax },
      expiresAt: { type: 'integer', minimum: 0 },
      views: { type: 'integer', minimum: 1, maximum: config.maxViews },
      passphrase: { type: 'string', minLength: 1, maxLength: 1024 },
    },
  } as const;
}

/**
 * A request's note: at most MAX_NOTE_LENGTH characters, no control characters but tab and newline, and no
 * lone surrogates (every store keeps it as UTF-8, and the sender's client hashes its UTF-8 form).
 */
const NOTE_PATTERN = '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]*$';

export function createRequestBody(config: Config) {
  return {
    type: 'object',
    required: ['publicKey'],
    additionalProperties: false,
    properties: {
      publicKey: b64u(PUBLIC_KEY_BYTES),
      note: { type: 'string', maxLength: MAX_NOTE_LENGTH, pattern: NOTE_PATTERN },
      ttl: { type: 'integer', minimum: config.ttlMin, maximum: config.ttlMax },
    },
  } as const;
}

export const respondBody = {
  type: 'object',
  required: ['ciphertext'],
  additionalProperties: false,
  properties: {
    // E_pub ‖ container: at least MIN_RESPONSE_BYTES.
    ciphertext: b64uAtLeast(MIN_RESPONSE_BYTES),
  },
} as const;

// The answers. Never given to Fastify as `response` schemas, which would also serialize the replies
// (openapi.ts says why): they describe what the handlers send, and test/openapi.test.ts checks every
// reply it receives against them.

/** An object whose members are all `properties`, except the `optional` ones, and nothing else. */
const exact = (properties: Record<string, object>, optional: readonly string[] = []) =>
  ({ type: 'object', required: Object.keys(properties).filter((k) => !optional.includes(k)), additionalProperties: false, properties }) as const;
const TIME = { type: 'string', format: 'date-time' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
/** Base64url of any length (ciphertexts the server hands back). */
const B64U = { type: 'string', pattern: '^[A-Za-z0-9_-]*$' } as const;

/** The protocol's error body (docs/protocol.md §6); openapi.ts narrows `code` per route and status. */
export const errorAnswer = exact({
  error: exact(
    {
      code: { enum: Object.keys(ERROR_STATUS) },
      message: { type: 'string' },
      attemptsLeft: COUNT,
      notBefore: TIME,
    },
    ['attemptsLeft', 'notBefore'],
  ),
});

/** What Fastify itself answers to a request arriving while the server shuts down (`return503OnClosing`). */
export const closingAnswer = exact({
  error: { const: 'Service Unavailable' },
  message: { type: 'string' },
  statusCode: { const: 503 },
});

export const infoAnswer = exact({
  version: { type: 'string' },
  publicUrl: { type: ['string', 'null'] },
  limits: exact({ maxSize: COUNT, ttlMin: COUNT, ttlMax: COUNT, ttlDefault: COUNT, maxViews: COUNT }),
  policy: exact({ create: { enum: ['open', 'token', 'identity', 'oidc', 'off'] }, requirePassphrase: { type: 'boolean' }, passphraseAttempts: COUNT }),
  challenge: exact({ kind: { enum: ['pow', 'turnstile', 'off'] }, siteKey: { type: 'string' } }, ['siteKey']),
  recipients: { type: 'boolean' },
  // HUSH_CREATE=oidc with HUSH_OIDC_CLI_CLIENT_ID: where hush login signs in.
  signIn: exact({ issuer: { type: 'string' }, cliClientId: { type: 'string' } }),
}, ['signIn']);

/** An ALTCHA challenge (the salt carries its expiry as `?expires=…`). */
export const challengeAnswer = exact({
  algorithm: { const: 'SHA-256' },
  challenge: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  maxnumber: COUNT,
  salt: { type: 'string' },
  signature: { type: 'string', pattern: '^[0-9a-f]+$' },
});

export const createdAnswer = exact({ id: b64u(ID_BYTES), manageToken: b64u(MANAGE_TOKEN_BYTES), expiresAt: TIME, views: COUNT });

export const peekAnswer = exact(
  {
    expiresAt: TIME,
    viewsLeft: COUNT,
    passphrase: { anyOf: [{ type: 'null' }, exact({ salt: b64u(SALT_BYTES), iterations: { type: 'integer', minimum: MIN_ITERATIONS, maximum: MAX_ITERATIONS } })] },
    notBefore: TIME,
    restricted: { const: true },
    signIn: { const: true },
  },
  ['notBefore', 'restricted', 'signIn'],
);

export const consumeAnswer = exact({ ciphertext: B64U, viewsLeft: COUNT });

/** The answer to asking for a code: the same whether or not the address is listed. */
export const codeAnswer = exact({ sent: { const: true }, expiresIn: COUNT });
/** The answer to a reader signed in as a listed address: the code itself (docs/protocol.md §12). */
export const codeGiven = exact({ sent: { const: false }, code: { type: 'string', pattern: '^[0-9]{6}$' }, expiresIn: COUNT });

/** One event of a secret's history (docs/protocol.md §9). */
const historyEvent = exact({ type: { enum: [...EVENT_TYPES] }, at: TIME, client: { enum: [...CLIENT_CLASSES, null] } });

export const statusAnswer = exact(
  {
    state: { enum: ['pending', 'consumed', 'expired', 'revoked', 'burned'] },
    viewsLeft: COUNT,
    expiresAt: TIME,
    consumedAt: TIME,
    // With the evidence layer (HUSH_AUDIT=on): the history.
    createdAt: TIME,
    endedAt: { anyOf: [TIME, { type: 'null' }] },
    events: { type: 'array', maxItems: MAX_EVENTS_PER_SECRET, items: historyEvent },
    dropped: COUNT,
    restricted: { const: true },
  },
  ['consumedAt', 'createdAt', 'endedAt', 'events', 'dropped', 'restricted'],
);

/** A signed receipt file (docs/protocol.md §10): the payload text, its Ed25519 signature, the key id. */
export const receiptAnswer = exact({ receipt: { type: 'string' }, signature: B64U, kid: { type: 'string', pattern: '^ed25519:[A-Za-z0-9_-]{22}$' } });

const REQUEST_STATE = { enum: ['open', 'answered'] } as const;

export const requestCreatedAnswer = exact({ id: b64u(ID_BYTES), token: b64u(REQUEST_TOKEN_BYTES), expiresAt: TIME });

export const requestViewAnswer = exact({ publicKey: b64u(PUBLIC_KEY_BYTES), note: { type: 'string' }, expiresAt: TIME, state: REQUEST_STATE });

export const respondedAnswer = exact({});

export const requestStatusAnswer = exact({ state: REQUEST_STATE, expiresAt: TIME });

export const pickupAnswer = exact({ ciphertext: B64U });

export const encryptAnswer = {
  oneOf: [
    exact({ mode: { const: 'stored' }, link: { type: 'string' }, manageLink: { type: 'string' }, expiresAt: TIME, views: COUNT }),
    exact({ mode: { const: 'stateless' }, link: { type: 'string' }, expiresAt: TIME }),
  ],
} as const;

/** Who is signed in (HUSH_CREATE=oidc, docs/protocol.md §13): nobody, or an e-mail, the session's CSRF value, and what their groups limit. */
export const sessionAnswer = {
  oneOf: [
    exact({ signedIn: { const: false } }),
    exact(
      {
        signedIn: { const: true },
        email: { type: 'string' },
        csrf: b64u(32),
        limits: exact({ ttl: { type: 'integer', minimum: 1 }, passphrase: { const: true } }, ['ttl', 'passphrase']),
      },
      ['limits'],
    ),
  ],
} as const;

/** "My secrets" (docs/protocol.md §13): each secret's id, its status (with history, restricted), and when it was made. */
export const mySecretsAnswer = exact({
  secrets: { type: 'array', items: { ...statusAnswer, required: [...statusAnswer.required, 'id', 'createdAt'], properties: { ...statusAnswer.properties, id: b64u(ID_BYTES) } } },
});

/** A personal API token (docs/protocol.md §13), shown once. */
export const userTokenAnswer = exact({
  token: { type: 'string', pattern: '^hush_u1\\.[A-Za-z0-9_-]+$' },
  expiresAt: TIME,
  scope: { const: 'create' },
});

/** The OpenAPI document itself (its own schema is the OpenAPI 3.1 specification's). */
export const openApiAnswer = { type: 'object', required: ['openapi', 'info', 'paths'], properties: { openapi: { const: '3.1.0' } } } as const;
