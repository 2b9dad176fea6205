// Verified recipients (docs/protocol.md §12): what a recipient entry is, written the one way every
// client and the server hash it. Pure: no I/O.

/** Most recipients one secret may name. */
export const MAX_RECIPIENTS = 20;
/** A code is six decimal digits. */
export const CODE_PATTERN = /^[0-9]{6}$/;
/** Seconds a code is good for, and most codes one secret may be sent. */
export const CODE_TTL_SECONDS = 600;
export const MAX_CODES_PER_SECRET = 10;
/** Wrong codes allowed before the secret is burned. */
export const CODE_ATTEMPTS = 5;

// A practical address check, not RFC 5322: a local part without spaces or @, and a domain of
// letters, digits, hyphens and dots with at least one dot (or an internationalised domain written
// as is; lower-cased, never punycode-converted, so both sides must write it alike).
const LOCAL = /^[^\s@"<>()[\]\\,;:]{1,64}$/u;
const DOMAIN = /^(?=.{1,253}$)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/**
 * A recipient entry as hashed: an address `local@domain` or a whole domain `@domain`, trimmed,
 * NFC-normalised and lower-cased; null when it is neither.
 */
export function normalizeRecipient(entry: string): string | null {
  const text = entry.trim().normalize('NFC').toLowerCase();
  const at = text.lastIndexOf('@');
  if (at < 0) return null;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (!DOMAIN.test(domain)) return null;
  if (local === '') return at === 0 ? `@${domain}` : null;
  return LOCAL.test(local) ? `${local}@${domain}` : null;
}

/** An address a code may be sent to (not a `@domain`): its normalised form, or null. */
export function normalizeAddress(address: string): string | null {
  const n = normalizeRecipient(address);
  return n === null || n.startsWith('@') ? null : n;
}
