// Every flow with the crypto run inline: what Node code calls (the CLI, and the library through
// src/lib.ts). The flows themselves are send.ts, open.ts and requests.ts, written once with the
// runner injected; the pages call those same functions with their worker (src/web/crypto.ts) and
// never import this file, which would put every protocol operation in their bundles.
import type { ServerInfo } from './api.js';
import { sendToAge } from './age.js';
import { consumeSecret, openLink as open, peekSecret, requestSecretCode, type OpenOptions, type OpenedLink, type StoredSecretRef } from './open.js';
import type { PeekResponse } from '../protocol/api.js';
import {
  answerRequest as answer,
  createSecretRequest as create,
  openRequestLink as openRequest,
  pickupResponse as pickup,
  respondToRequest as respond,
  type CreateRequestOptions,
  type CreatedRequest,
  type OpenedRequest,
  type ReceivedSecret,
  type RequestHandle,
  type RequestLinkOptions,
} from './requests.js';
import { inlineRunner } from './runner.js';
import { combineShares as combine, recoverVault as recover, sendSplit as sendSplitSecret, type CombineOptions, type RecoveredVault, type SentSplit, type SplitSendOptions } from './split.js';
import { sealLink as seal, sendSecret as send, type SealLinkOptions, type SendOptions, type SentSecret } from './send.js';
import type { EcdhKeys } from '../protocol/request.js';

export { checkSize } from './send.js';
export { checkAgeIdentities, checkAgeRecipients, exportAgeFile, storedSecretRef } from './age.js';
export { isStatelessLink } from './open.js';
export { revokeSecret, secretReceipt, secretStatus } from './manage.js';
export { cancelSecretRequest, requestStatus, waitForAnswer } from './requests.js';

export const sendSecret = (options: SendOptions, info?: ServerInfo): Promise<SentSecret> => send(options, inlineRunner, info);
export const sealLink = (options: SealLinkOptions): Promise<string> => seal(options, inlineRunner);
/** A stored secret whose link key is wrapped to age recipients (docs/protocol.md §14). */
export const sendSecretToAge = (options: SendOptions & { to: readonly string[] }, info?: ServerInfo): Promise<SentSecret> => sendToAge(options, inlineRunner, info);
/** A split secret, k of n (docs/protocol.md §15): a vault and n share secrets. */
export const sendSplit = (options: SplitSendOptions, info?: ServerInfo): Promise<SentSplit> => sendSplitSecret(options, inlineRunner, info);
export const recoverVault = (links: readonly string[], options: CombineOptions = {}): Promise<RecoveredVault> => recover(links, options, inlineRunner);
export const combineShares = (links: readonly string[], options: CombineOptions = {}): Promise<OpenedLink & { recovered: RecoveredVault }> => combine(links, options, inlineRunner);
export const openLink = (link: string, options: OpenOptions = {}): Promise<OpenedLink> => open(link, options, inlineRunner);
// A stored link step by step, for readers that must act between the steps (a restricted secret's code).
export const peekStored = (ref: StoredSecretRef): Promise<PeekResponse> => peekSecret(ref, inlineRunner);
export const requestCode = (ref: StoredSecretRef, email: string): Promise<{ expiresIn: number }> => requestSecretCode(ref, email, inlineRunner);
export const consumeStored = (ref: StoredSecretRef, peek: PeekResponse, options: { passphrase?: string | undefined; code?: string | undefined }): Promise<OpenedLink> =>
  consumeSecret(ref, peek, options, inlineRunner);
export const createSecretRequest = (options: CreateRequestOptions, info?: ServerInfo): Promise<CreatedRequest> => create(options, inlineRunner, info);
export const openRequestLink = (link: string, options: RequestLinkOptions = {}): Promise<OpenedRequest> => openRequest(link, options, inlineRunner);
export const answerRequest = (request: OpenedRequest, message: string, options: { fetch?: typeof fetch } = {}): Promise<void> =>
  answer(request, message, options, inlineRunner);
export const respondToRequest = (link: string, message: string, options: RequestLinkOptions = {}): Promise<OpenedRequest> =>
  respond(link, message, options, inlineRunner);
export const pickupResponse = (handle: RequestHandle & { keys: EcdhKeys; now?: () => number }): Promise<ReceivedSecret> => pickup(handle, inlineRunner);
