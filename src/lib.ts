/**
 * Hush as a library, for integrations: make and open links from Node (≥ 20) or any runtime with
 * WebCrypto and fetch. The same protocol code as the pages and the CLI.
 *
 * ```ts
 * import { createSecret, sealLink, openLink, secretStatus, revoke } from 'hush';
 * const { link, manageLink } = await createSecret({ server: 'https://hush.example.com', message: 'db password', ttl: 3600 });
 * ```
 * See docs/integrations.md.
 */
import {
  isStatelessLink,
  openLink as openStoredLink,
  revokeSecret,
  secretStatus as status,
  sealLink as seal,
  sendSecret,
  unsealLink,
  type OpenOptions,
  type SealLinkOptions,
  type SendOptions,
  type SentSecret,
  type EnvelopeFile,
} from './client/flows.js';
import type { StatusResponse } from './protocol/api.js';

export { ApiError, ClientError } from './client/flows.js';
export { ProtocolError } from './protocol/errors.js';
export type { ProtocolErrorCode } from './protocol/errors.js';
export type { SendOptions, SentSecret, SealLinkOptions, OpenOptions, EnvelopeFile } from './client/flows.js';
export { safeFileName } from './shared/filenames.js';
export type { StatusResponse, SecretState } from './protocol/api.js';
export { MAX_STATELESS_LINK } from './protocol/stateless.js';

/** Stores an end-to-end encrypted one-time secret; returns the recipient's link and the manage link. */
export function createSecret(options: SendOptions): Promise<SentSecret> {
  return sendSecret(options);
}

/** Makes a stateless expiring link (nothing stored; no request made). */
export function sealLink(options: SealLinkOptions): Promise<string> {
  return seal(options);
}

export interface OpenedLink {
  kind: 'stored' | 'stateless';
  message: string;
  /** Attached files, in order. Their names are the sender's: pass them through safeFileName before writing. */
  files: readonly EnvelopeFile[];
  /** Expiry sealed in the envelope, Unix seconds. */
  sealedExpiresAt: number | undefined;
  /** Views left on the server (stored links); null for stateless links. */
  viewsLeft: number | null;
}

/**
 * Opens either kind of link. A stored link is consumed (one view); a stateless one is opened
 * locally. Throws ApiError (e.g. code `not_found`), ProtocolError (e.g. `expired`,
 * `decryption_failed`) or ClientError (`passphrase_required`).
 */
export async function openLink(link: string, options: OpenOptions = {}): Promise<OpenedLink> {
  if (isStatelessLink(link)) {
    const o = await unsealLink(link, options);
    return { kind: 'stateless', message: o.message, files: o.files, sealedExpiresAt: o.sealedExpiresAt, viewsLeft: null };
  }
  const o = await openStoredLink(link, options);
  return { kind: 'stored', message: o.message, files: o.files, sealedExpiresAt: o.sealedExpiresAt, viewsLeft: o.viewsLeft };
}

/** The state of a stored secret, from its manage link. */
export function secretStatus(manageLink: string, options: { server?: string; fetch?: typeof fetch } = {}): Promise<StatusResponse> {
  return status(manageLink, options);
}

/** Revokes a stored secret from its manage link; its ciphertext is erased at once. */
export function revoke(manageLink: string, options: { server?: string; fetch?: typeof fetch } = {}): Promise<void> {
  return revokeSecret(manageLink, options);
}
