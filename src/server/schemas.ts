// JSON schemas of every body, parameter and header the API reads (PROTOCOL §6).
import type { Config } from './config.js';

const b64u = (bytes: number) => ({ type: 'string', pattern: `^[A-Za-z0-9_-]{${String(Math.ceil((bytes * 4) / 3))}}$` }) as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: b64u(16) },
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
      // Size is checked after decoding, to answer 413 rather than 400.
      ciphertext: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', minLength: 38 },
      verifier: b64u(32),
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
              salt: b64u(16),
              iterations: { type: 'integer', minimum: 600_000, maximum: 10_000_000 },
              verifier: b64u(32),
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
  properties: { auth: b64u(32), passphraseProof: b64u(32) },
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
 * A request's note: at most 500 characters, no control characters but tab and newline, and no
 * lone surrogates (every store keeps it as UTF-8, and the sender's client hashes its UTF-8 form).
 */
const NOTE_PATTERN = '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]*$';

export function createRequestBody(config: Config) {
  return {
    type: 'object',
    required: ['publicKey'],
    additionalProperties: false,
    properties: {
      publicKey: b64u(65),
      note: { type: 'string', maxLength: 500, pattern: NOTE_PATTERN },
      ttl: { type: 'integer', minimum: config.ttlMin, maximum: config.ttlMax },
    },
  } as const;
}

export const respondBody = {
  type: 'object',
  required: ['ciphertext'],
  additionalProperties: false,
  properties: {
    // E_pub (65) ‖ container (≥ 28): at least 93 bytes, 124 characters. Size is checked after decoding, to answer 413 rather than 400.
    ciphertext: { type: 'string', pattern: '^[A-Za-z0-9_-]+$', minLength: 124 },
  },
} as const;
