/**
 * Hush as a library, for integrations: make and open links, and ask for secrets, from Node (≥ 20)
 * or any runtime with WebCrypto and fetch. The same flows as the pages and the CLI (src/client),
 * with the crypto run inline.
 *
 * ```ts
 * import { createSecret, sealLink, openLink, secretStatus, revoke } from 'hush';
 * const { link, manageLink } = await createSecret({ server: 'https://hush.example.com', message: 'db password', ttl: 3600 });
 * ```
 * See docs/integrations.md.
 */
import * as flows from './client/flows.js';
import { setClientName } from './client/api.js';
import type { OpenOptions, OpenedLink } from './client/open.js';
import type { ManageOptions } from './client/manage.js';
import type {
  CreateRequestOptions,
  CreatedRequest,
  OpenedRequest,
  ReceivedSecret,
  RequestHandle,
  RequestLinkOptions,
  WaitOptions,
} from './client/requests.js';
import type { SealLinkOptions, SendOptions, SentSecret } from './client/send.js';
import type { CombineOptions, RecoveredVault, SentShare, SentSplit, SplitSendOptions, UsedShare } from './client/split.js';
import type { EcdhKeys } from './protocol/request.js';
import type { RequestStatusResponse, StatusResponse } from './protocol/api.js';

// Every error the functions below can throw: one base class, HushError, with a `code` from one
// union, HushErrorCode (`isHushError(e)` narrows `e.code` to it).
export { HushError, ApiError, ClientError, PowError, ProtocolError, isHushError } from './client/errors.js';
export type { HushErrorCode, ApiErrorCode, ClientErrorCode, PowErrorCode, ProtocolErrorCode, AnyHushError } from './client/errors.js';
export type { SendOptions, SentSecret, SealLinkOptions, OpenOptions, OpenedLink, ManageOptions };
export type { CreateRequestOptions, CreatedRequest, OpenedRequest, ReceivedSecret, RequestHandle, RequestLinkOptions, WaitOptions, EcdhKeys };
export type { EnvelopeFile } from './protocol/envelope.js';
export type { SplitSendOptions, SentSplit, SentShare, CombineOptions, RecoveredVault, UsedShare };
export type { ShareRecord } from './protocol/split.js';
export type { StatusResponse, SecretState, RequestStatusResponse, RequestState } from './protocol/api.js';
export { safeFileName } from './shared/filenames.js';
export { MAX_STATELESS_LINK } from './protocol/stateless.js';
/** Write a request's key pair to storage and read it back (JWK of the private key; needs `extractable: true`). */
export { exportRequesterKeys, importRequesterKeys } from './protocol/request.js';

// The server classes requests from the library as `api` in a secret's history (docs/protocol.md §9).
setClientName('hush-lib/1');

/**
 * Stores an end-to-end encrypted one-time secret; returns the recipient's link and the manage link.
 * @throws ClientError `too_large`, `challenge_unsupported`; ApiError (e.g. `rate_limited`); PowError
 */
export function createSecret(options: SendOptions): Promise<SentSecret> {
  return flows.sendSecret(options);
}

/**
 * A split secret, k of n (docs/protocol.md §15): the secret is stored once, its key split with
 * Shamir's scheme into `n` share links — each its own one-time secret with `ttl`, `views` and
 * `passphrase` — any `k` of which open it (combineShares); fewer reveal nothing.
 * @throws ClientError `invalid_option` (k, n out of 2 ≤ k ≤ n ≤ 10, or recipients), `too_large`; ApiError; PowError
 */
export function splitSecret(options: SplitSendOptions): Promise<SentSplit> {
  return flows.sendSplit(options);
}

/**
 * Opens a split secret from share links: peeks every share (nothing is used up when fewer than k
 * are there or they are of different secrets), consumes k, rebuilds and checks the key, and opens
 * the secret (its one view). To keep the rebuilt key should opening fail, call recoverSplitKey and
 * openLink(vaultLink) instead.
 * @throws ClientError `not_enough_shares`, `passphrase_required`; ProtocolError `share_mismatch`; ApiError
 */
export function combineShares(links: readonly string[], options: CombineOptions = {}): Promise<OpenedLink & { recovered: RecoveredVault }> {
  return flows.combineShares(links, options);
}

/** The first half of combineShares: consumes k shares and returns the secret's own link (`vaultLink`), unopened. */
export function recoverSplitKey(links: readonly string[], options: CombineOptions = {}): Promise<RecoveredVault> {
  return flows.recoverVault(links, options);
}

/** Makes a stateless expiring link (nothing stored; no request made). @throws ClientError `invalid_option`; ProtocolError `invalid_input` (too long) */
export function sealLink(options: SealLinkOptions): Promise<string> {
  return flows.sealLink(options);
}

/**
 * Opens either kind of link. A stored link is consumed (one view); a stateless one is opened
 * locally. Throws ApiError (e.g. code `not_found`), ProtocolError (e.g. `expired`,
 * `decryption_failed`) or ClientError (`passphrase_required`).
 */
export function openLink(link: string, options: OpenOptions = {}): Promise<OpenedLink> {
  return flows.openLink(link, options);
}

/** The state of a stored secret, from its manage link. */
export function secretStatus(manageLink: string, options: ManageOptions = {}): Promise<StatusResponse> {
  return flows.secretStatus(manageLink, options);
}

/** Revokes a stored secret from its manage link; its ciphertext is erased at once. */
export function revoke(manageLink: string, options: ManageOptions = {}): Promise<void> {
  return flows.revokeSecret(manageLink, options);
}

/**
 * Asks for a secret (docs/protocol.md §7): makes an ECDH key pair here and a request on the
 * server; returns the link to send to whoever has the secret, and what `pickupResponse` needs
 * later — keep `keys` (the private key never leaves this process; to store it, pass
 * `extractable: true` and `exportRequesterKeys`) and `token`.
 * @throws ClientError `invalid_option`, `challenge_unsupported`; ApiError; PowError
 */
export function createRequest(options: CreateRequestOptions): Promise<CreatedRequest> {
  return flows.createSecretRequest(options);
}

/**
 * Answers a request link: checks the requester's key and note against the link's fingerprint,
 * seals `message` to that key and sends only the ciphertext. Returns the request as answered.
 * @throws ProtocolError `key_mismatch` (the server swapped the key or note: nothing was sent),
 * `invalid_link`; ApiError `not_found` (gone, or already answered)
 */
export function respondToRequest(link: string, message: string, options: RequestLinkOptions = {}): Promise<OpenedRequest> {
  return flows.respondToRequest(link, message, options);
}

/** Whether a request was answered yet; ApiError `not_found` once it is gone. */
export function requestStatus(handle: RequestHandle): Promise<RequestStatusResponse> {
  return flows.requestStatus(handle);
}

/** Polls until the request is answered (true), or the deadline passes or the signal aborts (false). */
export function waitForAnswer(handle: RequestHandle, options: WaitOptions = {}): Promise<boolean> {
  return flows.waitForAnswer(handle, options);
}

/**
 * Takes the answer, once — the server erases the whole request in the same step — and decrypts
 * it with the request's key pair.
 * @throws ApiError `not_found` (not answered yet, already picked up, gone); ProtocolError `decryption_failed`, `expired`
 */
export function pickupResponse(handle: RequestHandle & { keys: EcdhKeys; now?: () => number }): Promise<ReceivedSecret> {
  return flows.pickupResponse(handle);
}

/** Cancels a request: the server erases it (and any answer) at once. */
export function cancelRequest(handle: RequestHandle): Promise<void> {
  return flows.cancelSecretRequest(handle);
}
