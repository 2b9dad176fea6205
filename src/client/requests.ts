// Request flows over the API (docs/protocol.md §7), the one implementation for the request pages,
// the CLI and the library: the requester makes a key pair and a request, the sender checks the key
// against the link and answers, the requester waits, picks the response up once and decrypts it.
// The crypto runs where the caller's runner runs it (the page's worker, or inline); this file adds
// the HTTP round trips. The private key never leaves the caller: it is neither sent nor stored here.
import { HushApi, type ServerInfo } from './api.js';
import { ApiError, ClientError } from './errors.js';
import { createAuth } from './human-check.js';
import type { Needs } from './runner.js';
import { b64uEncode } from '../protocol/b64u.js';
import type { Bytes } from '../protocol/bytes.js';
import type { RequestState, RequestStatusResponse } from '../protocol/api.js';
import { formatRequestLink, parseRequestLink } from '../protocol/links.js';
import { MAX_NOTE_LENGTH, requestFingerprint, type EcdhKeys } from '../protocol/request.js';

export interface CreateRequestOptions {
  /** Server origin, e.g. http://127.0.0.1:8080. The link uses the server's configured public URL when it has one. */
  server: string;
  /** Shown to the sender. Not encrypted: the server can read it. At most 500 characters. */
  note?: string;
  /** Lifetime in seconds; the server's default when omitted. */
  ttl?: number;
  /**
   * Whether the private key can be exported: `true` only where it must be written to a file (the
   * CLI); the default, `false`, is for the browser (keep the CryptoKey itself in IndexedDB).
   */
  extractable?: boolean;
  /** An API token: creates without the human check (and is rate-limited per token). */
  apiToken?: string;
  /** A signed-in page's session CSRF value (HUSH_CREATE=oidc, docs/protocol.md §13): the session replaces the check. */
  csrf?: string;
  fetch?: typeof fetch;
}

export interface CreatedRequest {
  id: string;
  /** The link for the sender: `{origin}/r/{id}#{fingerprint}`. */
  link: string;
  /** Where the requester polls and picks up (the server it created the request on). */
  server: string;
  /** The requester's bearer token for status, pickup and cancel. Keep it with the private key. */
  token: string;
  expiresAt: string;
  note: string;
  /** The key pair. The private key must stay with the requester: a file (0600) or IndexedDB. */
  keys: EcdhKeys;
}

/** Counts characters as the server does (code points). */
const length = (text: string): number => Array.from(text).length;

/**
 * Makes the key pair and the request; returns the link to send to the person who will answer.
 * Passes the same human check as a secret's create (a Turnstile server needs an API token here).
 * `info` is the server's /info answer when the caller already has it (one request fewer).
 * @throws ClientError `invalid_option` (note too long), `challenge_unsupported`; ApiError; PowError
 */
export async function createSecretRequest(
  options: CreateRequestOptions,
  runner: Needs<'generateRequesterKeys' | 'solvePow'>,
  info?: ServerInfo,
): Promise<CreatedRequest> {
  const note = options.note ?? '';
  if (length(note) > MAX_NOTE_LENGTH) throw new ClientError('invalid_option', `The note is longer than ${String(MAX_NOTE_LENGTH)} characters.`);
  const api = new HushApi(options.server, options.fetch);
  info ??= await api.info();
  const ttl = options.ttl ?? info.limits.ttlDefault;
  // The check first: a server that refuses this client costs no key pair.
  const auth = await createAuth(api, info, { apiToken: options.apiToken, csrf: options.csrf, runner });
  const keys = await runner.generateRequesterKeys({ extractable: options.extractable ?? false });
  const res = await api.createRequest({ publicKey: b64uEncode(keys.publicKey), note, ttl }, auth);
  const link = formatRequestLink(info.publicUrl ?? api.base, res.id, await requestFingerprint(keys.publicKey, note));
  return { id: res.id, link, server: api.base, token: res.token, expiresAt: res.expiresAt, note, keys };
}

export interface OpenedRequest {
  /** Where the response goes (the link's origin unless another server was given). */
  server: string;
  id: string;
  /** The requester's note, as the server holds it — and as the link's fingerprint confirms. */
  note: string;
  expiresAt: string;
  /** `answered`: it takes no more answers. */
  state: RequestState;
  /** The requester's public key, checked against the link's fingerprint. */
  publicKey: Bytes;
}

export interface RequestLinkOptions {
  /** Talk to this server instead of the link's origin. */
  server?: string;
  fetch?: typeof fetch;
}

/**
 * The sender's first step: fetches the request of a link and checks the public key and note the
 * server returned against the fingerprint in the link's fragment.
 * @throws ProtocolError `invalid_link`, `key_mismatch` (swapped key or note: send nothing); ApiError `not_found`
 */
export async function openRequestLink(link: string, options: RequestLinkOptions, runner: Needs<'checkRequestKey'>): Promise<OpenedRequest> {
  const { origin, id, fingerprint } = parseRequestLink(link);
  const api = new HushApi(options.server ?? origin, options.fetch);
  const view = await api.getRequest(id);
  const publicKey = await runner.checkRequestKey(fingerprint, view.publicKey, view.note);
  return { server: api.base, id, note: view.note, expiresAt: view.expiresAt, state: view.state, publicKey };
}

/**
 * Seals `message` to the checked public key and stores it as the request's one response. The
 * envelope carries the request's expiry (`"e"`).
 * @throws ApiError `not_found` (answered meanwhile, cancelled, expired), `payload_too_large`
 */
export async function answerRequest(request: OpenedRequest, message: string, options: { fetch?: typeof fetch }, runner: Needs<'sealResponse'>): Promise<void> {
  const expiresAt = Math.floor(Date.parse(request.expiresAt) / 1000);
  const ciphertext = await runner.sealResponse(request.publicKey, { message, ...(Number.isSafeInteger(expiresAt) && expiresAt > 0 ? { expiresAt } : {}) });
  await new HushApi(request.server, options.fetch).respond(request.id, ciphertext);
}

/**
 * The sender's whole answer: `openRequestLink` then `answerRequest`, for callers with nothing to
 * show in between (the library). Refuses a request that was already answered.
 * @throws ProtocolError `invalid_link`, `key_mismatch` (nothing sent); ApiError `not_found`
 */
export async function respondToRequest(link: string, message: string, options: RequestLinkOptions, runner: Needs<'checkRequestKey' | 'sealResponse'>): Promise<OpenedRequest> {
  const request = await openRequestLink(link, options, runner);
  if (request.state === 'answered') throw new ApiError(404, 'not_found', 'This request was already answered; it takes one answer only.');
  await answerRequest(request, message, options, runner);
  return request;
}

/** What the requester keeps to follow a request: the server, the id and the token. */
export interface RequestHandle {
  server: string;
  id: string;
  token: string;
  fetch?: typeof fetch;
}

/** Open or answered; ApiError `not_found` once it is gone (picked up, cancelled, expired). */
export function requestStatus(handle: RequestHandle): Promise<RequestStatusResponse> {
  return new HushApi(handle.server, handle.fetch).requestStatus(handle.id, handle.token);
}

export interface WaitOptions {
  /** Time between polls, in milliseconds (default 3000). */
  everyMs?: number;
  /** Give up at this time (Unix milliseconds). */
  deadline?: number;
  signal?: AbortSignal;
}

/**
 * Polls until the request is answered (true) or the deadline passes or the signal aborts (false).
 * Rides out rate limits and brief outages (up to 10 failures in a row).
 * @throws ApiError `not_found` when the request is gone
 */
export async function waitForAnswer(handle: RequestHandle, options: WaitOptions = {}): Promise<boolean> {
  const everyMs = options.everyMs ?? 3000;
  let failures = 0;
  for (;;) {
    if (options.signal?.aborted === true) return false;
    let delay = everyMs;
    try {
      if ((await requestStatus(handle)).state === 'answered') return true;
      failures = 0;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'rate_limited') delay = Math.max(everyMs, (e.retryAfter ?? 10) * 1000);
      else if (e instanceof ApiError && (e.code === 'network_error' || e.code === 'unavailable') && ++failures < 10) delay = everyMs;
      else throw e;
    }
    if (options.deadline !== undefined) {
      const left = options.deadline - Date.now();
      if (left <= 0) return false;
      delay = Math.min(delay, left);
    }
    await sleep(delay, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface ReceivedSecret {
  message: string;
  /** Expiry sealed in the envelope, Unix seconds, when present. */
  sealedExpiresAt: number | undefined;
  /** The plaintext was not an envelope and is shown as is. */
  raw: boolean;
}

/**
 * Picks the response up — the server erases the whole request in the same step, so this works
 * once — and decrypts it with the requester's key pair.
 * @throws ApiError `not_found` (no answer yet, already picked up, cancelled, expired); ProtocolError `decryption_failed`, `expired`
 */
export async function pickupResponse(handle: RequestHandle & { keys: EcdhKeys; now?: () => number }, runner: Needs<'openResponse'>): Promise<ReceivedSecret> {
  const { ciphertext } = await new HushApi(handle.server, handle.fetch).pickup(handle.id, handle.token);
  const opened = await runner.openResponse(handle.keys, ciphertext, (handle.now ?? Date.now)());
  return { message: opened.message, sealedExpiresAt: opened.expiresAt, raw: opened.raw };
}

/** Cancels a request: the server erases it (and any response) at once. */
export async function cancelSecretRequest(handle: RequestHandle): Promise<void> {
  await new HushApi(handle.server, handle.fetch).cancelRequest(handle.id, handle.token);
}
