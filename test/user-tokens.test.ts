// Personal API tokens (HUSH_CREATE=oidc, docs/protocol.md §13): a signed-in person makes one in the
// page ("Make an API token", POST /api/v1/me/tokens with the session and x-hush-csrf); it creates
// through the API and through `hush send` (HUSH_API_TOKEN) as that person — filed under the same
// owner key as the session's creates, without a human check — and nothing else: a tampered one,
// one sealed under another key and an expired one are 401, it cannot make another token, operator
// tokens keep working as before, and a person's tokens share one rate limit.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { shots, signedIn, signInAtProvider, startSignInServer, type SignInServer, type TestProvider } from './helpers/oidc-provider.js';
import { axeViolations, watchedPage } from './helpers/browser.js';
import { hush } from './helpers/cli.js';
import { req } from './helpers/api.js';
import { b64uEncode, sealSecret } from '../src/protocol/index.js';
import { CookieSealer } from '../src/server/session.js';
import { UserTokens } from '../src/server/user-tokens.js';
import { loadConfig } from '../src/server/config.js';
import { openLink } from '../src/lib.js';

const OPERATOR_TOKEN = 'user-tokens-test-operator-token';
const SHOTS = '/tmp/hush-user-tokens';
const SESSION_KEY = new Uint8Array(32).fill(42);
const DAY = 86_400;

let browser: Browser;
let idp: TestProvider;
let s: TestServer;
let publicUrl: string;
let fixture: SignInServer;

beforeAll(async () => {
  fixture = await startSignInServer({
    oidcAllowedDomains: ['example.com'],
    apiTokens: [createHash('sha256').update(OPERATOR_TOKEN).digest('hex')],
    challenge: 'pow',
    powCost: 1000,
    sessionKey: b64uEncode(SESSION_KEY),
  });
  ({ browser, idp, s, publicUrl } = fixture);
});
afterAll(() => fixture.close());

const ownerKey = (sub: string, key = SESSION_KEY): Buffer => new CookieSealer(key).mac('owner', sub);
/** The ids the store files under `sub`'s owner key, newest first. */
const ownedIds = async (sub: string): Promise<string[]> => (await s.store.owned(ownerKey(sub), Date.now(), { limit: 100 })).map((o) => o.id);
const create = async (headers: Record<string, string>, server = s): ReturnType<typeof req> =>
  req(`${server.url}/api/v1/secrets`, { method: 'POST', headers, json: (await sealSecret({ message: 'made with a personal token' })).body });
const makeToken = (headers: Record<string, string>): ReturnType<typeof req> => req(`${s.url}/api/v1/me/tokens`, { method: 'POST', headers });
const code = (r: { json: unknown }): string | undefined => (r.json as { error?: { code?: string } }).error?.code;
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
/** A token as the server makes them, sealed here with `key` (the test knows the server's). */
const mint = (sub: string, key = SESSION_KEY, ttl = 30 * DAY, now = Date.now): string => new UserTokens(new CookieSealer(key), ttl, now).issue({ sub, email: sub }).token;

describe('in the page', () => {
  it('a signed-in person makes an API token in the page, sees it once with its expiry and copies it; it creates through the API and hush send, filed under their account', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', permissions: ['clipboard-write'] });
    try {
      const w = await watchedPage(context);
      const { page } = w;
      await page.addInitScript(() => {
        const copied: string[] = [];
        (window as unknown as { __copied: string[] }).__copied = copied;
        const write = navigator.clipboard.writeText.bind(navigator.clipboard);
        navigator.clipboard.writeText = (text: string) => {
          copied.push(text);
          return write(text);
        };
      });
      const asked: Record<string, string>[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/api/v1/me/tokens')) asked.push(r.headers());
      });
      await page.goto(`${publicUrl}/`);
      await page.locator('#sign-in-link').click();
      await signInAtProvider(page, 'alice@example.com');
      await page.waitForURL(`${publicUrl}/`);
      w.errors.length = 0; // the provider's pages (their web font) are not ours
      await expect.poll(() => page.locator('#signed-in-as').textContent()).toBe('Signed in as alice@example.com');
      expect(await page.locator('#token-box').isHidden()).toBe(true);

      const before = Date.now();
      await page.locator('#make-token').click();
      await page.locator('#token-box').waitFor();
      const token = await page.locator('#token-value').inputValue();
      expect(token).toMatch(/^hush_u1\.[A-Za-z0-9_-]+$/);
      // It went with the session's CSRF value; focus moved to the new token's heading.
      expect(asked).toHaveLength(1);
      expect(asked[0]!['x-hush-csrf']).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('token-title');
      const meta = (await page.locator('#token-meta').textContent()) ?? '';
      const expires = new Date(before + 30 * DAY * 1000).toLocaleString('en-US', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
      expect(meta).toContain('Good until ');
      expect(meta.replace(/,? \d\d:\d\d.*$/, '')).toContain(expires.split(',').slice(0, 2).join(','));
      await page.locator('#copy-token').click();
      await page.waitForFunction(() => (window as unknown as { __copied: string[] }).__copied.length === 1);
      expect(await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied)).toEqual([token]);
      await expect.poll(() => page.textContent('#announce')).toBe('The API token copied to the clipboard.');

      const report: string[] = [];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(300); // the buttons' colour transitions (0.15 s)
        for (const v of await axeViolations(page)) report.push(`${scheme}: ${v}`);
      }
      await shots(page, SHOTS, 'create-token');
      expect(report.join('\n')).toBe('');
      expect(await w.violations()).toEqual([]);
      expect(w.errors).toEqual([]);

      // The token holds who, its scope and times: nothing of a secret, nothing of the session's CSRF value.
      const held = new CookieSealer(SESSION_KEY).open('user-token', token.slice('hush_u1.'.length)) as Record<string, unknown>;
      expect(Object.keys(held).sort()).toEqual(['email', 'exp', 'iat', 'scope', 'sub']);
      expect(held).toMatchObject({ sub: 'alice@example.com', email: 'alice@example.com', scope: 'create' });
      expect(held.exp).toBe((held.iat as number) + 30 * DAY);

      // Through the API: created without a human check (this server asks anonymous creators for one).
      const api = await create(bearer(token));
      expect(api.status, api.text).toBe(201);
      // Through hush send, with HUSH_API_TOKEN.
      const cli = await hush(['send'], { input: 'sent by the CLI', env: { HUSH_SERVER: s.url, HUSH_API_TOKEN: token } });
      expect(cli.code, cli.stderr).toBe(0);
      const link = cli.stdout.trim();
      expect((await openLink(link.replace(publicUrl, s.url))).message).toBe('sent by the CLI');
      const cliId = /\/s\/([A-Za-z0-9_-]{22})#/.exec(link)![1]!;
      // A create with the session in the same browser: all three under one owner key.
      const session = await signedIn(browser, s.url, publicUrl, 'alice@example.com');
      const bySession = await create({ cookie: session.cookie, 'x-hush-csrf': session.csrf });
      expect(bySession.status).toBe(201);
      const ids = await ownedIds('alice@example.com');
      for (const id of [(api.json as { id: string }).id, cliId, (bySession.json as { id: string }).id]) expect(ids).toContain(id);
      expect(await ownedIds('bob@example.com')).toEqual([]);

      // Signing out takes the token off the page.
      await page.locator('#sign-out').click();
      await page.locator('#sign-in-link').waitFor();
      expect(await page.locator('#token-value').inputValue()).toBe('');
      expect(await page.locator('#token-box').isHidden()).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('POST /api/v1/me/tokens', () => {
  it('needs a session with its x-hush-csrf (else 401, or 403 csrf_failed) and answers 201 {token, expiresAt, scope}; a personal token cannot make another', async () => {
    const { cookie, csrf } = await signedIn(browser, s.url, publicUrl, 'bob@example.com');
    const none = await makeToken({});
    expect([none.status, code(none)]).toEqual([401, 'unauthorized']);
    const wrong: Record<string, string>[] = [{ cookie }, { cookie, 'x-hush-csrf': 'A'.repeat(43) }, { cookie, 'x-hush-csrf': csrf, origin: 'http://evil.example' }];
    for (const headers of wrong) {
      const r = await makeToken(headers);
      expect([r.status, code(r)], JSON.stringify(headers)).toEqual([403, 'csrf_failed']);
    }
    const made = await makeToken({ cookie, 'x-hush-csrf': csrf, origin: publicUrl });
    expect(made.status, made.text).toBe(201);
    expect(made.headers.get('cache-control')).toBe('no-store');
    const body = made.json as { token: string; expiresAt: string; scope: string };
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'scope', 'token']);
    expect(body.scope).toBe('create');
    expect(Math.abs(Date.parse(body.expiresAt) - (Date.now() + 30 * DAY * 1000))).toBeLessThan(10_000);
    // A personal token is not an ID token: it cannot extend itself.
    const again = await makeToken(bearer(body.token));
    expect([again.status, code(again)]).toEqual([401, 'unauthorized']);
    // Bob's token creates as Bob.
    const r = await create(bearer(body.token));
    expect(r.status).toBe(201);
    expect(await ownedIds('bob@example.com')).toContain((r.json as { id: string }).id);
  });
});

describe('what a personal token is', () => {
  it('a tampered token, one sealed under another key, an expired one and one of another purpose are 401; operator tokens work as before; it only creates', async () => {
    const good = mint('carol@example.com');
    expect((await create(bearer(good))).status).toBe(201);
    const body = good.slice('hush_u1.'.length);
    const flipped = `hush_u1.${body.slice(0, 40)}${body[40] === 'A' ? 'B' : 'A'}${body.slice(41)}`;
    const otherKey = mint('carol@example.com', new Uint8Array(32).fill(7));
    const expired = mint('carol@example.com', SESSION_KEY, 60, () => Date.now() - 120_000);
    const now = Math.floor(Date.now() / 1000);
    const aSession = `hush_u1.${new CookieSealer(SESSION_KEY).seal('session', { sub: 'carol@example.com', email: 'carol@example.com', csrf: 'x'.repeat(43), iat: now, seen: now })}`;
    for (const bad of [flipped, otherKey, expired, aSession, 'hush_u1.', `hush_u1.${'A'.repeat(3000)}`]) {
      const r = await create(bearer(bad));
      expect([r.status, code(r)], bad.slice(0, 30)).toEqual([401, 'unauthorized']);
    }
    expect(((await create(bearer(expired))).json as { error: { message: string } }).error.message).toMatch(/personal API token is not valid/);
    // Valid today, refused once the server's clock passes its expiry (30 days).
    s.advance(30 * DAY * 1000 + 1000);
    try {
      expect((await create(bearer(good))).status).toBe(401);
    } finally {
      s.advance(-(30 * DAY * 1000 + 1000));
    }
    // The operator's tokens, beside them, exactly as before.
    expect((await create(bearer(OPERATOR_TOKEN))).status).toBe(201);
    const wrong = await create(bearer('not-a-configured-token'));
    expect([wrong.status, (wrong.json as { error: { message: string } }).error.message]).toEqual([401, 'The API token is not valid.']);
    // A secret made with the operator's token is nobody's.
    expect(await ownedIds('carol@example.com')).toHaveLength(1);
    // Its scope is creating: it does not list or revoke "My secrets", which take the session.
    const list = await req(`${s.url}/api/v1/me/secrets`, { headers: bearer(good) });
    expect([list.status, code(list)]).toEqual([401, 'unauthorized']);
  });

  it("a person's tokens share one limit (HUSH_RATE_TOKEN, keyed by a hash of the subject), apart from other people's and from their address's", async () => {
    const limited = await startServer({
      publicUrl: 'http://localhost:1', createPolicy: 'oidc', oidcIssuer: idp.issuer, oidcClientId: 'hush', sessionKey: b64uEncode(SESSION_KEY),
      rateLimit: true, rateToken: [{ max: 2, window: 60_000 }], rateCreate: [{ max: 1, window: 60_000 }],
    });
    try {
      const [a1, a2, b] = [mint('dave@example.com'), mint('dave@example.com'), mint('erin@example.com')];
      expect((await create(bearer(a1), limited)).status).toBe(201);
      expect((await create(bearer(a2), limited)).status).toBe(201);
      const third = await create(bearer(a1), limited);
      expect([third.status, code(third)]).toEqual([429, 'rate_limited']);
      expect((await create(bearer(a2), limited)).status).toBe(429);
      // Another person, from the same address (whose create limit of 1 a token never touches).
      expect((await create(bearer(b), limited)).status).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it('HUSH_USER_TOKEN_TTL: 30 days by default, at most 365 days', () => {
    const oidc = { HUSH_CREATE: 'oidc', HUSH_OIDC_ISSUER: 'https://id.example.com', HUSH_OIDC_CLIENT_ID: 'hush', HUSH_PUBLIC_URL: 'https://hush.example.com' };
    expect(loadConfig(oidc).userTokenTtl).toBe(30 * DAY);
    expect(loadConfig({ ...oidc, HUSH_USER_TOKEN_TTL: '90d' }).userTokenTtl).toBe(90 * DAY);
    expect(() => loadConfig({ ...oidc, HUSH_USER_TOKEN_TTL: '400d' })).toThrow(/HUSH_USER_TOKEN_TTL: must be between/);
  });
});
