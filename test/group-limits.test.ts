// Per-group limits on creating (HUSH_OIDC_GROUP_LIMITS, docs/protocol.md §13), with a real OpenID
// provider (oidc-provider, in this process) whose accounts carry a `groups` claim: a member of a
// limited group must set a passphrase and may not set a longer expiry than the group's (the
// strictest of their groups); no expiry asked for means the group's longest when the server's
// default is longer; a personal token made by that person carries the same limits; a member of
// no limited group is held only by the server's own bounds. Nothing refused is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { b64uEncode, sealSecret } from '../src/protocol/index.js';
import { parseGroupLimits } from '../src/server/oidc-settings.js';
import { req } from './helpers/api.js';
import { axeViolations, screenshots, watchedPage } from './helpers/browser.js';
import { signInAtProvider, signedIn, startSignInServer, type SignInServer, type TestProvider } from './helpers/oidc-provider.js';
import type { TestServer } from './helpers/server.js';

const DAY = 86_400;

let browser: Browser;
let idp: TestProvider;
let s: TestServer;
let publicUrl: string;
let fixture: SignInServer;

beforeAll(async () => {
  const groups = { 'carl@example.com': ['staff', 'contractors'], 'sam@example.com': ['staff'], 'olga@example.com': ['others'] };
  fixture = await startSignInServer(
    { sessionKey: b64uEncode(new Uint8Array(32).fill(5)), oidcGroupLimits: parseGroupLimits('contractors=ttl:3600 passphrase; staff=ttl:604800') },
    groups,
  );
  ({ browser, idp, s, publicUrl } = fixture);
});
afterAll(() => fixture.close());

/** Creates as `who` (session cookie and CSRF, or a personal token); the status, the answer and the live secrets after. */
async function create(who: Record<string, string>, options: { ttl?: number; passphrase?: boolean }): Promise<{ status: number; json: unknown }> {
  const sealed = await sealSecret({ message: 'group limits', ...(options.passphrase === true ? { passphrase: 'correct horse battery staple' } : {}) });
  const r = await req(`${s.url}/api/v1/secrets`, { method: 'POST', headers: who, json: { ...sealed.body, ...(options.ttl === undefined ? {} : { ttl: options.ttl }) } });
  return { status: r.status, json: r.json };
}
const expiresIn = (json: unknown): number => Math.round((Date.parse((json as { expiresAt: string }).expiresAt) - Date.now()) / 1000);
const message = (json: unknown): string => (json as { error: { message: string } }).error.message;

describe('HUSH_OIDC_GROUP_LIMITS', () => {
  it('is read as GROUP=RULES; anything else is refused with the entry named', () => {
    expect(parseGroupLimits('contractors=ttl:3600 passphrase; staff=ttl:604800 ; team=a=passphrase')).toEqual({
      contractors: { ttl: 3600, passphrase: true },
      staff: { ttl: 604800 },
      'team=a': { passphrase: true },
    });
    expect(parseGroupLimits('')).toEqual({});
    expect(() => parseGroupLimits('contractors')).toThrow(/is not GROUP=RULES/);
    expect(() => parseGroupLimits('contractors=')).toThrow(/contractors: no rule/);
    expect(() => parseGroupLimits('contractors=ttl:1h')).toThrow(/"ttl:1h" is not a rule/);
    expect(() => parseGroupLimits('a,b=passphrase')).toThrow(/is not GROUP=RULES/);
  });

  it('a member of a limited group: a passphrase required, the strictest expiry, the default shortened; their personal token the same', async () => {
    const carl = await signedIn(browser, s.url, publicUrl, 'carl@example.com');
    const session = { cookie: carl.cookie, 'x-hush-csrf': carl.csrf };
    const noPassphrase = await create(session, { ttl: 600 });
    expect(noPassphrase.status).toBe(400);
    expect(message(noPassphrase.json)).toMatch(/must protect every secret with a passphrase\. Nothing was stored/);
    // staff allows 7 days, contractors 1 hour: the strictest holds.
    const tooLong = await create(session, { ttl: 7200, passphrase: true });
    expect(tooLong.status).toBe(400);
    expect(message(tooLong.json)).toMatch(/at most 1 hour: choose a shorter expiry/);
    const ok = await create(session, { ttl: 3600, passphrase: true });
    expect(ok.status).toBe(201);
    expect(expiresIn(ok.json)).toBeLessThanOrEqual(3600);
    // No expiry asked for: the server's default (1 day) is longer than the group's, so the group's.
    const byDefault = await create(session, { passphrase: true });
    expect(byDefault.status).toBe(201);
    expect(expiresIn(byDefault.json)).toBeGreaterThan(3590);
    expect(expiresIn(byDefault.json)).toBeLessThanOrEqual(3600);
    // "My secrets" holds exactly the two stored.
    const mine = await req(`${s.url}/api/v1/me/secrets`, { headers: { cookie: carl.cookie } });
    expect((mine.json as { secrets: unknown[] }).secrets).toHaveLength(2);
    // A personal token made by carl is held to the same limits.
    const made = await req(`${s.url}/api/v1/me/tokens`, { method: 'POST', headers: session });
    expect(made.status).toBe(201);
    const bearer = { authorization: `Bearer ${(made.json as { token: string }).token}` };
    expect((await create(bearer, { ttl: 600 })).status).toBe(400);
    expect((await create(bearer, { ttl: 7200, passphrase: true })).status).toBe(400);
    expect((await create(bearer, { ttl: 3600, passphrase: true })).status).toBe(201);
  });

  it("a member of a group with a longer limit, and of none: only the group's, or only the server's own bounds", async () => {
    const sam = await signedIn(browser, s.url, publicUrl, 'sam@example.com');
    const samSession = { cookie: sam.cookie, 'x-hush-csrf': sam.csrf };
    expect((await create(samSession, { ttl: 7 * DAY })).status).toBe(201); // no passphrase asked of staff
    const over = await create(samSession, { ttl: 7 * DAY + 1 });
    expect(over.status).toBe(400);
    expect(message(over.json)).toMatch(/at most 7 days: choose a shorter expiry/);
    const olga = await signedIn(browser, s.url, publicUrl, 'olga@example.com');
    expect((await create({ cookie: olga.cookie, 'x-hush-csrf': olga.csrf }, { ttl: 30 * DAY })).status).toBe(201);
  });

  it('in Chromium: signed in as a member, the create page offers only the expiries the group allows, and asks for a passphrase', async () => {
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const w = await watchedPage(context);
    const page = w.page;
    await page.goto(`${publicUrl}/`);
    await page.locator('#sign-in-link').click();
    await page.waitForURL(`${idp.issuer}/**`);
    await signInAtProvider(page, 'carl@example.com');
    await page.waitForURL(`${publicUrl}/`);
    w.errors.length = 0; // the provider's pages log what is not ours (their web font)
    await expect.poll(() => page.locator('#passphrase').evaluate((el) => (el as HTMLInputElement).required)).toBe(true);
    const options = await page.locator('#ttl option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, (o as HTMLOptionElement).disabled]));
    expect(options).toEqual([['300', false], ['3600', false], ['86400', true], ['604800', true], ['2592000', true], ['custom', false]]);
    expect(await page.inputValue('#ttl')).toBe('3600'); // the default (24 hours) was too long: the longest allowed
    expect(await page.textContent('#policy')).toMatch(/1 h/);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.waitForTimeout(300);
      expect(await axeViolations(page), scheme).toEqual([]);
    }
    await screenshots(page, 'create-group-limits');
    expect(w.errors).toEqual([]);
    await context.close();
  });
});
