// The sign-in settings (HUSH_CREATE=oidc, docs/protocol.md §13): their parsers, and the checks
// between them, for src/server/config.ts. Kept apart so that the configuration schema stays short.
// Parsers throw plain Errors; config.ts names the setting in front of the message.
import { b64uDecode } from '../protocol/b64u.js';
import type { StoreSpec } from '../store/index.js';

/** Bytes of HUSH_SESSION_KEY (an AES-256-GCM key). */
export const SESSION_KEY_BYTES = 32;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * HUSH_OIDC_ISSUER: the provider's issuer identifier, exactly as its discovery document and its
 * ID tokens name it. https, or http on a loopback address (a provider on this machine, for tests).
 */
export function parseIssuer(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new Error(`not a URL: "${raw}"`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOOPBACK.has(u.hostname))) {
    throw new Error('must be an https:// URL (http:// only on a loopback address)');
  }
  if (u.search !== '' || u.hash !== '' || u.username !== '' || u.password !== '') throw new Error('must be the issuer URL alone, without query, fragment or credentials');
  return raw.trim();
}

/** HUSH_OIDC_ALLOWED_DOMAINS: e-mail domains, lowercased (`@example.com` and `example.com` alike). */
export function parseDomains(raw: string): string[] {
  return raw
    .split(',')
    .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
    .filter((d) => d !== '')
    .map((d) => {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)) throw new Error(`not an e-mail domain: "${d}"`);
      return d;
    });
}

/** HUSH_OIDC_ALLOWED_GROUPS: group names as the `groups` claim writes them (compared exactly). */
export function parseGroups(raw: string): string[] {
  return raw
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '')
    .map((g) => {
      // eslint-disable-next-line no-control-regex -- control characters are what is refused
      if (g.length > 256 || /[\u0000-\u001f\u007f]/.test(g)) throw new Error(`not a group name: "${g.slice(0, 40)}"`);
      return g;
    });
}

/** The key's bytes; throws on anything but base64url of exactly 32 bytes. */
export function sessionKeyBytes(raw: string, what = 'the session key'): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = b64uDecode(raw.trim());
  } catch {
    throw new Error(`${what} is not base64url (unpadded, with - and _)`);
  }
  if (bytes.length !== SESSION_KEY_BYTES) {
    throw new Error(`${what} must be ${String(SESSION_KEY_BYTES)} bytes (43 base64url characters: openssl rand 32 | basenc --base64url | tr -d =), not ${String(bytes.length)}`);
  }
  return bytes;
}

/** HUSH_SESSION_KEY's parser: the text, checked. */
export function parseSessionKey(raw: string): string {
  sessionKeyBytes(raw);
  return raw.trim();
}

/** The settings checked together (a part of Config). */
export interface SignInSettings {
  readonly createPolicy: string;
  readonly publicUrl: string | null;
  readonly store: StoreSpec;
  readonly oidcIssuer: string;
  readonly oidcClientId: string;
  readonly oidcCliClientId: string;
  readonly sessionKey: string;
}

/** The checks between settings when HUSH_CREATE=oidc; throws an Error naming what is missing. */
export function checkSignIn(c: SignInSettings): void {
  if (c.createPolicy !== 'oidc') return;
  const missing = [
    ...(c.oidcIssuer === '' ? ['HUSH_OIDC_ISSUER'] : []),
    ...(c.oidcClientId === '' ? ['HUSH_OIDC_CLIENT_ID'] : []),
    // The redirect URI is HUSH_PUBLIC_URL + /auth/callback: never built from the Host header.
    ...(c.publicUrl === null ? ['HUSH_PUBLIC_URL'] : []),
  ];
  if (missing.length > 0) throw new Error(`HUSH_CREATE=oidc needs ${missing.join(', ')} (the redirect URI is HUSH_PUBLIC_URL/auth/callback)`);
  // The CLI's client is public (its id is handed to anyone through /api/v1/info); the server's is confidential.
  if (c.oidcCliClientId !== '' && c.oidcCliClientId === c.oidcClientId) {
    throw new Error('HUSH_OIDC_CLI_CLIENT_ID must be a client of its own at the provider (public, with the device authorization grant), not HUSH_OIDC_CLIENT_ID');
  }
  // Each instance would seal sessions with a key of its own: a cookie made by one would be refused by the others.
  if (c.store.kind !== 'sqlite' && c.sessionKey === '') {
    throw new Error('HUSH_CREATE=oidc on a shared store (PostgreSQL, Redis) needs HUSH_SESSION_KEY, the same on every instance (openssl rand 32 | basenc --base64url | tr -d =)');
  }
}
