// The sign-in settings (HUSH_CREATE=oidc, docs/protocol.md §13): their parsers, and the checks
// between them, for src/server/config.ts. Kept apart so that the configuration schema stays short.
// Parsers throw plain Errors; config.ts names the setting in front of the message.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
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

/**
 * HUSH_OIDC_CLIENT_KEY: the path of this server's private key for `private_key_jwt` client
 * authentication (RFC 7523), PKCS#8 PEM — EC P-256, RSA of at least 2048 bits, or Ed25519 — read
 * once at start; the setting's value becomes the PEM text.
 */
export function parseClientKeyFile(raw: string): string {
  let pem: string;
  try {
    pem = readFileSync(raw.trim(), 'utf8');
  } catch (e) {
    throw new Error(`cannot read "${raw.trim()}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  clientKeyAlg(pem);
  return pem;
}

/** The JWS algorithm of a client key (PKCS#8 PEM); throws for a key that is none of those taken. */
export function clientKeyAlg(pem: string): 'ES256' | 'RS256' | 'EdDSA' {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('not a private key in PEM (PKCS#8: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)');
  }
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec' && d?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'rsa' && (d?.modulusLength ?? 0) >= 2048) return 'RS256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  throw new Error('the key must be EC P-256, RSA of at least 2048 bits, or Ed25519');
}

/** What the members of a group may create (HUSH_OIDC_GROUP_LIMITS): a shorter longest expiry, and a passphrase required. */
export interface CreateLimits {
  /** Longest expiry, in seconds. */
  readonly ttl?: number;
  readonly passphrase?: true;
}
export type GroupLimits = Readonly<Record<string, CreateLimits>>;

/**
 * HUSH_OIDC_GROUP_LIMITS: `GROUP=RULE RULE; GROUP=RULE` with the rules `ttl:SECONDS` (the longest
 * expiry its members may set) and `passphrase` (its members must set one), e.g.
 * `contractors=ttl:3600 passphrase; interns=ttl:86400`. A group name may hold `=` (the rules start
 * after the last one); it is compared with the `groups` claim exactly.
 */
export function parseGroupLimits(raw: string): GroupLimits {
  const table: Record<string, CreateLimits> = {};
  for (const entry of raw.split(';').map((e) => e.trim()).filter((e) => e !== '')) {
    const at = entry.lastIndexOf('=');
    const group = at < 0 ? '' : parseGroups(entry.slice(0, at))[0] ?? '';
    if (group === '' || entry.slice(0, at).includes(',')) throw new Error(`"${entry.slice(0, 60)}" is not GROUP=RULES (rules: ttl:SECONDS, passphrase)`);
    let limits: CreateLimits = {};
    for (const rule of entry.slice(at + 1).split(/\s+/).filter((r) => r !== '')) {
      const ttl = /^ttl:([0-9]{2,8})$/.exec(rule);
      if (ttl) limits = { ...limits, ttl: Number(ttl[1]) };
      else if (rule === 'passphrase') limits = { ...limits, passphrase: true };
      else throw new Error(`${group}: "${rule.slice(0, 40)}" is not a rule (ttl:SECONDS, passphrase)`);
    }
    if (limits.ttl === undefined && limits.passphrase === undefined) throw new Error(`${group}: no rule (ttl:SECONDS, passphrase)`);
    table[group] = limits;
  }
  return table;
}

/** The limits of a member of `groups`: the strictest of each — the shortest expiry, a passphrase if any group asks for one. */
export function limitsOf(groups: readonly unknown[], table: GroupLimits): CreateLimits | undefined {
  let ttl: number | undefined;
  let passphrase = false;
  for (const g of groups) {
    const l = typeof g === 'string' && Object.hasOwn(table, g) ? table[g] : undefined;
    if (l?.ttl !== undefined) ttl = Math.min(ttl ?? l.ttl, l.ttl);
    if (l?.passphrase === true) passphrase = true;
  }
  if (ttl === undefined && !passphrase) return undefined;
  return { ...(ttl === undefined ? {} : { ttl }), ...(passphrase ? { passphrase: true as const } : {}) };
}

/** A CreateLimits read back from a sealed cookie or token: anything else is none. */
export function asLimits(v: unknown): CreateLimits | undefined | null {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (Object.keys(o).some((k) => k !== 'ttl' && k !== 'passphrase')) return null;
  if (o.ttl !== undefined && !(Number.isSafeInteger(o.ttl) && (o.ttl as number) > 0)) return null;
  if (o.passphrase !== undefined && o.passphrase !== true) return null;
  return o;
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
  readonly oidcClientSecret: string;
  readonly oidcClientKey: string;
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
  if (c.oidcClientSecret !== '' && c.oidcClientKey !== '') {
    throw new Error('HUSH_OIDC_CLIENT_SECRET and HUSH_OIDC_CLIENT_KEY are two ways for this server to authenticate to the provider: set one');
  }
  if (c.oidcCliClientId !== '' && c.oidcCliClientId === c.oidcClientId) {
    throw new Error('HUSH_OIDC_CLI_CLIENT_ID must be a client of its own at the provider (public, with the device authorization grant), not HUSH_OIDC_CLIENT_ID');
  }
  // Each instance would seal sessions with a key of its own: a cookie made by one would be refused by the others.
  if (c.store.kind !== 'sqlite' && c.sessionKey === '') {
    throw new Error('HUSH_CREATE=oidc on a shared store (PostgreSQL, Redis) needs HUSH_SESSION_KEY, the same on every instance (openssl rand 32 | basenc --base64url | tr -d =)');
  }
}
