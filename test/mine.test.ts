// "My secrets" (docs/protocol.md §13) with a real OpenID provider (oidc-provider, in this process):
// a signed-in person sees the secrets they created — metadata and history, never a link — and can
// revoke one; another person sees none of them and cannot revoke them; signed out, nothing. The
// page in Chromium: the list, a revoke, axe in both themes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { b64uEncode, sealSecret } from '../src/protocol/index.js';
import { req } from './helpers/api.js';
import { axeViolations, screenshots, watchedPage } from './helpers/browser.js';
import { signInAtProvider, signedIn as signedInAt, startSignInServer, type SignInServer } from './helpers/oidc-provider.js';
import type { TestServer } from './helpers/server.js';

let browser: Browser;
let s: TestServer;
let publicUrl: string;
let fixture: SignInServer;

beforeAll(async () => {
  fixture = await startSignInServer({ sessionKey: b64uEncode(new Uint8Array(32).fill(7)) });
  ({ browser, s, publicUrl } = fixture);
});
afterAll(() => fixture.close());

/** A signed-in session of `login`: its cookie and CSRF value. */
const signedIn = (login: string): Promise<{ cookie: string; csrf: string }> => signedInAt(browser, s.url, publicUrl, login);

interface Mine {
  id: string;
  state: string;
  viewsLeft: number;
  events?: { type: string }[];
  restricted?: boolean;
}

const mine = async (cookie: string): Promise<{ status: number; secrets: Mine[] }> => {
  const r = await req(`${s.url}/api/v1/me/secrets`, { headers: { cookie } });
  return { status: r.status, secrets: (r.json as { secrets?: Mine[] }).secrets ?? [] };
};

describe('my secrets', () => {
  it('a person sees and revokes only their own secrets; others and the signed-out see nothing', async () => {
    const ana = await signedIn('ana@example.com');
    const ben = await signedIn('ben@example.com');
    const made: string[] = [];
    for (const views of [1, 2]) {
      const r = await req(`${s.url}/api/v1/secrets`, { method: 'POST', headers: { cookie: ana.cookie, 'x-hush-csrf': ana.csrf }, json: { ...(await sealSecret({ message: `m${String(views)}` })).body, views } });
      expect(r.status).toBe(201);
      made.push((r.json as { id: string }).id);
    }
    const list = await mine(ana.cookie);
    expect(list.status).toBe(200);
    expect(list.secrets.map((x) => x.id)).toEqual([...made].reverse());
    expect(list.secrets.map((x) => [x.state, x.viewsLeft])).toEqual([
      ['pending', 2],
      ['pending', 1],
    ]);
    expect(list.secrets[0]!.events?.map((e) => e.type)).toEqual(['created']);
    expect(JSON.stringify(list.secrets)).not.toMatch(/manage|link|ciphertext/i);
    expect((await mine(ben.cookie)).secrets).toEqual([]);
    const out = await req(`${s.url}/api/v1/me/secrets`);
    expect(out.status).toBe(401);

    // Ben cannot revoke Ana's; Ana cannot without the CSRF value; with it she can.
    const path = `${s.url}/api/v1/me/secrets/${made[0]!}`;
    expect((await req(path, { method: 'DELETE', headers: { cookie: ben.cookie, 'x-hush-csrf': ben.csrf } })).status).toBe(404);
    expect((await req(path, { method: 'DELETE', headers: { cookie: ana.cookie } })).status).toBe(403);
    expect((await req(path, { method: 'DELETE', headers: { cookie: ana.cookie, 'x-hush-csrf': ana.csrf } })).status).toBe(204);
    const after = await mine(ana.cookie);
    expect(after.secrets.find((x) => x.id === made[0])).toMatchObject({ state: 'revoked', viewsLeft: 0 });
    expect(after.secrets.find((x) => x.id === made[0])!.events?.map((e) => e.type)).toEqual(['created', 'revoked']);
  });

  it('the page lists the signed-in person\'s secrets and revokes one; signed out it offers to sign in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    try {
      const w = await watchedPage(context);
      const { page } = w;
      await page.goto(`${publicUrl}/mine`);
      await page.locator('#mine-note a').waitFor();
      expect(await page.locator('#mine-note a').textContent()).toBe('Sign in to see the secrets you shared');
      await page.locator('#mine-note a').click();
      await signInAtProvider(page, 'cleo@example.com');
      await page.waitForURL(`${publicUrl}/`);
      await page.locator('#message').fill('for the list');
      await page.locator('#create').click();
      await page.locator('#result').waitFor();
      w.errors.length = 0; // the provider's pages log their web font, from a network this machine has not
      await page.locator('#my-secrets').click();
      await page.waitForURL(`${publicUrl}/mine`);
      await page.locator('#mine-list li').first().waitFor();
      expect(await page.locator('#mine-list > li').count()).toBe(1);
      expect(await page.locator('#mine-list dd').first().textContent()).toBe('Waiting — not read yet');
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
        await page.waitForTimeout(300);
        expect(await axeViolations(page), scheme).toEqual([]);
      }
      await screenshots(page, 'mine');
      await page.locator('#mine-list button.danger').first().click();
      await page.locator('#mine-list .confirm button.danger').click();
      await expect.poll(() => page.locator('#mine-list dd').first().textContent()).toBe('Revoked by you');
      expect(await page.locator('#mine-list button.danger').count()).toBe(0);
      expect(w.errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
