// Stateless links (docs/protocol.md §5): the whole ciphertext travels in the fragment and nothing is
// stored anywhere. Expiry is the envelope's sealed "e", enforced by the reader's client.
import { randomBytes } from './bytes.js';
import { openContainer, sealContainer } from './container.js';
import { decodeEnvelope, encodeEnvelope, type OpenedEnvelope } from './envelope.js';
import { ProtocolError } from './errors.js';
import {
  DEFAULT_ITERATIONS,
  KEY_BYTES,
  SALT_BYTES,
  checkPassphraseParams,
  deriveLinkKeys,
  derivePassphraseKey,
  deriveStatelessPassphraseKey,
} from './keys.js';
import { formatStatelessFragment, normalizeOrigin, parseStatelessFragment } from './links.js';

/**
 * Longest stateless link we make: 2 000 characters. Links this long still survive e-mail
 * clients, chat apps, URL shorteners and QR codes; longer ones get cut or refused somewhere.
 * Use a stored secret for more.
 */
export const MAX_STATELESS_LINK = 2_000;

export interface StatelessOptions {
  message: string;
  /** Sealed expiry, Unix seconds (required: a stateless link cannot be revoked). */
  expiresAt: number;
  /** Key the link by a passphrase alone (`1p.`), shared apart from the link. */
  passphrase?: string;
  iterations?: number;
  maxLength?: number;
}

/** Builds `{origin}/l#1.…` or `{origin}/l#1p.…`. @throws ProtocolError `invalid_input` when too long. */
export async function sealStatelessLink(origin: string, options: StatelessOptions): Promise<string> {
  const plaintext = encodeEnvelope({ message: options.message, expiresAt: options.expiresAt });
  let fragment: string;
  if (options.passphrase === undefined) {
    const key = randomBytes(KEY_BYTES);
    const { encKey } = await deriveLinkKeys(key);
    fragment = formatStatelessFragment({ kind: 'key', key, container: await sealContainer(encKey, plaintext) });
  } else {
    const salt = randomBytes(SALT_BYTES);
    const iterations = options.iterations ?? DEFAULT_ITERATIONS;
    const { encKey } = await deriveStatelessPassphraseKey(await derivePassphraseKey(options.passphrase, salt, iterations));
    fragment = formatStatelessFragment({ kind: 'passphrase', salt, iterations, container: await sealContainer(encKey, plaintext) });
  }
  const link = `${normalizeOrigin(origin)}/l#${fragment}`;
  const max = options.maxLength ?? MAX_STATELESS_LINK;
  if (link.length > max) {
    throw new ProtocolError(
      'invalid_input',
      `The link would be ${String(link.length)} characters, more than the ${String(max)} that e-mail, chat apps and QR codes reliably carry. Shorten the message or use a stored one-time link.`,
    );
  }
  return link;
}

/**
 * Opens a stateless fragment (without `#`). Wrong passphrase and damaged data both give
 * `decryption_failed`; a passed sealed expiry gives `expired` and no content.
 */
export async function openStatelessFragment(
  fragment: string,
  options: { passphrase?: string; nowMs?: number; maxIterations?: number } = {},
): Promise<OpenedEnvelope> {
  const f = parseStatelessFragment(fragment);
  let encKey: CryptoKey;
  if (f.kind === 'key') {
    encKey = (await deriveLinkKeys(f.key)).encKey;
  } else {
    if (options.passphrase === undefined) throw new ProtocolError('invalid_input', 'This link is protected by a passphrase.');
    checkPassphraseParams(f.salt, f.iterations, options.maxIterations);
    encKey = (await deriveStatelessPassphraseKey(await derivePassphraseKey(options.passphrase, f.salt, f.iterations))).encKey;
  }
  return decodeEnvelope(await openContainer(encKey, f.container), options.nowMs);
}
