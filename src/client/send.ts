// Sending: a stored one-time secret (seal, human check, create; docs/protocol.md §2–6) and a
// stateless link (§5). The one implementation for the create page, the CLI and the library; the
// crypto runs where the caller's runner runs it.
import type { EnvelopeFile } from '../protocol/envelope.js';
import { formatManageLink, formatSecretLink } from '../protocol/links.js';
import { sealedSize } from '../protocol/secret.js';
import { MAX_RECIPIENTS, normalizeRecipient } from '../protocol/recipients.js';
import { formatBytes } from '../shared/filenames.js';
import { HushApi, type ServerInfo } from './api.js';
import { ClientError } from './errors.js';
import { createAuth } from './human-check.js';
import type { Needs } from './runner.js';

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
  /** Not readable before this moment (ISO 8601); the server refuses reads until then. */
  notBefore?: string;
  /** Only these addresses and `@domain`s can open it, with a code mailed to them (docs/protocol.md §12). */
  recipients?: readonly string[];
  /** An API token: creates without the human check (and is rate-limited per token). */
  apiToken?: string;
  /** The Turnstile widget's answer (pages); see HumanCheckOptions. */
  turnstileToken?: string | null;
  /** A signed-in page's session CSRF value (HUSH_CREATE=oidc); see HumanCheckOptions. */
  csrf?: string;
  fetch?: typeof fetch;
  now?: () => number;
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
 * @throws ClientError `too_large`, carrying both sizes
 */
export function checkSize(size: number, maxSize: number): void {
  if (size > maxSize) {
    throw new ClientError(
      'too_large',
      `The secret is too large for this server: ${formatBytes(size)} encrypted (${String(size)} bytes), its limit is ${formatBytes(maxSize)} (${String(maxSize)} bytes) for the message and all files together.`,
      { size, maxSize },
    );
  }
}

/**
 * The recipients as the server takes them, checked before anything is encrypted: each an address
 * or an @domain, at most MAX_RECIPIENTS, and a server that offers the feature (one that does not
 * would refuse the create; saying so first is clearer).
 * @throws ClientError `invalid_option`
 */
function checkRecipients(given: readonly string[] | undefined, info: ServerInfo): string[] | undefined {
  if (given === undefined || given.length === 0) return undefined;
  if (info.recipients !== true) {
    throw new ClientError('invalid_option', 'This server cannot restrict a secret to named recipients (it has no mail server for the codes).');
  }
  if (given.length > MAX_RECIPIENTS) throw new ClientError('invalid_option', `Name at most ${String(MAX_RECIPIENTS)} recipients.`);
  return given.map((r) => {
    const n = normalizeRecipient(r);
    if (n === null) throw new ClientError('invalid_option', `"${r.slice(0, 80)}" is not an e-mail address or an @domain.`);
    return n;
  });
}

/**
 * Encrypts `message` and `files` and stores the ciphertext on the server. `info` is the server's
 * /info answer when the caller already has it (one request fewer).
 * @throws ClientError `too_large`, `challenge_unsupported`, `challenge_incomplete`; ApiError; PowError
 */
export async function sendSecret(options: SendOptions, runner: Needs<'seal' | 'solvePow'>, info?: ServerInfo): Promise<SentSecret> {
  const api = new HushApi(options.server, options.fetch);
  info ??= await api.info();
  const ttl = options.ttl ?? info.limits.ttlDefault;
  const views = options.views ?? 1;
  const expiresAt = Math.floor((options.now ?? Date.now)() / 1000) + ttl;
  const files = options.files ?? [];
  const recipients = checkRecipients(options.recipients, info);
  checkSize(sealedSize({ message: options.message, files, expiresAt }), info.limits.maxSize);
  const sealed = await runner.seal({
    message: options.message,
    files,
    expiresAt,
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
  });
  const auth = await createAuth(api, info, { apiToken: options.apiToken, turnstileToken: options.turnstileToken, csrf: options.csrf, runner });
  const res = await api.create(
    { ...sealed.body, ttl, views, ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }), ...(recipients ? { recipients } : {}) },
    auth,
  );
  const origin = info.publicUrl ?? api.base;
  return {
    id: res.id,
    link: formatSecretLink(origin, res.id, sealed.key),
    manageLink: formatManageLink(origin, res.id, res.manageToken),
    expiresAt: res.expiresAt,
    views: res.views,
  };
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
 * @throws ClientError `invalid_option` (no expiry, or one not in the future); ProtocolError `invalid_input` (too long)
 */
export async function sealLink(options: SealLinkOptions, runner: Needs<'sealStateless'>): Promise<string> {
  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const expiresAt = options.expiresAt ?? (options.ttl === undefined ? undefined : nowSec + options.ttl);
  if (expiresAt === undefined) throw new ClientError('invalid_option', 'A stateless link needs an expiry: give ttl or expiresAt.');
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= nowSec) throw new ClientError('invalid_option', 'The expiry must be a whole number of seconds in the future.');
  return runner.sealStateless(options.origin, {
    message: options.message,
    expiresAt,
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
  });
}
