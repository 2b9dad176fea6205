// Wire types of the HTTP API (docs/protocol.md §6), shared by server, pages, CLI and library.

/** Error codes of docs/protocol.md §6 with their HTTP status. The one registry of codes. */
export const ERROR_STATUS = {
  invalid_request: 400,
  unauthorized: 401,
  wrong_passphrase: 403,
  challenge_required: 403,
  challenge_failed: 403,
  not_yet_available: 403,
  code_required: 403,
  wrong_code: 403,
  csrf_failed: 403,
  not_recipient: 403,
  not_found: 404,
  payload_too_large: 413,
  rate_limited: 429,
  quota_exceeded: 503,
  unavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof ERROR_STATUS;

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; attemptsLeft?: number; notBefore?: string };
}

export interface PassphraseParams {
  salt: string;
  iterations: number;
}

export interface CreateRequest {
  ciphertext: string;
  verifier: string;
  ttl?: number;
  views?: number;
  passphrase?: (PassphraseParams & { verifier: string }) | null;
  notBefore?: string;
  /** Verified recipients (docs/protocol.md §12): addresses and `@domain`s; only they can open it. */
  recipients?: string[];
}

export interface CreateResponse {
  id: string;
  manageToken: string;
  expiresAt: string;
  views: number;
}

export interface PeekResponse {
  expiresAt: string;
  viewsLeft: number;
  passphrase: PassphraseParams | null;
  notBefore?: string;
  /** §12: only listed recipients can open it; ask for a code first. */
  restricted?: true;
  /** §12: restricted, and the server has sign-in — a reader signed in as a listed address gets the code on the page. */
  signIn?: true;
}

export interface ConsumeRequest {
  auth: string;
  passphraseProof?: string;
  /** §12: the code sent to a listed address (six digits). */
  code?: string;
}

/** §12: ask for a code to be sent to `email`, if it is listed. */
export interface CodeRequest {
  auth: string;
  email: string;
}

/**
 * The same answer whether or not the address is listed — `sent: true` — unless the reader is
 * signed in as that address (docs/protocol.md §12): then the code itself, and nothing is mailed.
 */
export type CodeResponse =
  | {
      sent: true;
      /** Seconds the code is good for. */
      expiresIn: number;
    }
  | { sent: false; code: string; expiresIn: number };

export interface ConsumeResponse {
  ciphertext: string;
  viewsLeft: number;
}

/** Sent as `1` on peek and consume by a page in an automated browser (navigator.webdriver); the history (§9) then names a scanner. */
export const AUTOMATION_HEADER = 'x-hush-automation';

export type SecretState = 'pending' | 'consumed' | 'expired' | 'revoked' | 'burned';

export interface StatusResponse {
  state: SecretState;
  viewsLeft: number;
  expiresAt: string;
  consumedAt?: string;
  // The history (docs/protocol.md §9), present when the server keeps evidence (HUSH_AUDIT=on).
  createdAt?: string;
  /** When it was read for the last time, burned, revoked or expired; null while pending. */
  endedAt?: string | null;
  /** Oldest first. */
  events?: SecretHistoryEvent[];
  /** Events the server did not keep (it keeps at most 64 a secret). */
  dropped?: number;
  /** §12: only the named recipients can open it. */
  restricted?: true;
}

export type SecretEventType = 'created' | 'opened' | 'read' | 'passphrase_failed' | 'burned' | 'revoked' | 'expired';
export type ClientClassName = 'browser' | 'link-preview' | 'scanner' | 'cli' | 'api' | 'unknown';

export interface SecretHistoryEvent {
  type: SecretEventType;
  at: string;
  /** Null for what the server itself did (expired). */
  client: ClientClassName | null;
}

// Requests (docs/protocol.md §7): someone asks for a secret; the sender seals it to their public key.

export type RequestState = 'open' | 'answered';

/** `POST /api/v1/requests`. */
export interface CreateRequestBody {
  /** b64u of the requester's raw P-256 public key (65 bytes, uncompressed). */
  publicKey: string;
  /** Shown to the sender. Not encrypted: the server can read it. At most 500 characters. */
  note?: string;
  ttl?: number;
}

/** Answer `201` to `POST /api/v1/requests`. */
export interface CreateRequestResponse {
  id: string;
  /** The requester's bearer token for status, pickup and cancel (b64u of 32 bytes); the server keeps its SHA-256. */
  token: string;
  expiresAt: string;
}

/** `GET /api/v1/requests/{id}`: what the sender needs to answer. */
export interface RequestView {
  publicKey: string;
  note: string;
  expiresAt: string;
  state: RequestState;
}

/** `POST /api/v1/requests/{id}/response`. */
export interface RespondBody {
  /** b64u(E_pub ‖ container). */
  ciphertext: string;
}

/** `GET /api/v1/requests/{id}/status` (bearer token). */
export interface RequestStatusResponse {
  state: RequestState;
  expiresAt: string;
}

/** `POST /api/v1/requests/{id}/pickup` (bearer token): the response, once. */
export interface PickupResponse {
  ciphertext: string;
}
