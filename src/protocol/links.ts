// Link formats of docs/protocol.md §5. The key material lives in the fragment, which browsers never send.
import { b64uDecode, b64uEncode, b64uLength, isB64uOfLength } from './b64u.js';
import { bytesEqual, utf8Encode, type Bytes } from './bytes.js';
import { ProtocolError } from './errors.js';
import { KEY_BYTES, SALT_BYTES } from './keys.js';

export const ID_BYTES = 16;
export const MANAGE_TOKEN_BYTES = 32;
/** A request's fingerprint: the first 16 bytes of SHA-256(public key ‖ note) (docs/protocol.md §7). */
export const FINGERPRINT_BYTES = 16;
/** b64u of 16 bytes is 22 characters. */
export const ID_PATTERN = '^[A-Za-z0-9_-]{22}$';

const invalid = (what: string): ProtocolError => new ProtocolError('invalid_link', what);

export const isValidId = (id: string): boolean => isB64uOfLength(id, ID_BYTES);

/** Removes a trailing slash so that `${origin}/s/…` never has `//`. */
export const normalizeOrigin = (origin: string): string => origin.replace(/\/+$/, '');

export function formatSecretLink(origin: string, id: string, key: Uint8Array): string {
  return `${normalizeOrigin(origin)}/s/${id}#${b64uEncode(key)}`;
}

export function formatManageLink(origin: string, id: string, manageToken: string): string {
  return `${normalizeOrigin(origin)}/m/${id}#${manageToken}`;
}

interface Split {
  origin: string;
  kind: string;
  id: string;
  fragment: string;
}

// Accepts an origin with a path prefix (Hush served under https://example.com/hush/).
function splitLink(link: string, kinds: readonly string[]): Split {
  let url: URL;
  try {
    url = new URL(link.trim());
  } catch {
    throw invalid('this is not a link');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('the link must start with https:// or http://');
  const match = /^(.*)\/([a-z])\/([^/]*)$/.exec(url.pathname);
  if (!match || !kinds.includes(match[2]!)) throw invalid('this is not a Hush link');
  const fragment = url.hash.startsWith('#') ? url.hash.slice(1) : '';
  if (fragment === '') throw invalid('the link is incomplete: the part after # is missing');
  return { origin: url.origin + match[1]!, kind: match[2]!, id: match[3]!, fragment };
}

export interface SecretLink {
  readonly origin: string;
  readonly id: string;
  readonly key: Bytes;
}

/**
 * Parses `{origin}/s/{id}#{b64u(k)}`. A link whose key is wrapped to an age key (§14) is refused:
 * it opens only with the matching identity (parseStoredSecretLink, then the client's age flow).
 * @throws ProtocolError `invalid_link`
 */
export function parseSecretLink(link: string): SecretLink {
  const parsed = parseStoredSecretLink(link);
  if (parsed.kind === 'age') throw invalid('this secret is encrypted to an age key: it opens only with the matching age identity (hush open --identity FILE)');
  return { origin: parsed.origin, id: parsed.id, key: parsed.key };
}

/** A stored secret's link: its key in the fragment (§5), or that key wrapped to age recipients (§14). */
export type StoredSecretLink =
  | { readonly kind: 'key'; readonly origin: string; readonly id: string; readonly key: Bytes }
  | { readonly kind: 'age'; readonly origin: string; readonly id: string; readonly ageFile: Bytes };

/** Parses either form of a stored secret's link. @throws ProtocolError `invalid_link` */
export function parseStoredSecretLink(link: string): StoredSecretLink {
  const { origin, id, fragment } = splitLink(link, ['s']);
  if (!isValidId(id)) throw invalid('the secret id in the link is not valid');
  if (isShareFragment(fragment)) throw invalid('this is one share of a split secret: it opens only together with the other shares (hush combine LINK…)');
  return isAgeFragment(fragment) ? { kind: 'age', origin, id, ageFile: parseAgeFragment(fragment) } : { kind: 'key', origin, id, key: parseKeyFragment(fragment) };
}

/**
 * The fragment of a stored secret whose link key travels wrapped to age recipients (§14):
 * `age.{b64u(binary age file)}`. The dot is outside base64url, so a v1 reader's key parser refuses
 * it as a damaged key, and no 43-character key fragment can start with it.
 */
export const AGE_FRAGMENT_PREFIX = 'age.';
/** The first line of every binary age v1 file (age-encryption.org/v1). */
const AGE_MAGIC = 'age-encryption.org/v1\n';
/** The largest age file a link may carry (§14): ten X25519 stanzas take about 1.1 KiB. */
export const MAX_AGE_FILE_BYTES = 16 * 1024;

export const isAgeFragment = (fragment: string): boolean => fragment.startsWith(AGE_FRAGMENT_PREFIX);

export function formatAgeFragment(ageFile: Uint8Array): string {
  return AGE_FRAGMENT_PREFIX + b64uEncode(ageFile);
}

/** `{origin}/s/{id}#age.{b64u(age file)}`: a stored secret's link that carries no key (§14). */
export function formatAgeSecretLink(origin: string, id: string, ageFile: Uint8Array): string {
  return `${normalizeOrigin(origin)}/s/${id}#${formatAgeFragment(ageFile)}`;
}

/**
 * Decodes an `age.…` fragment to the binary age file it carries, checking its shape only (base64url,
 * size, the age v1 magic line); whether it decrypts is the identity's business.
 * @throws ProtocolError `invalid_link`
 */
export function parseAgeFragment(fragment: string): Bytes {
  if (!isAgeFragment(fragment)) throw invalid('the link carries no age file');
  const text = fragment.slice(AGE_FRAGMENT_PREFIX.length);
  if (text.length > b64uLength(MAX_AGE_FILE_BYTES)) throw invalid('the age file in the link is too large');
  let file: Bytes;
  try {
    file = b64uDecode(text);
  } catch {
    throw invalid('the age file in the link is damaged');
  }
  const magic = utf8Encode(AGE_MAGIC);
  if (file.length <= magic.length || !bytesEqual(file.subarray(0, magic.length), magic)) throw invalid('the link does not carry an age v1 file');
  return file;
}

/**
 * The fragment of one share of a split secret (§15): `share.{k}.{vault id}.{b64u(share key)}`.
 * The dots are outside base64url, so a v1 reader refuses it as a damaged key and sends nothing;
 * k and the vault id let a combiner group shares and count them before it consumes any.
 */
export const SHARE_FRAGMENT_PREFIX = 'share.';

export const isShareFragment = (fragment: string): boolean => fragment.startsWith(SHARE_FRAGMENT_PREFIX);

export interface ShareLink {
  readonly origin: string;
  /** The share secret's id. */
  readonly id: string;
  /** The share secret's link key (§2). */
  readonly key: Bytes;
  /** What the link claims: shares needed, and the vault. The sealed record must say the same. */
  readonly k: number;
  readonly vault: string;
}

export function formatShareLink(origin: string, id: string, key: Uint8Array, k: number, vault: string): string {
  return `${normalizeOrigin(origin)}/s/${id}#${SHARE_FRAGMENT_PREFIX}${String(k)}.${vault}.${b64uEncode(key)}`;
}

/** Parses `{origin}/s/{id}#share.{k}.{vault}.{key}`. @throws ProtocolError `invalid_link` */
export function parseShareLink(link: string): ShareLink {
  const { origin, id, fragment } = splitLink(link, ['s']);
  if (!isValidId(id)) throw invalid('the secret id in the link is not valid');
  if (!isShareFragment(fragment)) throw invalid('this is not a share of a split secret (…#share.…)');
  const parts = fragment.slice(SHARE_FRAGMENT_PREFIX.length).split('.');
  if (parts.length !== 3 || !/^([2-9]|10)$/.test(parts[0]!)) throw invalid('the share in the link is damaged');
  if (!isValidId(parts[1]!)) throw invalid('the vault id in the share link is not valid');
  return { origin, id, key: parseKeyFragment(parts[2]!), k: Number(parts[0]), vault: parts[1]! };
}

/** Decodes the fragment of a reveal link: the 32-byte link key. @throws ProtocolError `invalid_link` */
export function parseKeyFragment(fragment: string): Bytes {
  let key: Bytes;
  try {
    key = b64uDecode(fragment);
  } catch {
    throw invalid('the key in the link is damaged');
  }
  if (key.length !== KEY_BYTES) throw invalid('the key in the link has the wrong length');
  return key;
}

export interface ManageLink {
  readonly origin: string;
  readonly id: string;
  readonly manageToken: string;
}

/** Parses `{origin}/m/{id}#{manageToken}`. @throws ProtocolError `invalid_link` */
export function parseManageLink(link: string): ManageLink {
  const { origin, id, fragment } = splitLink(link, ['m']);
  if (!isValidId(id)) throw invalid('the secret id in the link is not valid');
  if (!isB64uOfLength(fragment, MANAGE_TOKEN_BYTES)) throw invalid('the manage token in the link is damaged');
  return { origin, id, manageToken: fragment };
}

export interface RequestLink {
  readonly origin: string;
  readonly id: string;
  /** The first 16 bytes of SHA-256(public key ‖ UTF-8(note)), made by the requester's client. */
  readonly fingerprint: Bytes;
}

/** `{origin}/r/{id}#{b64u(fingerprint)}`: the link a requester sends to the person who will answer. */
export function formatRequestLink(origin: string, id: string, fingerprint: Uint8Array): string {
  return `${normalizeOrigin(origin)}/r/${id}#${b64uEncode(fingerprint)}`;
}

/** Decodes the fragment of a request link: the 16-byte fingerprint. @throws ProtocolError `invalid_link` */
export function parseFingerprintFragment(fragment: string): Bytes {
  let fingerprint: Bytes;
  try {
    fingerprint = b64uDecode(fragment);
  } catch {
    throw invalid('the fingerprint in the request link is damaged');
  }
  if (fingerprint.length !== FINGERPRINT_BYTES) throw invalid('the fingerprint in the request link has the wrong length');
  return fingerprint;
}

/** Parses `{origin}/r/{id}#{fingerprint}`. @throws ProtocolError `invalid_link` */
export function parseRequestLink(link: string): RequestLink {
  const { origin, id, fragment } = splitLink(link, ['r']);
  if (!isValidId(id)) throw invalid('the request id in the link is not valid');
  return { origin, id, fingerprint: parseFingerprintFragment(fragment) };
}

/** A stateless link's fragment (docs/protocol.md §5), without the leading `#`. */
export type StatelessFragment =
  | { readonly kind: 'key'; readonly key: Bytes; readonly container: Bytes }
  | { readonly kind: 'passphrase'; readonly salt: Bytes; readonly iterations: number; readonly container: Bytes };

export function formatStatelessFragment(f: StatelessFragment): string {
  return f.kind === 'key'
    ? `1.${b64uEncode(f.key)}.${b64uEncode(f.container)}`
    : `1p.${b64uEncode(f.salt)}.${String(f.iterations)}.${b64uEncode(f.container)}`;
}

/**
 * Parses a stateless fragment. Any malformed input gives `invalid_link`; iteration bounds are
 * checked later by the passphrase derivation.
 */
export function parseStatelessFragment(fragment: string): StatelessFragment {
  const parts = fragment.split('.');
  try {
    if (parts[0] === '1' && parts.length === 3) {
      const key = b64uDecode(parts[1]!);
      if (key.length !== KEY_BYTES) throw invalid('the key in the link has the wrong length');
      return { kind: 'key', key, container: b64uDecode(parts[2]!) };
    }
    if (parts[0] === '1p' && parts.length === 4) {
      const salt = b64uDecode(parts[1]!);
      if (salt.length !== SALT_BYTES) throw invalid('the salt in the link has the wrong length');
      if (!/^[1-9][0-9]{0,9}$/.test(parts[2]!)) throw invalid('the iteration count in the link is not valid');
      return { kind: 'passphrase', salt, iterations: Number(parts[2]), container: b64uDecode(parts[3]!) };
    }
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'invalid_link') throw e;
    throw invalid('the link is damaged');
  }
  throw invalid('this is not a Hush stateless link, or it was made by a newer version of Hush');
}
