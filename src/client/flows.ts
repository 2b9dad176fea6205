// Whole flows over the API — send, open, status, revoke — for the CLI and the library.
// Pure protocol steps come from ../protocol; this file adds only the HTTP round trips.
import { ApiError, HushApi } from './api.js';
import type { StatusResponse } from '../protocol/api.js';
import { formatManageLink, formatSecretLink, parseManageLink, parseSecretLink } from '../protocol/links.js';
import { openSecret, readAuth, readerKeys, sealSecret, sealedSize } from '../protocol/secret.js';
import { openStatelessFragment, sealStatelessLink, statelessNeedsPassphrase } from '../protocol/stateless.js';
import { ProtocolError } from '../protocol/errors.js';
import type { EnvelopeFile } from '../protocol/envelope.js';
import { formatBytes } from '../shared/filenames.js';
import { solvePow } from './pow.js';
import type { CreateAuth, ServerInfo } from './api.js';

export { ApiError } from './api.js';
export type { EnvelopeFile } from '../protocol/envelope.js';

/** A client-side refusal that is not an API answer. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  readonly code: 'passphrase_required' | 'invalid_option' | 'challenge_unsupported' | 'too_large';
  constructor(code: ClientError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

export interface SendOptions {
  /** Server origin, e.g. http://127.0.0.1:8080. Links use the server's configured public URL when it has one. */
  server: string;
  /** The text; may be empty when files are attached. */
  message: string;
  /** Attachments, encrypted in the same envelope (name, media type, bytes). */
  files?: readonly EnvelopeFile[];
  /** Lifetime in seconds; the server's default when omitted. */
  ttl?: number;
  /** How many times it can be read (default 1). */
  views?: number;
  passphrase?: string;
  /** An API token: creates without the human check (and is rate-limited per token). */
  apiToken?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** Proves the right to create: the API token when given, else a solved proof-of-work challenge. */
export async function createAuth(api: HushApi, info: ServerInfo, apiToken?: string): Promise<CreateAuth> {
  if (apiToken !== undefined) return { apiToken };
  switch (info.challenge.kind) {
    case 'off':
      return {};
    case 'pow':
      return { challenge: await solvePow(await api.challenge()) };
    case 'turnstile':
      throw new ClientError(
        'challenge_unsupported',
        'This server checks for humans with Cloudflare Turnstile, which only works in the browser. Use the web page, or an API token (HUSH_API_TOKEN).',
      );
  }
}

export interface SentSecret {
  id: string;
  /** The link for the recipient: `{origin}/s/{id}#{key}`. */
  link: string;
  /** The sender's link to see the status and revoke: `{origin}/m/{id}#{token}`. */
  manageLink: string;
  expiresAt: string;
  views: number;
}

/**
 * Refuses, before anything is encrypted, a secret larger than the server's limit: `size` is what
 * will be stored (sealedSize: message, files and about 100 bytes of framing, plus any key sent
 * with it), `maxSize` the server's HUSH_MAX_SIZE.
 */
export function checkSize(size: number, maxSize: number): void {
  if (size > maxSize) {
    throw new ClientError(
      'too_large',
      `The secret is too large for this server: ${formatBytes(size)} encrypted (${String(size)} bytes), its limit is ${formatBytes(maxSize)} (${String(maxSize)} bytes) for the message and all files together.`,
    );
  }
}

/**
 * Encrypts `message` and `files` locally and stores the ciphertext on the server. `info` is the
 * server's /info answer when the caller already has it (one request fewer).
 */
export async function sendSecret(options: SendOptions, info?: ServerInfo): Promise<SentSecret> {
  const api = new HushApi(options.server, options.fetch);
  info ??= await api.info();
  const ttl = options.ttl ?? info.limits.ttlDefault;
  const views = options.views ?? 1;
  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const files = options.files ?? [];
  checkSize(sealedSize({ message: options.message, files, expiresAt: nowSec + ttl }), info.limits.maxSize);
  const sealed = await sealSecret({
    message: options.message,
    files,
    expiresAt: nowSec + ttl,
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
  });
  const res = await api.create({ ...sealed.body, ttl, views }, await createAuth(api, info, options.apiToken));
  const origin = info.publicUrl ?? api.base;
  return {
    id: res.id,
    link: formatSecretLink(origin, res.id, sealed.key),
    manageLink: formatManageLink(origin, res.id, res.manageToken),
    expiresAt: res.expiresAt,
    views: res.views,
  };
}

export interface OpenOptions {
  passphrase?: string;
  /** Talk to this server instead of the link's origin (e.g. inside a private network). */
  server?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface OpenedSecret {
  message: string;
  /** Attachments, in the sender's order. Names are the sender's: see safeFileName before writing. */
  files: readonly EnvelopeFile[];
  /** Expiry sealed in the envelope, Unix seconds, when present. */
  sealedExpiresAt: number | undefined;
  /** Views left on the server after this one. */
  viewsLeft: number;
  /** The plaintext was not an envelope and is shown as is. */
  raw: boolean;
}

/**
 * Opens (and so consumes one view of) a stored secret. Peeks first, which changes nothing, to learn
 * whether a passphrase is needed; throws `ClientError('passphrase_required')` before consuming when
 * one is needed and none was given.
 */
export async function openLink(link: string, options: OpenOptions = {}): Promise<OpenedSecret> {
  const { origin, id, key } = parseSecretLink(link);
  const api = new HushApi(options.server ?? origin, options.fetch);
  const auth = await readAuth(key);
  const peek = await api.peek(id, auth);
  if (peek.passphrase !== null && options.passphrase === undefined) {
    throw new ClientError('passphrase_required', 'This secret is protected by a passphrase; give it to open the secret.');
  }
  const keys = await readerKeys(
    key,
    peek.passphrase === null || options.passphrase === undefined ? undefined : { passphrase: options.passphrase, params: peek.passphrase },
  );
  const res = await api.consume(id, { auth: keys.auth, ...(keys.passphraseProof === undefined ? {} : { passphraseProof: keys.passphraseProof }) });
  const opened = await openSecret(keys.encKey, res.ciphertext, (options.now ?? Date.now)());
  return { message: opened.message, files: opened.files, sealedExpiresAt: opened.expiresAt, viewsLeft: res.viewsLeft, raw: opened.raw };
}

/** The state of a secret, from the sender's manage link. */
export async function secretStatus(manageLink: string, options: { server?: string; fetch?: typeof fetch } = {}): Promise<StatusResponse> {
  const { origin, id, manageToken } = parseManageLink(manageLink);
  return new HushApi(options.server ?? origin, options.fetch).status(id, manageToken);
}

/** Revokes a secret from the sender's manage link: its ciphertext is erased at once. */
export async function revokeSecret(manageLink: string, options: { server?: string; fetch?: typeof fetch } = {}): Promise<void> {
  const { origin, id, manageToken } = parseManageLink(manageLink);
  await new HushApi(options.server ?? origin, options.fetch).revoke(id, manageToken);
}

export const isApiError = (e: unknown, code?: ApiError['code']): e is ApiError => e instanceof ApiError && (code === undefined || e.code === code);

/** True for `{origin}/l#…` links (stateless), false for anything else. */
export function isStatelessLink(link: string): boolean {
  try {
    return /\/l$/.test(new URL(link.trim()).pathname);
  } catch {
    return false;
  }
}

export interface SealLinkOptions {
  /** The Hush origin that will open the link (no request is made to it). */
  origin: string;
  message: string;
  /** Lifetime in seconds, or an absolute expiry (Unix seconds). */
  ttl?: number;
  expiresAt?: number;
  passphrase?: string;
  now?: () => number;
}

/**
 * Makes a stateless link: encrypted locally, nothing stored anywhere, no request made. It cannot
 * be revoked or limited to one read; its expiry is enforced by the reader's client.
 */
export async function sealLink(options: SealLinkOptions): Promise<string> {
  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const expiresAt = options.expiresAt ?? (options.ttl === undefined ? undefined : nowSec + options.ttl);
  if (expiresAt === undefined) throw new ClientError('invalid_option', 'A stateless link needs an expiry: give ttl or expiresAt.');
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= nowSec) throw new ClientError('invalid_option', 'The expiry must be a whole number of seconds in the future.');
  return sealStatelessLink(options.origin, {
    message: options.message,
    expiresAt,
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
  });
}

/** Opens a stateless link locally (no request is made). */
export async function unsealLink(link: string, options: { passphrase?: string; now?: () => number } = {}): Promise<OpenedSecret> {
  let fragment: string;
  try {
    fragment = new URL(link.trim()).hash.slice(1);
  } catch {
    throw new ProtocolError('invalid_link', 'this is not a link');
  }
  if (statelessNeedsPassphrase(fragment) !== null && options.passphrase === undefined) {
    throw new ClientError('passphrase_required', 'This link is protected by a passphrase; give it to open the link.');
  }
  const opened = await openStatelessFragment(fragment, {
    nowMs: (options.now ?? Date.now)(),
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
  });
  return { message: opened.message, files: opened.files, sealedExpiresAt: opened.expiresAt, viewsLeft: 0, raw: opened.raw };
}
