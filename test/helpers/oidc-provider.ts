// A real OpenID Connect provider for the sign-in tests: oidc-provider (the certified
// implementation), in this process, on a free loopback port. Its development interactions give a
// login page that takes any username (and any password) and a consent page. The username is the
// account: its e-mail is the username when that holds an "@" (else username@example.com), verified
// unless the username starts with "unverified", and its groups come from `groups` (default: staff).
// With `deviceFlow`, it also offers the device authorization grant (RFC 8628) to public clients (a
// CLI), with its own code entry, confirmation and success pages.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import Provider, { type Account } from 'oidc-provider';
import type { Browser, Page } from 'playwright-core';
import type { Config } from '../../src/server/config.js';
import { launchChromium } from './browser.js';
import { freePort, startServer, type TestServer } from './server.js';

export interface TestClient {
  client_id: string;
  /** A confidential client's secret; or, for private_key_jwt, none and the client's public keys. */
  client_secret?: string;
  redirect_uris: string[];
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';
  jwks?: { keys: object[] };
}

export interface ProviderOptions {
  clients: TestClient[];
  /** Where to listen (default: a free port). */
  port?: number;
  /** Seconds an ID token lives (the provider's ttl.IdToken); default one hour. */
  idTokenTtl?: number;
  /** Groups of an account, by username; default ['staff']. */
  groups?: Record<string, string[]>;
  /** Offer the device authorization grant (default: not offered, as in its discovery document). */
  deviceFlow?: boolean;
  /** Public clients (no secret) of the device authorization grant, by client id; only with `deviceFlow`. */
  deviceClients?: string[];
}

export interface TestProvider {
  /** `http://127.0.0.1:PORT`, the issuer identifier. */
  issuer: string;
  close: () => Promise<void>;
}

/** Claims of the account a username names (see the file's comment). */
export function accountClaims(login: string, groups: Record<string, string[]> = {}): Record<string, unknown> {
  return {
    sub: login,
    email: login.includes('@') ? login : `${login}@example.com`,
    email_verified: !login.startsWith('unverified'),
    name: login.split('@')[0],
    groups: groups[login] ?? ['staff'],
  };
}

export async function startProvider(options: ProviderOptions): Promise<TestProvider> {
  const port = options.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${String(port)}`;
  const provider = new Provider(issuer, {
    clients: [
      ...options.clients.map((c) => ({ ...c, response_types: ['code'], grant_types: ['authorization_code'] })),
      ...(options.deviceFlow === true ? (options.deviceClients ?? []) : []).map((client_id) => ({
        client_id, token_endpoint_auth_method: 'none', response_types: [], redirect_uris: [], grant_types: ['urn:ietf:params:oauth:grant-type:device_code'],
      })),
    ],
    findAccount: (_ctx: unknown, sub: string): Account => ({
      accountId: sub,
      claims: () => Promise.resolve(accountClaims(sub, options.groups)),
    }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
    // Claims of the scopes in the ID token itself, as most providers do: Hush reads it only.
    conformIdTokenClaims: false,
    ttl: { IdToken: options.idTokenTtl ?? 3600, AccessToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
    cookies: { keys: ['hush-test-provider-cookie-key'] },
    features: { devInteractions: { enabled: true }, deviceFlow: { enabled: options.deviceFlow === true } },
  });
  // Its development-only warnings and request errors are expected here.
  provider.on('server_error', () => undefined);
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    close: async () => {
      const closing = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closing;
    },
  };
}

/**
 * On the provider's pages the browser is at: signs in as `login` (any password), then consents.
 * Resolves once the consent is given (the browser then goes back to the client).
 */
export async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.locator('input[name="prompt"][value="consent"]').waitFor({ state: 'attached' });
  await page.locator('button[type="submit"]').click();
}

/**
 * The person's part of a device authorization (RFC 8628), in a fresh browser context: opens the
 * verification address, enters the user code, confirms it, signs in as `login` and consents.
 * Resolves on the provider's success page.
 */
export async function approveDevice(browser: Browser, verificationUri: string, userCode: string, login: string): Promise<void> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(verificationUri);
    await page.locator('input[name="user_code"]').fill(userCode);
    await page.locator('button[form="op.deviceInputForm"]').click();
    await page.locator('button[form="op.deviceConfirmForm"][autofocus]').click();
    await signInAtProvider(page, login);
    await page.getByText('Sign-in Success').waitFor();
  } finally {
    await context.close();
  }
}

/** The `name=value` of a Set-Cookie called `name` in an answer, or null. */
export function setCookie(res: Response, name: string): string | null {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith(`${name}=`)) ?? null;
}

export interface Authorized {
  /** Where the provider sent the browser back to (Hush's callback, with code, state and iss), not delivered. */
  callback: URL;
  /** The flow cookie Hush set at /auth/login, `name=value`. */
  flowCookie: string;
  /** The authorization request as sent (after `rewrite`). */
  request: URL;
}

/**
 * A sign-in up to the provider's answer: GET /auth/login at Hush (`hush`, from Node), `rewrite`
 * may change the authorization request, then a fresh browser context signs in as `login` at the
 * provider and consents. The provider's redirect to `publicUrl`/auth/callback is captured, and
 * reaches Hush without the flow cookie (refused, nothing used up), so that a test can deliver it —
 * or a changed one — itself.
 */
export async function authorize(browser: Browser, hush: string, publicUrl: string, login: string, rewrite?: (request: URL) => void): Promise<Authorized> {
  const res = await fetch(`${hush}/auth/login`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`/auth/login answered ${String(res.status)}: ${await res.text()}`);
  const request = new URL(res.headers.get('location') ?? '');
  const flowCookie = setCookie(res, 'hush_flow');
  if (flowCookie === null) throw new Error('/auth/login set no flow cookie');
  rewrite?.(request);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // The browser goes on to Hush's callback without the flow cookie (it stayed with this test):
    // Hush refuses it before anything else, and the answer is still the test's to deliver.
    const callback = page.waitForRequest((r) => r.url().startsWith(`${publicUrl}/auth/callback?`));
    await page.goto(request.href);
    await signInAtProvider(page, login);
    return { callback: new URL((await callback).url()), flowCookie, request };
  } finally {
    await context.close();
  }
}

/**
 * Trades the code of `answer` at its provider's token endpoint, as `clientId` with the PKCE
 * `verifier` the (rewritten) request was made for: the provider's genuine token answer, as text.
 */
export async function tradeCode(answer: Authorized, client: { clientId: string; secret: string; verifier: string }): Promise<string> {
  const res = await fetch(`${answer.request.origin}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: answer.callback.searchParams.get('code') ?? '',
      redirect_uri: `${answer.callback.origin}${answer.callback.pathname}`,
      code_verifier: client.verifier,
    }),
  });
  if (res.status !== 200) throw new Error(`the token endpoint answered ${String(res.status)}: ${await res.text()}`);
  return res.text();
}

/** The page at 390 and 1280 px, light and dark, into `dir` (for a person to look at). */
export async function shots(page: Page, dir: string, name: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(dir, `${name}-${scheme}-${String(width)}.png`), fullPage: true });
    }
  }
}

/**
 * A signed-in session of `login` at the Hush at `hush` (whose HUSH_PUBLIC_URL is `publicUrl`),
 * through the provider's pages: the session cookie (`name=value`) and its CSRF value.
 */
export async function signedIn(browser: Browser, hush: string, publicUrl: string, login: string): Promise<{ cookie: string; csrf: string }> {
  const { callback, flowCookie } = await authorize(browser, hush, publicUrl, login);
  const res = await fetch(`${hush}/auth/callback${callback.search}`, { redirect: 'manual', headers: { accept: 'application/json', cookie: flowCookie } });
  if (res.status !== 303) throw new Error(`the callback answered ${String(res.status)}: ${await res.text()}`);
  const cookie = setCookie(res, 'hush_session');
  if (cookie === null) throw new Error('the callback set no session cookie');
  const who = (await (await fetch(`${hush}/api/v1/session`, { headers: { cookie } })).json()) as { csrf: string };
  return { cookie, csrf: who.csrf };
}

/** The client secret of the Hush client the sign-in fixture registers. */
export const CLIENT_SECRET = 'hush-test-client-secret-0123456789';

export interface SignInServer {
  browser: Browser;
  idp: TestProvider;
  s: TestServer;
  /** `http://localhost:PORT`: another site than the provider's 127.0.0.1, as in real life (the flow cookie is SameSite=Lax). */
  publicUrl: string;
  close(): Promise<void>;
}

/**
 * Chromium, a provider where the client `hush` is registered (with `groups`, if given), and a Hush
 * on a free port that signs people in with it (createPolicy oidc), with `config` on top.
 */
export async function startSignInServer(config: Partial<Config> = {}, groups?: Record<string, string[]>): Promise<SignInServer> {
  const port = await freePort();
  const publicUrl = `http://localhost:${String(port)}`;
  const [browser, idp] = await Promise.all([
    launchChromium(),
    startProvider({ clients: [{ client_id: 'hush', client_secret: CLIENT_SECRET, redirect_uris: [`${publicUrl}/auth/callback`] }], ...(groups ? { groups } : {}) }),
  ]);
  const s = await startServer({ port, publicUrl, createPolicy: 'oidc', oidcIssuer: idp.issuer, oidcClientId: 'hush', oidcClientSecret: CLIENT_SECRET, ...config });
  return {
    browser,
    idp,
    s,
    publicUrl,
    close: async () => {
      await browser.close();
      await s.close();
      await idp.close();
    },
  };
}
