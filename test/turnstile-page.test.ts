// The create page with HUSH_CHALLENGE=turnstile, in Chromium. Cloudflare cannot be reached from
// here, so Chromium is handed a stand-in for Cloudflare's script at its real URL (the page, its
// CSP and Trusted Types are the real ones), and a local siteverify server answers the server.
// Regression for an outside review's finding: Turnstile mode widened the CSP on every page and
// turned Trusted Types off everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { startServer, type TestServer } from './helpers/server.js';
import { startSiteverify, type Siteverify } from './helpers/siteverify.js';

const SCRIPT_URL = 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit';

// Renders a box and hands out a token, as the widget does once solved; uses no HTML sink.
const STAND_IN = `
window.turnstile = {
  render(box, options) {
    const note = document.createElement('p');
    note.textContent = 'stand-in widget for ' + options.sitekey;
    note.id = 'stand-in';
    box.append(note);
    setTimeout(() => options.callback('good-token'), 10);
    return 'widget-1';
  },
  reset() { window.__resets = (window.__resets || 0) + 1; },
};`;

describe('Turnstile on the create page', () => {
  let verifier: Siteverify;
  let s: TestServer;
  let browser: Browser;
  const tokens: string[] = [];
  beforeAll(async () => {
    verifier = await startSiteverify((form) => {
      const token = form.get('response') ?? '';
      tokens.push(token);
      return { success: token === 'good-token', hostname: '127.0.0.1' };
    });
    const verifyUrl = verifier.url;
    s = await startServer({ challenge: 'turnstile', turnstileSiteKey: 'site-key-1', turnstileSecret: 'secret-1', turnstileVerifyUrl: verifyUrl, publicUrl: 'http://127.0.0.1:1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser.close();
    await s.close();
    await verifier.close();
  });

  it('loads the one script through its own Trusted Types policy and creates with its token, with no CSP violation', async () => {
    const context = await browser.newContext();
    const fetched: string[] = [];
    await context.route('https://challenges.cloudflare.com/**', async (route) => {
      fetched.push(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/javascript', body: STAND_IN });
    });
    const w = await watchedPage(context);
    await w.page.goto(`${s.url}/`);
    await w.page.waitForSelector('#stand-in');
    expect(await w.page.textContent('#stand-in')).toBe('stand-in widget for site-key-1');
    expect(fetched).toEqual([SCRIPT_URL]);
    await w.page.fill('#message', 'behind a turnstile');
    await w.page.click('#create');
    await w.page.waitForSelector('#result:not([hidden])');
    expect(tokens).toContain('good-token');
    expect(await w.violations()).toEqual([]);
    expect(w.errors).toEqual([]);
    // Trusted Types are enforced on this page: a string still reaches no script sink.
    const sink = await w.page.evaluate(() => {
      try {
        document.createElement('script').src = 'https://challenges.cloudflare.com/other.js';
        return 'accepted';
      } catch (e) {
        return (e as Error).name;
      }
    });
    expect(sink).toBe('TypeError');
    expect(await w.violations()).toEqual(['require-trusted-types-for trusted-types-sink']);
    await context.close();
  });

  it("no other page may load Cloudflare's script or make its policy", async () => {
    const context = await browser.newContext();
    await context.route('https://challenges.cloudflare.com/**', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: STAND_IN }));
    for (const path of ['/s/AAAAAAAAAAAAAAAAAAAAAA', '/m/AAAAAAAAAAAAAAAAAAAAAA', '/l', '/request']) {
      const w = await watchedPage(context);
      await w.page.goto(`${s.url}${path}`);
      const outcome = await w.page.evaluate(async (url) => {
        const tt = (window as unknown as { trustedTypes: { createPolicy: (n: string, r: object) => { createScriptURL: (u: string) => string } } }).trustedTypes;
        let policy: string;
        try {
          tt.createPolicy('hush-turnstile', { createScriptURL: (u: string) => u });
          policy = 'made';
        } catch {
          policy = 'refused';
        }
        // Even with a policy of an allowed name, the CSP's script-src stops the load.
        const script = document.createElement('script');
        const loaded = await new Promise<string>((resolve) => {
          script.addEventListener('load', () => resolve('loaded'));
          script.addEventListener('error', () => resolve('blocked'));
          try {
            script.src = tt.createPolicy('hush-worker', { createScriptURL: (u: string) => u }).createScriptURL(url);
          } catch {
            resolve('no policy');
            return;
          }
          document.head.append(script);
        });
        return { policy, loaded };
      }, SCRIPT_URL);
      expect(outcome.policy, path).toBe('refused');
      // hush-worker may exist once per page; a page that made it already cannot make it again.
      expect(['blocked', 'no policy'], path).toContain(outcome.loaded);
      expect(await w.page.evaluate(() => 'turnstile' in window), path).toBe(false);
      await w.page.close();
    }
    await context.close();
  });
});
