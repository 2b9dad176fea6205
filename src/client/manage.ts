// The sender's side after sending (docs/protocol.md §6 steps 4–5): the state of a secret and
// revoking it, from the manage link. No crypto: the manage token is a bearer token.
import type { StatusResponse } from '../protocol/api.js';
import { parseManageLink } from '../protocol/links.js';
import { HushApi } from './api.js';

export interface ManageOptions {
  /** Talk to this server instead of the link's origin. */
  server?: string;
  fetch?: typeof fetch;
}

/** The state of a secret, from the sender's manage link. */
export async function secretStatus(manageLink: string, options: ManageOptions = {}): Promise<StatusResponse> {
  const { origin, id, manageToken } = parseManageLink(manageLink);
  return new HushApi(options.server ?? origin, options.fetch).status(id, manageToken);
}

/** Revokes a secret from the sender's manage link: its ciphertext is erased at once. */
export async function revokeSecret(manageLink: string, options: ManageOptions = {}): Promise<void> {
  const { origin, id, manageToken } = parseManageLink(manageLink);
  await new HushApi(options.server ?? origin, options.fetch).revoke(id, manageToken);
}

/**
 * The signed receipt of a secret's history, from the sender's manage link: the receipt file as the
 * server sent it (verify it with verifyReceipt from the protocol module, or `hush receipt verify`).
 */
export async function secretReceipt(manageLink: string, options: ManageOptions = {}): Promise<unknown> {
  const { origin, id, manageToken } = parseManageLink(manageLink);
  return new HushApi(options.server ?? origin, options.fetch).receipt(id, manageToken);
}
