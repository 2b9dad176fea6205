// JSON schemas of every body, parameter and header the API reads (docs/protocol.md §6). Every size and
// bound comes from the protocol module: the server checks what the clients produce.
import { b64uLength } from '../protocol/b64u.js';
import { MIN_CONTAINER_BYTES } from '../protocol/container.js';
import { KEY_BYTES, MAX_ITERATIONS, MIN_ITERATIONS, SALT_BYTES } from '../protocol/keys.js';
import { ID_BYTES } from '../protocol/links.js';
import { MAX_NOTE_LENGTH, MIN_RESPONSE_BYTES, PUBLIC_KEY_BYTES } from '../protocol/request.js';
import type { Config } from './config.js';

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
    },
  } as const;
}

export const readBody = {
  type: 'object',
  required: ['auth'],
  additionalProperties: false,
  properties: { auth: TOKEN, passphraseProof: TOKEN },
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
