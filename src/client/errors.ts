// Every error the client flows throw, under one base class (HushError, in src/protocol/errors.ts
// so that ProtocolError can extend it too) and one code union. Codes are disjoint between the
// classes, so `code` alone says what happened; messages are for people, never for branching.
import { HushError, ProtocolError, type ProtocolErrorCode } from '../protocol/errors.js';
import type { ApiErrorCode as WireErrorCode } from '../protocol/api.js';

export { HushError, ProtocolError, type ProtocolErrorCode };

/** The server's error codes (ERROR_STATUS, docs/protocol.md §6), and two of the client's own. */
export type ApiErrorCode =
  | WireErrorCode
  /** The server could not be reached. */
  | 'network_error'
  /** The answer was not a Hush API answer (no JSON, or no error code). */
  | 'bad_response';

/** An error answer of the API, or a failure to reach it (`code` = `network_error`). */
export class ApiError extends HushError<ApiErrorCode> {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly attemptsLeft: number | undefined;
  readonly notBefore: string | undefined;
  readonly retryAfter: number | undefined;
  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    extra: { attemptsLeft?: number | undefined; notBefore?: string | undefined; retryAfter?: number | undefined } = {},
  ) {
    super(code, message);
    this.status = status;
    this.attemptsLeft = extra.attemptsLeft;
    this.notBefore = extra.notBefore;
    this.retryAfter = extra.retryAfter;
  }
}

export type ClientErrorCode =
  /** The secret or link has a passphrase and none was given (nothing was consumed). */
  | 'passphrase_required'
  /** An option the caller gave is out of bounds (a note too long, an expiry in the past). */
  | 'invalid_option'
  /** The server checks for humans with Turnstile and this client has no Turnstile widget. */
  | 'challenge_unsupported'
  /** The server checks for humans with Turnstile and the page's widget has no answer yet. */
  | 'challenge_incomplete'
  /** The secret is larger than the server takes (`size` and `maxSize` say by how much). */
  | 'too_large'
  /** The link's key is wrapped to an age key (docs/protocol.md §14) and no identity was given (nothing was sent). */
  | 'identity_required'
  /** None of the given age identities unwraps the link's key (nothing was sent). */
  | 'wrong_identity'
  /** Fewer live, distinct shares of a split secret than it needs (docs/protocol.md §15; nothing was consumed). */
  | 'not_enough_shares';

/** A client-side refusal, decided before anything is encrypted or sent. */
export class ClientError extends HushError<ClientErrorCode> {
  override readonly name = 'ClientError';
  /** For `too_large`: what would be stored and the server's limit, in bytes. */
  readonly size: number | undefined;
  readonly maxSize: number | undefined;
  constructor(code: ClientErrorCode, message: string, sizes?: { size: number; maxSize: number }) {
    super(code, message);
    this.size = sizes?.size;
    this.maxSize = sizes?.maxSize;
  }
}

export type PowErrorCode =
  /** Not an ALTCHA SHA-256 challenge. */
  | 'pow_unsupported'
  /** More work than a client agrees to do (maxnumber over MAX_POW_NUMBER). */
  | 'pow_too_hard'
  /** No number up to maxnumber solves it. */
  | 'pow_unsolved';

/** The server's proof-of-work challenge was refused or could not be solved (docs/protocol.md §6). */
export class PowError extends HushError<PowErrorCode> {
  override readonly name = 'PowError';
}

/** Every code a Hush client can throw: one union, each code belonging to one class. */
export type HushErrorCode = ProtocolErrorCode | ApiErrorCode | ClientErrorCode | PowErrorCode;

/** Any error Hush throws on purpose; narrowing on `code` then narrows the class. */
export type AnyHushError = ProtocolError | ApiError | ClientError | PowError;

/** True for every error of the classes above: `e.code` is then a HushErrorCode. */
export const isHushError = (e: unknown): e is AnyHushError => e instanceof HushError;
