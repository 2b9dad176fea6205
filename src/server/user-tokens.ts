// Personal API tokens (docs/protocol.md §13): a signed-in person's own bearer token for scripts and
// the CLI, made by POST /api/v1/me/tokens. Stateless, like the session: the token is the value
// {sub, email, scope, iat, exp} sealed with AES-256-GCM under HUSH_SESSION_KEY (the purpose
// `user-token` as associated data, so neither a session nor a flow cookie can stand for it), behind
// the prefix `hush_u1.` that makes it recognisable (in a leak scan, in a log someone pasted).
// There is no list of tokens: one cannot be revoked before its expiry, except by changing
// HUSH_SESSION_KEY, which ends every token and every session at once. It allows creating only,
// as that person, and never holds or sees a link key.
import type { CookieSealer } from './session.js';
import { asLimits, type CreateLimits } from './oidc-settings.js';

export const USER_TOKEN_PREFIX = 'hush_u1.';
/** What a personal token allows: creating secrets and requests, nothing else. */
export const USER_TOKEN_SCOPE = 'create';
/** Longest token accepted (a token of the longest subject and e-mail is about 900 characters). */
export const MAX_USER_TOKEN = 2048;

export interface UserToken {
  readonly sub: string;
  readonly email: string;
  readonly scope: typeof USER_TOKEN_SCOPE;
  /** Unix seconds. */
  readonly iat: number;
  readonly exp: number;
  /** What the person's groups limit when they create (HUSH_OIDC_GROUP_LIMITS), fixed when it was made. */
  readonly lim?: CreateLimits;
}

export interface IssuedToken {
  token: string;
  /** ISO 8601. */
  expiresAt: string;
  scope: typeof USER_TOKEN_SCOPE;
}

const isString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function asToken(v: unknown): UserToken | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!isString(o.sub, 255) || !isString(o.email, 254) || o.scope !== USER_TOKEN_SCOPE || !isTime(o.iat) || !isTime(o.exp)) return null;
  const lim = asLimits(o.lim);
  if (lim === null) return null;
  return { sub: o.sub, email: o.email, scope: USER_TOKEN_SCOPE, iat: o.iat, exp: o.exp, ...(lim ? { lim } : {}) };
}

export class UserTokens {
  readonly #sealer: CookieSealer;
  readonly #ttl: number;
  readonly #now: () => number;

  /** `ttl`: seconds a token lasts (HUSH_USER_TOKEN_TTL); `now`: the clock, Unix milliseconds. */
  constructor(sealer: CookieSealer, ttl: number, now: () => number) {
    this.#sealer = sealer;
    this.#ttl = ttl;
    this.#now = now;
  }

  /** A new token for `who`, good for the configured lifetime from now. */
  issue(who: { sub: string; email: string; limits?: CreateLimits | undefined }): IssuedToken {
    const iat = Math.floor(this.#now() / 1000);
    const exp = iat + this.#ttl;
    const value: UserToken = { sub: who.sub, email: who.email, scope: USER_TOKEN_SCOPE, iat, exp, ...(who.limits ? { lim: who.limits } : {}) };
    return { token: USER_TOKEN_PREFIX + this.#sealer.seal('user-token', value), expiresAt: new Date(exp * 1000).toISOString(), scope: USER_TOKEN_SCOPE };
  }

  /** The holder of `bearer`, or null: not a personal token, tampered, sealed under another key, or expired. */
  read(bearer: string): UserToken | null {
    if (!bearer.startsWith(USER_TOKEN_PREFIX) || bearer.length > MAX_USER_TOKEN) return null;
    const token = asToken(this.#sealer.open('user-token', bearer.slice(USER_TOKEN_PREFIX.length)));
    const now = Math.floor(this.#now() / 1000);
    if (token === null || token.iat > now + 60 || token.exp <= now) return null;
    return token;
  }

  /** The key a person's tokens are rate-limited under (the token limit): a keyed hash of the subject. */
  limitKey(sub: string): string {
    return `user:${this.#sealer.mac('user-token limit', sub).toString('hex').slice(0, 32)}`;
  }
}
