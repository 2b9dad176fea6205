// The OpenID Connect client of HUSH_CREATE=oidc (docs/protocol.md §13), on openid-client:
// discovery, the authorization request (code flow, PKCE S256, state, nonce), the code grant and
// the ID token's checks (iss, aud, azp, exp, iat, nonce, state; the iss response parameter when the
// provider sends it). Nothing of OpenID Connect is written here by hand.
//
// Discovery happens on first use, not at start-up: the server starts while the provider is down,
// sign-in answers 503 meanwhile, and a failed discovery is tried again on the next use.
import * as client from 'openid-client';
import { createPublicKey } from 'node:crypto';
import { calculateJwkThumbprint, createRemoteJWKSet, exportJWK, importPKCS8, jwtVerify, type JWTPayload } from 'jose';
import type { FastifyBaseLogger } from 'fastify';
import { HttpError } from './errors.js';
import type { Flow } from './session.js';
import { clientKeyAlg, limitsOf, type CreateLimits, type GroupLimits } from './oidc-settings.js';

/** What Hush asks the provider for: an ID token with the e-mail (and the groups claim, where the provider puts it under these). */
export const SCOPES = 'openid email profile';
export const CALLBACK_PATH = '/auth/callback';
/** Seconds a request to the provider may take. */
const TIMEOUT = 10;

export interface OidcSettings {
  readonly oidcIssuer: string;
  readonly oidcClientId: string;
  readonly oidcClientSecret: string;
  readonly oidcClientKey: string;
  readonly oidcAllowedDomains: readonly string[];
  readonly oidcAllowedGroups: readonly string[];
  readonly oidcGroupLimits: GroupLimits;
  readonly publicUrl: string | null;
  /** The public client of `hush login`, whose ID tokens POST /api/v1/me/tokens takes; '' = none. */
  readonly oidcCliClientId: string;
}

/** Who signed in: the provider's subject and the verified e-mail; what their groups limit (HUSH_OIDC_GROUP_LIMITS). */
export interface Identity {
  readonly sub: string;
  readonly email: string;
  readonly limits?: CreateLimits | undefined;
}

/** Oldest ID token (by `iat`) traded for a personal token: the CLI trades it as soon as it has it. */
export const ID_TOKEN_MAX_AGE = 10 * 60;

const refused = (message: string): HttpError => new HttpError('unauthorized', message, {}, { status: 403 });
const unreachable = (): HttpError =>
  new HttpError('unavailable', 'The sign-in provider cannot be reached right now. Try again in a moment.', {}, { retryAfter: 5 });

/** The innermost message of an error chain (openid-client wraps the failed check in `cause`). */
function reasonOf(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : 'unknown';
}

/** A request to the provider that did not get an answer (refused, timed out), as opposed to an answer that failed a check. */
function isNetworkFailure(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e instanceof TypeError && e.message === 'fetch failed') return true;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  }
  return false;
}

export class OidcClient {
  /** HUSH_PUBLIC_URL + /auth/callback: registered at the provider, never built from the Host header. */
  readonly redirectUri: string;
  readonly #settings: OidcSettings;
  readonly #now: () => number;
  readonly #log: FastifyBaseLogger;
  readonly #insecure: boolean;
  #discovered: Promise<client.Configuration> | null = null;
  #jwks: ReturnType<typeof createRemoteJWKSet> | null = null;

  constructor(settings: OidcSettings, now: () => number, log: FastifyBaseLogger) {
    if (settings.publicUrl === null) throw new Error('sign-in needs HUSH_PUBLIC_URL');
    this.redirectUri = settings.publicUrl + CALLBACK_PATH;
    this.#settings = settings;
    this.#now = now;
    this.#log = log;
    // Allowed by the settings only on a loopback address (src/server/oidc-settings.ts).
    this.#insecure = new URL(settings.oidcIssuer).protocol === 'http:';
  }

  #discover(): Promise<client.Configuration> {
    this.#discovered ??= client
      .discovery(new URL(this.#settings.oidcIssuer), this.#settings.oidcClientId, undefined, undefined, {
        timeout: TIMEOUT,
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- plain http is allowed for a provider on loopback only
        ...(this.#insecure ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((err: unknown) => {
        this.#discovered = null; // the next use tries again
        throw err;
      });
    return this.#discovered;
  }

  /**
   * The provider's configuration for one request, on this server's clock: the ID token's times are
   * checked against `now` (the same clock as everything else here), with openid-client's tolerance.
   */
  async #configuration(): Promise<client.Configuration> {
    let discovered: client.Configuration;
    try {
      discovered = await this.#discover();
    } catch (err) {
      this.#log.warn({ reason: reasonOf(err) }, 'OpenID Connect discovery failed');
      throw unreachable();
    }
    const metadata = discovered.serverMetadata();
    const secret = this.#settings.oidcClientSecret;
    // RFC 8414: a provider that lists no methods takes client_secret_basic.
    const methods = metadata.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    const auth =
      this.#settings.oidcClientKey !== ''
        ? client.PrivateKeyJwt(await this.#clientKey())
        : secret === ''
          ? client.None()
          : methods.includes('client_secret_basic')
            ? client.ClientSecretBasic(secret)
            : client.ClientSecretPost(secret);
    const skew = Math.round((this.#now() - Date.now()) / 1000);
    const config = new client.Configuration(metadata, this.#settings.oidcClientId, { [client.clockSkew]: skew }, auth);
    config.timeout = TIMEOUT;
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- as above: loopback only
    if (this.#insecure) client.allowInsecureRequests(config);
    return config;
  }

  #key: Promise<{ key: CryptoKey; kid: string }> | null = null;

  /** HUSH_OIDC_CLIENT_KEY as the signing key of private_key_jwt; its kid is the key's RFC 7638 thumbprint. */
  #clientKey(): Promise<{ key: CryptoKey; kid: string }> {
    this.#key ??= (async () => {
      const pem = this.#settings.oidcClientKey;
      const key = await importPKCS8(pem, clientKeyAlg(pem));
      const pub = await exportJWK(createPublicKey(pem));
      return { key, kid: await calculateJwkThumbprint(pub) };
    })();
    return this.#key;
  }

  /** Where to send the browser, and what its flow cookie must keep for the callback. */
  async start(): Promise<{ url: URL; flow: Omit<Flow, 'exp'> }> {
    const config = await this.#configuration();
    const verifier = client.randomPKCECodeVerifier();
    const flow = { state: client.randomState(), nonce: client.randomNonce(), verifier };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri,
      scope: SCOPES,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flow.state,
      nonce: flow.nonce,
    });
    return { url, flow };
  }

  /**
   * Checks the provider's answer (`search`: the callback's query string) against the flow, trades
   * the code for tokens, checks the ID token, and returns who it names.
   * @throws HttpError 403 for anything that fails a check, 503 when the provider does not answer
   */
  async finish(search: string, flow: Flow): Promise<Identity> {
    const config = await this.#configuration();
    const current = new URL(this.redirectUri);
    current.search = search;
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (err) {
      throw this.#refusal(err);
    }
    if (claims === undefined) throw refused('The provider sent no ID token. Sign-in needs an OpenID Connect provider.');
    return this.#identity(claims);
  }

  /**
   * An ID token the CLI got by the device authorization grant (POST /api/v1/me/tokens): its
   * signature against the provider's published keys, `iss` = HUSH_OIDC_ISSUER, `aud` naming
   * HUSH_OIDC_CLI_CLIENT_ID (`azp` it, with other audiences), `exp`, and `iat` within the last 10
   * minutes, on this server's clock with 30 s of tolerance; then the same e-mail, domain and group
   * rules as a sign-in. Returns who it names and when it expires (Unix seconds).
   * @throws HttpError 401 for a token that fails a check, 403 for a person who may not sign in, 503 when the provider does not answer
   */
  async verifyIdToken(token: string): Promise<Identity & { exp: number }> {
    const audience = this.#settings.oidcCliClientId;
    if (audience === '') throw new HttpError('unauthorized', 'This server takes no ID tokens: HUSH_OIDC_CLI_CLIENT_ID is not set.');
    const metadata = (await this.#configuration()).serverMetadata();
    if (metadata.jwks_uri === undefined) throw unreachable();
    this.#jwks ??= createRemoteJWKSet(new URL(metadata.jwks_uri), { timeoutDuration: TIMEOUT * 1000 });
    // Signed with the provider's keys: never "none", never a shared-secret algorithm.
    const algorithms = (metadata.id_token_signing_alg_values_supported ?? ['RS256']).filter((a) => a !== 'none' && !a.startsWith('HS'));
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, this.#jwks, {
        issuer: this.#settings.oidcIssuer,
        audience,
        algorithms,
        requiredClaims: ['sub', 'exp', 'iat'],
        maxTokenAge: ID_TOKEN_MAX_AGE,
        clockTolerance: 30,
        currentDate: new Date(this.#now()),
      }));
      if (Array.isArray(claims.aud) && claims.aud.length > 1 && claims.azp !== audience) throw new Error('unexpected "azp" claim value');
    } catch (err) {
      const reason = reasonOf(err);
      this.#log.info({ reason }, 'ID token refused');
      // The provider's keys could not be fetched (no answer, or not 200): not the token's fault.
      const code = (err as { code?: unknown }).code;
      if (isNetworkFailure(err) || code === 'ERR_JWKS_TIMEOUT' || (code === 'ERR_JOSE_GENERIC' && reason.includes('JSON Web Key Set'))) throw unreachable();
      throw new HttpError('unauthorized', `The ID token failed its checks (${reason.slice(0, 120)}). Run hush login again.`);
    }
    return { ...this.#identity(claims as client.IDToken), exp: claims.exp ?? 0 };
  }

  #refusal(err: unknown): HttpError {
    const reason = reasonOf(err);
    this.#log.info({ reason, code: (err as { code?: unknown }).code }, 'sign-in refused');
    if (isNetworkFailure(err)) return unreachable();
    if (err instanceof client.AuthorizationResponseError) {
      const code = /^[a-z_]{1,40}$/.test(err.error) ? err.error : 'an error';
      return refused(`The sign-in provider refused the sign-in (${code}).`);
    }
    if (err instanceof client.ResponseBodyError) {
      return refused('The sign-in provider did not accept the code: it was used already, expired, or was issued for another client or sign-in. Sign in again.');
    }
    return refused(`The sign-in answer failed its checks (${reason}). Sign in again.`);
  }

  /** The verified e-mail, in an allowed domain, of a member of an allowed group. */
  #identity(claims: client.IDToken): Identity {
    const email = claims.email;
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) {
      throw refused('The provider gave no e-mail address for this account. Hush needs the "email" scope and an account with an e-mail.');
    }
    const verified = claims.email_verified;
    if (verified !== true && verified !== 'true') throw refused(`The provider has not verified the e-mail address ${email}. Verify it there, then sign in again.`);
    const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
    const domains = this.#settings.oidcAllowedDomains;
    if (domains.length > 0 && !domains.includes(domain)) throw refused(`Accounts of ${domain} cannot sign in to this server. Sign in with your organisation's account.`);
    const allowed = this.#settings.oidcAllowedGroups;
    if (allowed.length > 0) {
      const groups = Array.isArray(claims.groups) ? claims.groups : [];
      if (!groups.some((g) => typeof g === 'string' && allowed.includes(g))) throw refused('Your account is not in a group that may sign in to this server.');
    }
    const limits = limitsOf(Array.isArray(claims.groups) ? claims.groups : [], this.#settings.oidcGroupLimits);
    return { sub: claims.sub, email, ...(limits ? { limits } : {}) };
  }
}
