// Maps every failure to a protocol error body (docs/protocol.md §6). The one place where codes meet
// HTTP statuses; statuses come from the registry in protocol/api.ts.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_STATUS, type ApiErrorBody, type ApiErrorCode } from '../protocol/api.js';
import { StoreUnavailableError } from '../store/types.js';

export class HttpError extends Error {
  readonly code: ApiErrorCode;
  readonly extra: Omit<ApiErrorBody['error'], 'code' | 'message'>;
  /** Seconds, sent as Retry-After (429, some 503s). */
  readonly retryAfter: number | undefined;
  /** Overrides the registry's status where the protocol asks for another (origin lock: 403). */
  readonly status: number | undefined;
  constructor(
    code: ApiErrorCode,
    message: string,
    extra: Omit<ApiErrorBody['error'], 'code' | 'message'> = {},
    options: { retryAfter?: number; status?: number } = {},
  ) {
    super(message);
    this.code = code;
    this.extra = extra;
    this.retryAfter = options.retryAfter;
    this.status = options.status;
  }
}

export const NOT_FOUND_MESSAGE =
  'This secret does not exist: it was already read, it expired, it was revoked, or the link is wrong.';

export const notFound = (): HttpError => new HttpError('not_found', NOT_FOUND_MESSAGE);

/** What the sender of a response is told (GET a request, POST its response). */
export const REQUEST_NOT_FOUND_MESSAGE =
  'This request does not exist or takes no more answers: it was already answered, it was cancelled, it expired, or the link is wrong.';

/** What the requester is told (status, pickup, cancel with the request's token). */
export const REQUEST_GONE_MESSAGE =
  'This request does not exist: it was picked up or cancelled, it expired, the token is wrong — or, for a pickup, it has no answer yet.';

/** The protocol code each refused reply carried, for the rejection metric. */
export const rejections = new WeakMap<FastifyReply, ApiErrorCode>();

export function sendError(reply: FastifyReply, err: HttpError): FastifyReply {
  rejections.set(reply, err.code);
  const body: ApiErrorBody = { error: { code: err.code, message: err.message, ...err.extra } };
  if (err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
  return reply.code(err.status ?? ERROR_STATUS[err.code]).type('application/json; charset=utf-8').send(body);
}

/**
 * Turns Fastify's own errors (validation, body parsing, limits) into protocol errors. Never echoes
 * a parser message: Node's JSON errors quote the body, and the body may be a secret.
 */
export function toHttpError(err: FastifyError): HttpError | null {
  if (err instanceof HttpError) return err;
  if ((err as Error) instanceof StoreUnavailableError) {
    return new HttpError('unavailable', 'The server cannot reach its database right now. Try again in a moment.', {}, { retryAfter: 2 });
  }
  if (err.validation) {
    const first = err.validation[0];
    const where = `${err.validationContext ?? 'request'}${first?.instancePath ?? ''}`;
    return new HttpError('invalid_request', `${where} ${first?.message ?? 'is not valid'}`.trim());
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new HttpError('payload_too_large', 'The request body is larger than this server accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new HttpError('invalid_request', 'Send the body as JSON with Content-Type: application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new HttpError('invalid_request', 'The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new HttpError('invalid_request', 'The Content-Length header does not match the body.');
    default:
      break;
  }
  if (err.statusCode === 413) return new HttpError('payload_too_large', 'The request body is larger than this server accepts.');
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) {
    // JSON syntax errors, prototype-poisoning attempts, bad headers, and the like.
    return new HttpError('invalid_request', 'The request is not valid: send a well-formed JSON object.');
  }
  return null;
}

export function errorHandler(this: unknown, err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const mapped = toHttpError(err);
  if (mapped) {
    request.log.debug({ code: mapped.code }, 'request refused');
    return sendError(reply, mapped);
  }
  // Unexpected: log the error itself (our code's messages and stacks never hold request data).
  request.log.error({ err }, 'unexpected error');
  return sendError(reply, new HttpError('unavailable', 'Something went wrong on the server. Try again in a moment.', {}, { status: 500 }));
}
