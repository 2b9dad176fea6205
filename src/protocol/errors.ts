/**
 * The base of every error Hush throws on purpose, as jose's JOSEError is of its errors: a stable
 * `code` that callers branch on (never the message text), narrowed by each subclass —
 * ProtocolError here; ApiError, ClientError and PowError in src/client/errors.ts, which also holds
 * HushErrorCode, the union of all their codes. The base lives in this module because src/protocol
 * is the one folder that every side (client, web, cli, server, the library) may import, while
 * protocol itself imports nothing of ours: ProtocolError can extend it here, and the client's
 * errors import it from here. It is pure (no platform API), as the rest of this folder.
 */
export abstract class HushError<C extends string = string> extends Error {
  readonly code: C;
  constructor(code: C, message: string) {
    super(message);
    this.code = code;
  }
}

/**
 * Errors raised by the protocol module. Each has a stable `code`; callers branch on the code,
 * never on the message text.
 */
export type ProtocolErrorCode =
  /** Any malformed, truncated, tampered or wrongly keyed container (docs/protocol.md §3). One code, no oracle. */
  | 'decryption_failed'
  /** A link or fragment that does not have the shape of docs/protocol.md §5. */
  | 'invalid_link'
  /** An envelope whose "v" is newer than this client knows (docs/protocol.md §4). */
  | 'unsupported_version'
  /** An envelope that claims v1 but whose members have the wrong types. */
  | 'malformed_envelope'
  /** An envelope whose sealed expiry "e" has passed (docs/protocol.md §4). */
  | 'expired'
  /**
   * A request's public key (or note) from the server does not match the fingerprint in the
   * request link's fragment: the server, or someone in between, swapped it. Nothing was sent.
   */
  | 'key_mismatch'
  /**
   * Shares of a split secret that do not belong together (another vault, other k, n or commitment)
   * or do not rebuild the key their commitment names (docs/protocol.md §15).
   */
  | 'share_mismatch'
  /** Parameters sent by a server that this client refuses (e.g. absurd PBKDF2 iterations). */
  | 'unsafe_parameters'
  /** Bad input from the caller of this module (wrong key length, bad base64url...). */
  | 'invalid_input';

export class ProtocolError extends HushError<ProtocolErrorCode> {
  override readonly name = 'ProtocolError';
  /** For `expired`: when the envelope expired, Unix seconds. */
  readonly expiredAt: number | undefined;

  constructor(code: ProtocolErrorCode, message: string, options?: { expiredAt?: number }) {
    super(code, message);
    this.expiredAt = options?.expiredAt;
  }
}

export function isProtocolError(e: unknown, code?: ProtocolErrorCode): e is ProtocolError {
  return e instanceof ProtocolError && (code === undefined || e.code === code);
}
