// Opening: a stored secret (peek, then consume and decrypt; docs/protocol.md §2–4, §6) and a
// stateless link (§5). The one implementation for the reveal and stateless pages, the CLI and the
// library. The reveal page peeks on load and consumes on a press, so the two steps are separate
// functions; openLink runs both for callers that have nothing to show in between.
import type { CodeResponse, PassphraseParams, PeekResponse } from '../protocol/api.js';
import type { Bytes } from '../protocol/bytes.js';
import type { EnvelopeFile } from '../protocol/envelope.js';
import { parseSecretLink, parseStatelessFragment } from '../protocol/links.js';
import { HushApi, type SecretReader } from './api.js';
import { ClientError, ProtocolError } from './errors.js';
import type { Needs } from './runner.js';

export interface OpenOptions {
  passphrase?: string;
  /** Talk to this server instead of the link's origin (e.g. inside a private network). */
  server?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

export interface OpenedLink {
  kind: 'stored' | 'stateless';
  message: string;
  /** Attached files, in order. Their names are the sender's: pass them through safeFileName before writing. */
  files: readonly EnvelopeFile[];
  /** Expiry sealed in the envelope, Unix seconds, when present. */
  sealedExpiresAt: number | undefined;
  /** Views left on the server after this one (stored links); null for stateless links. */
  viewsLeft: number | null;
  /** The plaintext was not an envelope and is shown as is. */
  raw: boolean;
}

/** A stored secret as a reader holds it: where to ask, its id, and the link key. */
export interface StoredSecretRef {
  api: SecretReader;
  id: string;
  key: Bytes;
}

/** Step 1: whether the secret is there, its expiry, views and passphrase parameters. Changes nothing. */
export async function peekSecret(ref: StoredSecretRef, runner: Needs<'readAuth'>): Promise<PeekResponse> {
  return ref.api.peek(ref.id, await runner.readAuth(ref.key));
}

/**
 * For a restricted secret (peek says `restricted`, docs/protocol.md §12): asks the server to mail
 * a code to `email`, if it is listed. The answer does not say whether it is — unless the browser
 * is signed in to the server as `email`: then the code comes back here (`code`), nothing is mailed.
 */
export async function requestSecretCode(ref: StoredSecretRef, email: string, runner: Needs<'readAuth'>): Promise<CodeResponse> {
  return ref.api.requestCode(ref.id, await runner.readAuth(ref.key), email);
}

/**
 * Step 2: consumes one view and decrypts it. `peek` is step 1's answer; a passphrase it asks for
 * must be given, or nothing is consumed.
 * @throws ClientError `passphrase_required`; ApiError `not_found`, `wrong_passphrase`, `not_yet_available`,
 * `code_required` and `wrong_code` (a restricted secret: pass the code mailed by requestSecretCode);
 * ProtocolError `unsafe_parameters` (before consuming), `expired`, `decryption_failed`, `unsupported_version`, `malformed_envelope`
 */
export async function consumeSecret(
  ref: StoredSecretRef,
  peek: PeekResponse,
  options: { passphrase?: string | undefined; code?: string | undefined; now?: (() => number) | undefined },
  runner: Needs<'readerKeys' | 'openSecret'>,
): Promise<OpenedLink & { viewsLeft: number }> {
  let passphrase: { passphrase: string; params: PassphraseParams } | undefined;
  if (peek.passphrase !== null) {
    if (options.passphrase === undefined) throw new ClientError('passphrase_required', 'This secret is protected by a passphrase; give it to open the secret.');
    passphrase = { passphrase: options.passphrase, params: peek.passphrase };
  }
  const keys = await runner.readerKeys(ref.key, passphrase);
  const res = await ref.api.consume(ref.id, {
    auth: keys.auth,
    ...(keys.passphraseProof === undefined ? {} : { passphraseProof: keys.passphraseProof }),
    ...(options.code === undefined ? {} : { code: options.code }),
  });
  const opened = await runner.openSecret(keys.encKey, res.ciphertext, (options.now ?? Date.now)());
  return { kind: 'stored', message: opened.message, files: opened.files, sealedExpiresAt: opened.expiresAt, viewsLeft: res.viewsLeft, raw: opened.raw };
}

/**
 * Opens (and so consumes one view of) a stored secret. Peeks first, which changes nothing, to
 * learn whether a passphrase is needed.
 */
export async function openStoredLink(link: string, options: OpenOptions, runner: Needs<'readAuth' | 'readerKeys' | 'openSecret'>): Promise<OpenedLink> {
  const { origin, id, key } = parseSecretLink(link);
  const ref = { api: new HushApi(options.server ?? origin, options.fetch), id, key };
  return consumeSecret(ref, await peekSecret(ref, runner), options, runner);
}

/**
 * Opens a stateless link's fragment (without `#`) locally; no request is made.
 * @throws ClientError `passphrase_required`; ProtocolError `invalid_link`, `decryption_failed` (also a wrong passphrase), `expired`, …
 */
export async function unsealFragment(
  fragment: string,
  options: { passphrase?: string | undefined; now?: (() => number) | undefined },
  runner: Needs<'openStateless'>,
): Promise<OpenedLink> {
  if (parseStatelessFragment(fragment).kind === 'passphrase' && options.passphrase === undefined) {
    throw new ClientError('passphrase_required', 'This link is protected by a passphrase; give it to open the link.');
  }
  const opened = await runner.openStateless(fragment, {
    nowMs: (options.now ?? Date.now)(),
    ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase }),
  });
  return { kind: 'stateless', message: opened.message, files: opened.files, sealedExpiresAt: opened.expiresAt, viewsLeft: null, raw: opened.raw };
}

/** Opens a stateless link (`{origin}/l#…`) locally; no request is made. */
export async function unsealLink(link: string, options: { passphrase?: string; now?: () => number }, runner: Needs<'openStateless'>): Promise<OpenedLink> {
  let fragment: string;
  try {
    fragment = new URL(link.trim()).hash.slice(1);
  } catch {
    throw new ProtocolError('invalid_link', 'this is not a link');
  }
  return unsealFragment(fragment, options, runner);
}

/** True for `{origin}/l#…` links (stateless), false for anything else. */
export function isStatelessLink(link: string): boolean {
  try {
    return /\/l$/.test(new URL(link.trim()).pathname);
  } catch {
    return false;
  }
}

/** Opens either kind of link: a stored one is consumed (one view), a stateless one opened locally. */
export function openLink(link: string, options: OpenOptions, runner: Needs<'readAuth' | 'readerKeys' | 'openSecret' | 'openStateless'>): Promise<OpenedLink> {
  return isStatelessLink(link) ? unsealLink(link, options, runner) : openStoredLink(link, options, runner);
}
