// A small fetch-based client of the HTTP API (docs/protocol.md §6). Isomorphic: used by the pages, the
// CLI and the library. It carries only what the protocol module produced; it never sees keys.
import type {
  ApiErrorBody,
  CodeResponse,
  ConsumeRequest,
  ConsumeResponse,
  CreateRequest,
  CreateRequestBody,
  CreateRequestResponse,
  CreateResponse,
  PeekResponse,
  PickupResponse,
  RequestStatusResponse,
  RequestView,
  StatusResponse,
} from '../protocol/api.js';
import { ApiError } from './errors.js';
import type { PowChallenge } from './pow.js';

export interface ServerInfo {
  version: string;
  publicUrl: string | null;
  limits: { maxSize: number; ttlMin: number; ttlMax: number; ttlDefault: number; maxViews: number };
  policy: { create: 'open' | 'token' | 'identity' | 'oidc' | 'off'; requirePassphrase: boolean; passphraseAttempts: number };
  challenge: { kind: 'pow' | 'turnstile' | 'off'; siteKey?: string };
  /** Verified recipients (docs/protocol.md §12) are offered; absent on older servers. */
  recipients?: boolean;
  /** Where `hush login` signs in (HUSH_CREATE=oidc with HUSH_OIDC_CLI_CLIENT_ID): the provider and its public CLI client. */
  signIn?: { issuer: string; cliClientId: string };
}

/** A personal API token (docs/protocol.md §13): shown once, good until `expiresAt`. */
export interface UserTokenResponse {
  token: string;
  expiresAt: string;
  scope: 'create';
}

/** How a create request proves it may create: an API token, or a solved human check. */
export interface CreateAuth {
  apiToken?: string;
  /** Proof-of-work solution or Turnstile token, sent as `x-hush-challenge`. */
  challenge?: string;
  /**
   * A page of a sign-in server (HUSH_CREATE=oidc): its session's CSRF value, sent as `x-hush-csrf`
   * with the session cookie, which is sent only then.
   */
  csrf?: string;
}

/** Who is signed in on a sign-in server (docs/protocol.md §13). */
export type SessionInfo = { signedIn: false } | { signedIn: true; email: string; csrf: string; limits?: { ttl?: number; passphrase?: true } };

/**
 * The client name sent as User-Agent by the CLI (`hush-cli/<version>`) and the library
 * (`hush-lib/<version>`), which the server's evidence layer classes as cli and api. Pages never
 * set one: a browser sends its own.
 */
let clientName: string | null = null;
export function setClientName(name: string): void {
  clientName = name;
}

function authHeaders(auth: CreateAuth): Record<string, string> {
  const headers: Record<string, string> = {};
  if (auth.challenge !== undefined) headers['x-hush-challenge'] = auth.challenge;
  if (auth.csrf !== undefined) headers['x-hush-csrf'] = auth.csrf;
  return headers;
}

/**
 * The calls a reader of a stored secret makes — peek, ask for a code, consume — and nothing else:
 * the reveal page ships this much of the API client (HushApi adds every other call to it).
 */
export class SecretReader {
  readonly base: string;
  readonly #fetch: typeof fetch;

  /** `base` is the server's origin, optionally with a path prefix (`https://example.com/hush`). */
  constructor(base: string, fetchImpl: typeof fetch = globalThis.fetch.bind(globalThis)) {
    this.base = base.replace(/\/+$/, '');
    this.#fetch = fetchImpl;
  }

  peek(id: string, auth: string): Promise<PeekResponse> {
    return this.call('POST', `/api/v1/secrets/${encodeURIComponent(id)}/peek`, { auth });
  }

  consume(id: string, body: ConsumeRequest): Promise<ConsumeResponse> {
    return this.call('POST', `/api/v1/secrets/${encodeURIComponent(id)}/consume`, body);
  }

  /**
   * Asks for a code at `email` (§12): the same answer whether or not it is listed — unless this
   * browser is signed in as `email`: then the code itself (the cookie goes with it).
   */
  requestCode(id: string, auth: string, email: string): Promise<CodeResponse> {
    return this.call('POST', `/api/v1/secrets/${encodeURIComponent(id)}/code`, { auth, email }, undefined, undefined, true);
  }

  /** One call of the API. `cookies`: send this origin's cookies (the sign-in session); every other call sends none. */
  protected async call<T>(method: string, path: string, body?: unknown, bearer?: string, extra: Record<string, string> = {}, cookies = false): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    if (clientName !== null) headers['user-agent'] = clientName;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
    let res: Response;
    try {
      res = await this.#fetch(this.base + path, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        credentials: cookies ? 'same-origin' : 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
    } catch {
      throw new ApiError(0, 'network_error', `Could not reach the Hush server at ${this.base}. Check the address and your connection.`);
    }
    if (res.status === 204) return undefined as T;
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new ApiError(res.status, 'bad_response', `The server at ${this.base} answered ${String(res.status)} without JSON; is it a Hush server?`);
    }
    if (res.ok) return json as T;
    const err = (json as Partial<ApiErrorBody>).error;
    if (!err || typeof err.code !== 'string') {
      throw new ApiError(res.status, 'bad_response', `The server answered ${String(res.status)} without an error code.`);
    }
    const retry = Number(res.headers.get('retry-after'));
    throw new ApiError(res.status, err.code, err.message, {
      attemptsLeft: err.attemptsLeft,
      notBefore: err.notBefore,
      retryAfter: Number.isFinite(retry) && retry > 0 ? retry : undefined,
    });
  }
}

/** The whole HTTP API: SecretReader's calls and every other. */
export class HushApi extends SecretReader {
  info(): Promise<ServerInfo> {
    return this.call('GET', '/api/v1/info');
  }

  create(body: CreateRequest, auth: CreateAuth = {}): Promise<CreateResponse> {
    return this.call('POST', '/api/v1/secrets', body, auth.apiToken, authHeaders(auth), auth.csrf !== undefined);
  }

  /** Who is signed in (a page of the same origin: the session cookie goes with it). */
  session(): Promise<SessionInfo> {
    return this.call('GET', '/api/v1/session', undefined, undefined, {}, true);
  }

  /** Signs the page's user out: the server clears the session cookie. */
  async logout(csrf: string): Promise<void> {
    await this.call('POST', '/auth/logout', undefined, undefined, { 'x-hush-csrf': csrf }, true);
  }

  /**
   * Makes a personal API token: from a signed-in page (its session's CSRF value; the cookie goes
   * with it), or with an ID token the provider gave the CLI (`hush login`).
   */
  makeUserToken(proof: { csrf: string } | { idToken: string }): Promise<UserTokenResponse> {
    return 'csrf' in proof
      ? this.call('POST', '/api/v1/me/tokens', undefined, undefined, { 'x-hush-csrf': proof.csrf }, true)
      : this.call('POST', '/api/v1/me/tokens', undefined, proof.idToken);
  }

  /** A proof-of-work challenge (servers with HUSH_CHALLENGE=pow). */
  challenge(): Promise<PowChallenge> {
    return this.call('GET', '/api/v1/challenge');
  }

  status(id: string, manageToken: string): Promise<StatusResponse> {
    return this.call('GET', `/api/v1/secrets/${encodeURIComponent(id)}/status`, undefined, manageToken);
  }

  /** The server's signed receipt of a secret's history (docs/protocol.md §10), as the server sent it. */
  receipt(id: string, manageToken: string): Promise<unknown> {
    return this.call('GET', `/api/v1/secrets/${encodeURIComponent(id)}/receipt`, undefined, manageToken);
  }

  async revoke(id: string, manageToken: string): Promise<void> {
    await this.call('DELETE', `/api/v1/secrets/${encodeURIComponent(id)}`, undefined, manageToken);
  }

  // Requests (docs/protocol.md §7).

  /** Creates a request for a secret; passes the same create policy and human check as `create`. */
  createRequest(body: CreateRequestBody, auth: CreateAuth = {}): Promise<CreateRequestResponse> {
    return this.call('POST', '/api/v1/requests', body, auth.apiToken, authHeaders(auth), auth.csrf !== undefined);
  }

  /** The sender's view of a request. Check its key against the link before using it (`checkRequestKey`). */
  getRequest(id: string): Promise<RequestView> {
    return this.call('GET', `/api/v1/requests/${encodeURIComponent(id)}`);
  }

  /** Stores the one response to a request. */
  async respond(id: string, ciphertext: string): Promise<void> {
    await this.call('POST', `/api/v1/requests/${encodeURIComponent(id)}/response`, { ciphertext });
  }

  requestStatus(id: string, token: string): Promise<RequestStatusResponse> {
    return this.call('GET', `/api/v1/requests/${encodeURIComponent(id)}/status`, undefined, token);
  }

  /** Takes the response, once: the server erases the whole request in the same step. */
  pickup(id: string, token: string): Promise<PickupResponse> {
    return this.call('POST', `/api/v1/requests/${encodeURIComponent(id)}/pickup`, undefined, token);
  }

  async cancelRequest(id: string, token: string): Promise<void> {
    await this.call('DELETE', `/api/v1/requests/${encodeURIComponent(id)}`, undefined, token);
  }
}
