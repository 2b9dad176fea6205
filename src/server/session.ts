// The sign-in cookies (docs/protocol.md §13). Both are AES-256-GCM sealed under HUSH_SESSION_KEY
// (node:crypto, a fresh 12-byte IV each time, the cookie's purpose as associated data, so one
// cannot stand for the other), HttpOnly, SameSite=Lax, Path=/, and Secure with the __Host- prefix
// when HUSH_PUBLIC_URL is https:
// - the session: {sub, email, csrf, iat, seen}. Valid while `seen` is within the idle timeout and
//   `iat` within 12 hours; used after half the idle timeout, it is sealed again with a new `seen`.
//   There is no server-side list: logout clears the cookie in this browser, and a copy of it stays
//   valid until its idle timeout (or its 12 hours) runs out.
// - the flow: {state, nonce, verifier, exp} of one sign-in, for 10 minutes.
// Whatever does not open — tampered, sealed under another key, expired, idle too long — is no
// session at all. The session only says who may create: it never holds or sees a link key.
import { createHmac, createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { b64uDecode, b64uEncode } from '../protocol/b64u.js';
import { HttpError } from './errors.js';
import { sha256 } from './wire.js';
import { UserTokens } from './user-tokens.js';
import { asLimits, type CreateLimits } from './oidc-settings.js';
import type { Identity } from './oidc.js';

/** Absolute life of a session, whatever its use. */
export const SESSION_LIFETIME = 12 * 3600;
/** Life of a sign-in flow, from /auth/login to /auth/callback. */
export const FLOW_LIFETIME = 10 * 60;
/** The header a cookie-authorised change must carry, equal to the session's `csrf`. */
export const CSRF_HEADER = 'x-hush-csrf';

export interface Session {
  /** The provider's subject and the verified e-mail it gave. */
  readonly sub: string;
  readonly email: string;
  /** Random, per session: what a page of this origin must echo in x-hush-csrf. */
  readonly csrf: string;
  /** Unix seconds: when signed in, and when last used. */
  readonly iat: number;
  readonly seen: number;
  /** What the person's groups limit when they create (HUSH_OIDC_GROUP_LIMITS), fixed at sign-in. */
  readonly lim?: CreateLimits;
}

export interface Flow {
  readonly state: string;
  readonly nonce: string;
  readonly verifier: string;
  /** Unix seconds. */
  readonly exp: number;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Longest cookie value accepted (a session is about 250 characters). */
const MAX_COOKIE = 2048;

/** Seals and opens small JSON values; `purpose` is bound as associated data. */
export class CookieSealer {
  readonly #key: Uint8Array;
  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new Error('the session key must be 32 bytes');
    this.#key = key;
  }

  seal(purpose: string, value: object): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(`hush/v1 ${purpose}`));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return b64uEncode(Buffer.concat([iv, body, cipher.getAuthTag()]));
  }

  /** A keyed hash of `text` for `purpose`, under a key of its own derived from this one (never the cipher's). */
  mac(purpose: string, text: string): Buffer {
    const macKey = createHmac('sha256', this.#key).update('hush/v1 mac key').digest();
    return createHmac('sha256', macKey).update(`hush/v1 ${purpose}\n${text}`, 'utf8').digest();
  }

  /** The value, or null for anything that does not open (not base64url, too short, tampered, another key or purpose). */
  open(purpose: string, text: string): unknown {
    if (text.length > MAX_COOKIE) return null;
    try {
      const raw = b64uDecode(text);
      if (raw.length < IV_BYTES + TAG_BYTES + 2) return null;
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(`hush/v1 ${purpose}`));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as unknown;
    } catch {
      return null;
    }
  }
}

/** The values of every cookie called `name` in the Cookie header (a browser may send several). */
export function cookieValues(request: FastifyRequest, name: string): string[] {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

const isString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

function asSession(v: unknown): Session | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!isString(o.sub, 255) || !isString(o.email, 254) || !isString(o.csrf, 64) || !isTime(o.iat) || !isTime(o.seen)) return null;
  const lim = asLimits(o.lim);
  if (lim === null) return null;
  return { sub: o.sub, email: o.email, csrf: o.csrf, iat: o.iat, seen: o.seen, ...(lim ? { lim } : {}) };
}

function asFlow(v: unknown): Flow | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (!isString(o.state, 128) || !isString(o.nonce, 128) || !isString(o.verifier, 128) || !isTime(o.exp)) return null;
  return { state: o.state, nonce: o.nonce, verifier: o.verifier, exp: o.exp };
}

export interface SessionOptions {
  key: Uint8Array;
  /** HUSH_PUBLIC_URL: https gives Secure, __Host- cookies; its origin is the one Origin accepted. */
  publicUrl: string;
  /** Seconds without use before a session ends. */
  idle: number;
  /** The clock, Unix milliseconds. */
  now: () => number;
  /** Seconds a personal API token lasts (HUSH_USER_TOKEN_TTL; user-tokens.ts), 30 days when not given. */
  tokenTtl?: number;
}

interface Read {
  session: Session | null;
  /** A cookie was sent but did not hold a valid session: it is cleared. */
  invalid: boolean;
}

export class Sessions {
  readonly cookieName: string;
  readonly flowCookieName: string;
  /** The origin a cookie-authorised change may come from. */
  readonly origin: string;
  /** Personal API tokens, sealed under the same key (POST /api/v1/me/tokens). */
  readonly tokens: UserTokens;
  readonly #sealer: CookieSealer;
  readonly #attributes: string;
  readonly #idle: number;
  readonly #now: () => number;
  /** What each request's cookie held, read once; its answer re-issues or clears it (onSend). */
  readonly #read = new WeakMap<FastifyRequest, Read>();

  constructor(options: SessionOptions) {
    const url = new URL(options.publicUrl);
    const secure = url.protocol === 'https:';
    this.cookieName = secure ? '__Host-hush_session' : 'hush_session';
    this.flowCookieName = secure ? '__Host-hush_flow' : 'hush_flow';
    this.origin = url.origin;
    this.#attributes = `Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
    this.#sealer = new CookieSealer(options.key);
    this.tokens = new UserTokens(this.#sealer, options.tokenTtl ?? 30 * 86_400, options.now);
    this.#idle = options.idle;
    this.#now = options.now;
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** The request's valid session, or null (none, or one that does not open, or has run out). */
  read(request: FastifyRequest): Session | null {
    const known = this.#read.get(request);
    if (known) return known.session;
    const now = this.#seconds();
    const sent = cookieValues(request, this.cookieName);
    let session: Session | null = null;
    for (const value of sent) {
      const s = asSession(this.#sealer.open('session', value));
      if (s && s.iat <= now + 60 && s.seen <= now + 60 && now - s.iat < SESSION_LIFETIME && now - s.seen < this.#idle) {
        session = s;
        break;
      }
    }
    this.#read.set(request, { session, invalid: sent.length > 0 && session === null });
    return session;
  }

  /**
   * For an answer to a request whose session was read: seals it again with a new `seen` when more
   * than half the idle timeout has passed, clears a cookie that held none. (The app's onSend.)
   */
  renew(request: FastifyRequest, reply: FastifyReply): void {
    const r = this.#read.get(request);
    if (!r || reply.getHeader('set-cookie') !== undefined) return;
    if (r.session && this.#seconds() - r.session.seen >= this.#idle / 2) this.#issue(reply, { ...r.session, seen: this.#seconds() });
    else if (r.invalid) this.clear(reply);
  }

  /** Signs in: a new session with a fresh CSRF value. */
  start(reply: FastifyReply, who: Identity): void {
    const now = this.#seconds();
    this.#issue(reply, { sub: who.sub, email: who.email, csrf: b64uEncode(randomBytes(32)), iat: now, seen: now, ...(who.limits ? { lim: who.limits } : {}) });
  }

  #issue(reply: FastifyReply, s: Session): void {
    // The browser forgets it when either timeout would end it anyway.
    const maxAge = Math.max(0, Math.min(this.#idle, s.iat + SESSION_LIFETIME - s.seen));
    reply.header('set-cookie', `${this.cookieName}=${this.#sealer.seal('session', s)}; Max-Age=${String(maxAge)}; ${this.#attributes}`);
  }

  /**
   * The key a signed-in creator's secrets are filed under ("My secrets", Store.owned): HMAC of the
   * provider's subject under the session key — opaque to the store, the same in every session of
   * that person, on every instance sharing HUSH_SESSION_KEY.
   */
  ownerKey(sub: string): Buffer {
    return this.#sealer.mac('owner', sub);
  }

  clear(reply: FastifyReply): void {
    reply.header('set-cookie', `${this.cookieName}=; Max-Age=0; ${this.#attributes}`);
  }

  /**
   * Refuses a change the cookie authorises unless it carries x-hush-csrf equal to the session's
   * value, and, when it says where it comes from (Origin), comes from this server's origin.
   */
  checkCsrf(request: FastifyRequest, session: Session): void {
    const given = request.headers[CSRF_HEADER];
    const origin = request.headers.origin;
    if (typeof given !== 'string' || !timingSafeEqual(sha256(given), sha256(session.csrf))) {
      throw new HttpError('csrf_failed', `This change needs the ${CSRF_HEADER} header of the signed-in page (GET /api/v1/session gives it). Reload the page and try again.`);
    }
    if (origin !== undefined && origin !== this.origin) {
      throw new HttpError('csrf_failed', 'This change comes from another site than this server. Reload the page and try again.');
    }
  }

  /** Starts a sign-in flow: its cookie holds what the callback checks. */
  startFlow(reply: FastifyReply, flow: Omit<Flow, 'exp'>): void {
    const value = this.#sealer.seal('flow', { ...flow, exp: this.#seconds() + FLOW_LIFETIME });
    reply.header('set-cookie', `${this.flowCookieName}=${value}; Max-Age=${String(FLOW_LIFETIME)}; ${this.#attributes}`);
  }

  /** The request's unexpired flow, or null. */
  readFlow(request: FastifyRequest): Flow | null {
    for (const value of cookieValues(request, this.flowCookieName)) {
      const flow = asFlow(this.#sealer.open('flow', value));
      if (flow && flow.exp > this.#seconds()) return flow;
    }
    return null;
  }

  clearFlow(reply: FastifyReply): void {
    reply.header('set-cookie', `${this.flowCookieName}=; Max-Age=0; ${this.#attributes}`);
  }
}
