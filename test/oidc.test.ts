// Sign-in with OpenID Connect (HUSH_CREATE=oidc, docs/protocol.md §13) against a real provider
// (oidc-provider, certified, in this process on loopback, with its login and consent pages). Chromium
// signs in and creates a secret in the page; the callback is also driven with answers a browser would
// not send (another issuer, audience or nonce, a changed state, a replay, a stolen code, an expired
// ID token). Sessions: tampered, foreign, idle, too old; CSRF on every change; who may sign in.
import { createECDH, createHash } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser } from 'playwright-core';
import { freePort, startServer, tempDir, type TestServer } from './helpers/server.js';
import { authorize, setCookie, shots, signInAtProvider, startProvider, tradeCode, type Authorized, type TestProvider } from './helpers/oidc-provider.js';
import { axeViolations, launchChromium, watchedPage } from './helpers/browser.js';
import { req } from './helpers/api.js';
import { b64uEncode, sealSecret } from '../src/protocol/index.js';
import { CookieSealer } from '../src/server/session.js';
import { loadConfig } from '../src/server/config.js';
import { withKeptKeys } from '../src/server/keys.js';
import { openLink } from '../src/lib.js';

const SECRET = 'hush-test-client-secret-0123456789';
const TOKEN = 'oidc-test-api-token';
const SHOTS = '/tmp/hush-oidc';
/** The main server's HUSH_SESSION_KEY: the tests open its cookies to see what they hold. */
const SESSION_KEY = new Uint8Array(32).fill(42);

let browser: Browser;
let idp: TestProvider;
/** A second provider, where the same client is registered: its answers must not sign anyone in here. */
let stranger: TestProvider;
let s: TestServer;
let publicUrl: string;

beforeAll(async () => {
  const port = await freePort();
  // localhost for Hush, 127.0.0.1 for the provider: two sites, as in real life (the flow cookie is SameSite=Lax).
  publicUrl = `http://localhost:${String(port)}`;
  const redirect_uris = [`${publicUrl}/auth/callback`];
  const groups = { 'contractor@example.com': ['contractors'] };
  [browser, idp, stranger] = await Promise.all([
    launchChromium(),
    startProvider({ clients: [{ client_id: 'hush', client_secret: SECRET, redirect_uris }, { client_id: 'other', client_secret: SECRET, redirect_uris }], groups, idTokenTtl: 120 }),
    startProvider({ clients: [{ client_id: 'hush', client_secret: SECRET, redirect_uris }] }),
  ]);
  s = await startServer({
    port, publicUrl, createPolicy: 'oidc', oidcIssuer: idp.issuer, oidcClientId: 'hush', oidcClientSecret: SECRET,
    oidcAllowedDomains: ['example.com'], oidcAllowedGroups: ['staff'], apiTokens: [createHash('sha256').update(TOKEN).digest('hex')], challenge: 'pow', powCost: 1000,
    sessionKey: b64uEncode(SESSION_KEY),
  });
});
afterAll(async () => {
  await browser.close();
  await s.close();
  await Promise.all([idp.close(), stranger.close()]);
});

/** Delivers a provider's answer to Hush's callback, with the flow cookie; `accept` as a browser or an API client. */
function deliver(callback: URL, flowCookie: string | null, accept = 'application/json'): Promise<Response> {
  return fetch(`${s.url}/auth/callback${callback.search}`, { redirect: 'manual', headers: { accept, ...(flowCookie === null ? {} : { cookie: flowCookie }) } });
}

/** A signed-in session of `login`, through the provider: its cookie (`name=value`) and CSRF value. */
async function signedIn(login = 'alice@example.com'): Promise<{ cookie: string; csrf: string }> {
  const { callback, flowCookie } = await authorize(browser, s.url, publicUrl, login);
  const res = await deliver(callback, flowCookie);
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get('location')).toBe(`${publicUrl}/`);
  const cookie = setCookie(res, 'hush_session')!;
  const who = (await req(`${s.url}/api/v1/session`, { headers: { cookie } })).json as { csrf: string };
  return { cookie, csrf: who.csrf };
}

const secretBody = async (): Promise<unknown> => (await sealSecret({ message: 'db password' })).body;
const create = async (headers: Record<string, string>, path = '/api/v1/secrets'): ReturnType<typeof req> =>
  req(`${s.url}${path}`, { method: 'POST', headers, json: path === '/api/v1/secrets' ? await secretBody() : { publicKey: b64uEncode(createECDH('prime256v1').generateKeys()) } });
const code = (r: { json: unknown }): string | undefined => (r.json as { error?: { code?: string } }).error?.code;
const message = async (r: Response): Promise<string> => ((await r.json()) as { error: { message: string } }).error.message;

describe('signing in with the provider, in Chromium', () => {
  it("a person signs in through the provider's login and consent pages, creates a secret in the page, and it opens", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    try {
      const w = await watchedPage(context);
      const { page } = w;
      const failed: string[] = [];
      page.on('response', (r) => {
        if (r.status() >= 400 && r.url().startsWith(publicUrl)) failed.push(`${r.url()} ${String(r.status())}`);
      });
      const creates: Record<string, string>[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST' && r.url().endsWith('/api/v1/secrets')) creates.push(r.headers());
      });
      await page.goto(`${publicUrl}/`);
      // Signed out: the "Sign in" link instead of the form.
      await page.locator('#sign-in-link').waitFor();
      expect(await page.locator('#create-form').isHidden()).toBe(true);
      const report: string[] = [];
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(300); // the buttons' colour transitions (0.15 s)
        for (const v of await axeViolations(page)) report.push(`signed out, ${scheme}: ${v}`);
      }
      await shots(page, SHOTS, 'create-signed-out');
      await page.locator('#sign-in-link').click();
      await page.waitForURL(`${idp.issuer}/**`);
      await signInAtProvider(page, 'alice@example.com');
      await page.waitForURL(`${publicUrl}/`);
      // What the provider's pages logged (their web font, from a network this machine has not) is not ours.
      w.errors.length = 0;
      await expect.poll(() => page.locator('#signed-in-as').textContent()).toBe('Signed in as alice@example.com');
      expect(await page.locator('#create-form').isVisible()).toBe(true);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(300); // the buttons' colour transitions (0.15 s)
        for (const v of await axeViolations(page)) report.push(`signed in, ${scheme}: ${v}`);
      }
      await shots(page, SHOTS, 'create-signed-in');
      const session = (await context.cookies(publicUrl)).find((c) => c.name === 'hush_session');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
      // Who, since when, and the CSRF value: nothing else, and nothing of any secret (read again after the create below).
      const holds = (): unknown => context.cookies(publicUrl).then((all) => new CookieSealer(SESSION_KEY).open('session', all.find((c) => c.name === 'hush_session')!.value));
      expect(Object.keys((await holds()) as object).sort()).toEqual(['csrf', 'email', 'iat', 'seen', 'sub']);

      await page.locator('#message').fill('the staging password');
      await page.locator('#create').click();
      await page.locator('#result').waitFor();
      const link = await page.locator('#link').inputValue();
      // The session, not a proof-of-work, authorised it; the cookie went with the CSRF header.
      expect(creates).toHaveLength(1);
      expect(creates[0]!['x-hush-csrf']).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(creates[0]!['x-hush-challenge']).toBeUndefined();
      expect((await openLink(link.replace(publicUrl, s.url))).message).toBe('the staging password');
      expect(JSON.stringify(await holds())).not.toContain(link.split('#')[1]);
      expect(Object.keys((await holds()) as object).sort()).toEqual(['csrf', 'email', 'iat', 'seen', 'sub']);
      expect(report.join('\n')).toBe('');
      expect(await w.violations()).toEqual([]);
      expect(w.errors).toEqual([]);
      expect(failed).toEqual([]);

      // The request page asks for a secret with the same session.
      await page.goto(`${publicUrl}/request`);
      await page.locator('#make').click();
      await page.locator('#made').waitFor();
      await page.goto(`${publicUrl}/`);
      await page.locator('#sign-out').click();
      await page.locator('#sign-in-link').waitFor();
      expect(await page.locator('#create-form').isHidden()).toBe(true);
      expect((await context.cookies(publicUrl)).find((c) => c.name === 'hush_session')).toBeUndefined();
    } finally {
      await context.close();
    }
  });
});

describe('who may create', () => {
  it('an anonymous create answers 401 unauthorized, saying to sign in at /auth/login; an API token still creates', async () => {
    for (const path of ['/api/v1/secrets', '/api/v1/requests']) {
      const r = await create({}, path);
      expect(r.status).toBe(401);
      expect(code(r)).toBe('unauthorized');
      expect((r.json as { error: { message: string } }).error.message).toContain(`${publicUrl}/auth/login`);
    }
    // A token holder needs no session and no human check, beside sign-in.
    expect((await create({ authorization: `Bearer ${TOKEN}` })).status).toBe(201);
    expect((await req(`${s.url}/api/v1/session`)).json).toEqual({ signedIn: false });
  });

  it("a signed-in create needs x-hush-csrf equal to the session's and a same-origin Origin when one is sent, else 403 csrf_failed; logout too", async () => {
    const { cookie, csrf } = await signedIn();
    expect((await req(`${s.url}/api/v1/session`, { headers: { cookie } })).json).toEqual({ signedIn: true, email: 'alice@example.com', csrf });
    for (const path of ['/api/v1/secrets', '/api/v1/requests']) {
      const wrong: Record<string, string>[] = [{ cookie }, { cookie, 'x-hush-csrf': 'A'.repeat(43) }, { cookie, 'x-hush-csrf': csrf, origin: 'http://evil.example' }, { cookie, 'x-hush-csrf': csrf, origin: 'null' }];
      for (const headers of wrong) {
        const r = await create(headers, path);
        expect([r.status, code(r)], JSON.stringify(headers)).toEqual([403, 'csrf_failed']);
      }
    }
    // Right value, from this origin or without an Origin: created, without a proof-of-work (this server asks one of anonymous creators).
    expect((await create({ cookie, 'x-hush-csrf': csrf, origin: publicUrl })).status).toBe(201);
    expect((await create({ cookie, 'x-hush-csrf': csrf })).status).toBe(201);
    expect((await create({ cookie, 'x-hush-csrf': csrf }, '/api/v1/requests')).status).toBe(201);
    const logout = (headers: Record<string, string>): Promise<Response> => fetch(`${s.url}/auth/logout`, { method: 'POST', headers: { cookie, ...headers } });
    const refused = await logout({});
    expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([403, 'csrf_failed']);
    expect((await logout({ 'x-hush-csrf': csrf, origin: 'http://evil.example' })).status).toBe(403);
    const out = await logout({ 'x-hush-csrf': csrf, origin: publicUrl });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()).toEqual(['hush_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax']);
  });
});

describe('sessions', () => {
  it('a tampered cookie, one sealed under another key, an idle-expired one and one past 12 hours are signed out', async () => {
    const { cookie, csrf } = await signedIn();
    const session = async (c: string): Promise<{ json: unknown; set: string[] }> => {
      const res = await fetch(`${s.url}/api/v1/session`, { headers: { cookie: c } });
      return { json: await res.json(), set: res.headers.getSetCookie() };
    };
    const value = cookie.slice('hush_session='.length);
    const flipped = `hush_session=${value.slice(0, 30)}${value[30] === 'A' ? 'B' : 'A'}${value.slice(31)}`;
    const now = Math.floor(Date.now() / 1000);
    const foreign = `hush_session=${new CookieSealer(new Uint8Array(32).fill(7)).seal('session', { sub: 'alice@example.com', email: 'alice@example.com', csrf, iat: now, seen: now })}`;
    for (const bad of [flipped, foreign, 'hush_session=not-a-session']) {
      expect((await session(bad)).json).toEqual({ signedIn: false });
      expect((await session(bad)).set).toEqual(['hush_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax']);
      expect((await create({ cookie: bad, 'x-hush-csrf': csrf })).status).toBe(401);
    }
    let moved = 0;
    const advance = (minutes: number): void => { s.advance(minutes * 60_000); moved += minutes * 60_000; };
    try {
      // Used after half the idle timeout (30 min): sealed again with a new "seen".
      advance(16);
      const renewed = await session(cookie);
      expect(renewed.json).toMatchObject({ signedIn: true });
      const fresh = renewed.set[0]!.split(';')[0]!;
      expect(fresh).not.toBe(cookie);
      advance(16); // 32 minutes after its last use, the old cookie is idle; the renewed one is not
      expect((await session(cookie)).json).toEqual({ signedIn: false });
      expect((await session(fresh)).json).toMatchObject({ signedIn: true, csrf });
      advance(31);
      expect((await session(fresh)).json).toEqual({ signedIn: false });
      // Used every 20 minutes, still over after 12 hours (signed in on the real clock: the ID token's times are checked against it).
      s.advance(-moved);
      moved = 0;
      let current = (await signedIn()).cookie;
      for (let t = 0; t < 12 * 60 - 20; t += 20) {
        advance(20);
        const r = await session(current);
        expect(r.json, `after ${String(t + 20)} min`).toMatchObject({ signedIn: true });
        current = r.set[0]?.split(';')[0] ?? current;
      }
      advance(20);
      expect((await session(current)).json).toEqual({ signedIn: false });
    } finally {
      s.advance(-moved);
    }
  });
});

describe('the callback refuses what does not belong to this sign-in', () => {
  it('a changed or missing state, a missing flow cookie, and a replayed answer: 400, as a page for a browser', async () => {
    const { callback, flowCookie } = await authorize(browser, s.url, publicUrl, 'alice@example.com');
    const [changed, missing] = [new URL(callback), new URL(callback)];
    changed.searchParams.set('state', 'x'.repeat(43));
    missing.searchParams.delete('state');
    for (const [answer, cookie] of [[changed, flowCookie], [missing, flowCookie], [callback, null]] as const) {
      const r = await deliver(answer, cookie);
      expect([r.status, ((await r.json()) as { error: { code: string } }).error.code]).toEqual([400, 'invalid_request']);
    }
    const page = await deliver(changed, flowCookie, 'text/html,application/xhtml+xml');
    expect([page.status, page.headers.get('content-type')]).toEqual([400, 'text/html; charset=utf-8']);
    expect(await page.text()).toContain('does not belong to the sign-in this browser started');
    // The genuine answer signs in, once: the same URL with the same flow cookie again is refused.
    expect((await deliver(callback, flowCookie)).status).toBe(303);
    const replay = await deliver(callback, flowCookie);
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('used already');
    expect(setCookie(replay, 'hush_session')).toBeNull();
  });

  it("another provider's answer (HUSH_OIDC_ISSUER names a different one) and another nonce are refused with 403", async () => {
    const foreign = await authorize(browser, s.url, publicUrl, 'alice@example.com', (u) => (u.host = new URL(stranger.issuer).host));
    expect(foreign.callback.searchParams.get('iss')).toBe(stranger.issuer);
    const r = await deliver(foreign.callback, foreign.flowCookie, 'text/html');
    expect(r.status).toBe(403);
    expect(await r.text()).toMatch(/failed its checks \(.*iss/);
    // The code of an authorization request with another nonce (an injected code): the ID token says so.
    const injected = await authorize(browser, s.url, publicUrl, 'alice@example.com', (u) => u.searchParams.set('nonce', 'n'.repeat(43)));
    const n = await deliver(injected.callback, injected.flowCookie);
    expect(n.status).toBe(403);
    expect(await message(n)).toMatch(/nonce/);
  });

  it("a code stolen from one sign-in and delivered with another sign-in's state and cookie is refused (PKCE)", async () => {
    const victim = await authorize(browser, s.url, publicUrl, 'alice@example.com');
    const attacker = await fetch(`${s.url}/auth/login`, { redirect: 'manual' });
    const theirs = new URL(attacker.headers.get('location')!);
    const forged = new URL(victim.callback);
    forged.searchParams.set('state', theirs.searchParams.get('state')!);
    const r = await deliver(forged, setCookie(attacker, 'hush_flow'));
    expect(r.status).toBe(403);
    expect(await message(r)).toContain('did not accept the code');
    expect(setCookie(r, 'hush_session')).toBeNull();
  });

  it('an ID token from another issuer, for another audience, or expired is refused with 403', async () => {
    /** A genuine token answer for `request` (after `rewrite`), traded by the test itself with its own PKCE verifier. */
    const tokens = async (login: string, rewrite: (u: URL) => void, clientId: string): Promise<{ answer: Authorized; body: string }> => {
      const verifier = 'v'.repeat(64);
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const answer = await authorize(browser, s.url, publicUrl, login, (u) => {
        rewrite(u);
        u.searchParams.set('code_challenge', challenge);
      });
      return { answer, body: await tradeCode(answer, { clientId, secret: SECRET, verifier }) };
    };
    /** Delivers `answer` while the provider's token endpoint, as Hush reaches it, hands out `body` instead. */
    const substituted = async (answer: Authorized, body: string): Promise<string> => {
      const real = globalThis.fetch;
      const spy = vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) =>
        String(input instanceof Request ? input.url : input) === `${idp.issuer}/token` ? Promise.resolve(new Response(body, { headers: { 'content-type': 'application/json' } })) : real(input, init),
      );
      try {
        const callback = new URL(answer.callback);
        callback.searchParams.set('iss', idp.issuer); // the answer itself names this server's provider
        const r = await deliver(callback, answer.flowCookie);
        expect(r.status).toBe(403);
        return await message(r);
      } finally {
        spy.mockRestore();
      }
    };
    const otherIssuer = await tokens('alice@example.com', (u) => (u.host = new URL(stranger.issuer).host), 'hush');
    expect(await substituted(otherIssuer.answer, otherIssuer.body)).toMatch(/"iss"/);
    const otherAudience = await tokens('alice@example.com', (u) => u.searchParams.set('client_id', 'other'), 'other');
    expect(await substituted(otherAudience.answer, otherAudience.body)).toMatch(/"aud"/);
    // Expired: the ID token lives 120 s here (plus openid-client's 30 s of tolerance); Hush's clock is 5 minutes on.
    const late = await authorize(browser, s.url, publicUrl, 'alice@example.com');
    s.advance(5 * 60_000);
    try {
      const r = await deliver(late.callback, late.flowCookie);
      expect(r.status).toBe(403);
      expect(await message(r)).toMatch(/"exp"/);
    } finally {
      s.advance(-5 * 60_000);
    }
  });
});

describe('who may sign in', () => {
  it('a user outside HUSH_OIDC_ALLOWED_DOMAINS, one whose e-mail is not verified and one outside HUSH_OIDC_ALLOWED_GROUPS are refused', async () => {
    for (const [login, says] of [
      ['mallory@elsewhere.example', 'Accounts of elsewhere.example cannot sign in'],
      ['unverified-bob@example.com', 'has not verified the e-mail address'],
      ['contractor@example.com', 'not in a group'],
    ] as const) {
      const { callback, flowCookie } = await authorize(browser, s.url, publicUrl, login);
      const r = await deliver(callback, flowCookie, 'text/html');
      expect(r.status, login).toBe(403);
      expect(await r.text()).toContain(says);
      expect(setCookie(r, 'hush_session')).toBeNull();
    }
  });
});

describe('the provider and the settings', () => {
  it('the server starts while the provider is down: login answers 503 until it is up, then works', async () => {
    const port = await freePort();
    const down = await startServer({ createPolicy: 'oidc', oidcIssuer: `http://127.0.0.1:${String(port)}`, oidcClientId: 'hush', publicUrl: 'http://localhost:1' });
    try {
      const r = await req(`${down.url}/auth/login`, { redirect: 'manual' });
      expect([r.status, code(r)]).toEqual([503, 'unavailable']);
      expect(r.headers.get('retry-after')).toBe('5');
      const page = await req(`${down.url}/auth/login`, { redirect: 'manual', headers: { accept: 'text/html' } });
      expect(page.status).toBe(503);
      expect(page.text).toContain('cannot be reached');
      const up = await startProvider({ port, clients: [{ client_id: 'hush', client_secret: SECRET, redirect_uris: ['http://localhost:1/auth/callback'] }] });
      try {
        const ok = await fetch(`${down.url}/auth/login`, { redirect: 'manual' });
        expect(ok.status).toBe(302);
        const to = new URL(ok.headers.get('location')!);
        expect(to.origin).toBe(up.issuer);
        expect(Object.fromEntries([...to.searchParams].filter(([k]) => !['state', 'nonce', 'code_challenge'].includes(k)))).toEqual({
          client_id: 'hush', response_type: 'code', scope: 'openid email profile', redirect_uri: 'http://localhost:1/auth/callback', code_challenge_method: 'S256',
        });
        expect(setCookie(ok, 'hush_flow')).not.toBeNull();
      } finally {
        await up.close();
      }
    } finally {
      await down.close();
    }
  });

  it('refuses sign-in without issuer, client id or public URL, and without HUSH_SESSION_KEY on a shared store', () => {
    const oidc = { HUSH_CREATE: 'oidc', HUSH_OIDC_ISSUER: 'https://id.example.com', HUSH_OIDC_CLIENT_ID: 'hush', HUSH_PUBLIC_URL: 'https://hush.example.com' };
    expect(() => loadConfig(oidc)).not.toThrow();
    expect(() => loadConfig({ ...oidc, HUSH_OIDC_ISSUER: '' })).toThrow(/HUSH_CREATE=oidc needs HUSH_OIDC_ISSUER/);
    expect(() => loadConfig({ ...oidc, HUSH_OIDC_CLIENT_ID: '', HUSH_PUBLIC_URL: '' })).toThrow(/needs HUSH_OIDC_CLIENT_ID, HUSH_PUBLIC_URL/);
    expect(() => loadConfig({ ...oidc, HUSH_OIDC_ISSUER: 'http://id.example.com' })).toThrow(/HUSH_OIDC_ISSUER: must be an https/);
    expect(() => loadConfig({ ...oidc, HUSH_STORE: 'postgres://hush@127.0.0.1:5432/test' })).toThrow(/needs HUSH_SESSION_KEY/);
    expect(() => loadConfig({ ...oidc, HUSH_STORE: 'redis://127.0.0.1:6379/0', HUSH_SESSION_KEY: 'A'.repeat(43) })).not.toThrow();
    expect(() => loadConfig({ ...oidc, HUSH_SESSION_KEY: 'A'.repeat(22) })).toThrow(/HUSH_SESSION_KEY: .*must be 32 bytes .*, not 16/);
    expect(loadConfig({ ...oidc, HUSH_OIDC_ALLOWED_DOMAINS: 'example.com, @Example.org', HUSH_SESSION_IDLE: '1h' })).toMatchObject({ oidcAllowedDomains: ['example.com', 'example.org'], sessionIdle: 3600 });
  });

  it('without HUSH_SESSION_KEY on SQLite, the key is made once into session.key beside the database (0600)', () => {
    const dir = tempDir();
    const config = loadConfig({ HUSH_CREATE: 'oidc', HUSH_OIDC_ISSUER: 'https://id.example.com', HUSH_OIDC_CLIENT_ID: 'hush', HUSH_PUBLIC_URL: 'https://hush.example.com', HUSH_STORE: `sqlite:${join(dir, 'hush.db')}` });
    const first = withKeptKeys(config);
    expect(first.config.sessionKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.kept.some((k) => k.includes('session.key (made now)'))).toBe(true);
    expect(statSync(join(dir, 'session.key')).mode & 0o777).toBe(0o600);
    expect(withKeptKeys(config).config.sessionKey).toBe(first.config.sessionKey);
    // Not made when sign-in is off.
    expect(withKeptKeys(loadConfig({ HUSH_STORE: `sqlite:${join(dir, 'other', 'hush.db')}` })).kept.some((k) => k.includes('session.key'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
