// The create page in a real Chromium against a real server (real port, real SQLite file): making
// a link, the operator's policies, sharing it (shortened, copied, as a QR code); and every page
// at 320 px.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret } from './helpers/api.js';
import { launchChromium, watchedPage, type WatchedPage } from './helpers/browser.js';
import { createInPage, decodeQr, revealInPage } from './helpers/pages.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());

describe('the create page in Chromium (proof-of-work on, as by default)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ challenge: 'pow' });
  });
  afterAll(() => s.close());

  it('after pagehide ended its crypto worker (back/forward cache), the page starts a new one: creating again works', async () => {
    const w = await watchedPage(await browser.newContext());
    await createInPage(w, s.url, 'first');
    // What leaving the page does; the page may come back from the back/forward cache.
    await w.page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    await w.page.click('#again');
    await w.page.fill('#message', 'second, after the worker was stopped');
    await w.page.click('#create');
    await w.page.waitForSelector('#result:not([hidden]), #create-error:not([hidden])');
    // The worker's script URL goes through the one Trusted Types policy, which may be made once.
    expect(await w.page.textContent('#create-error')).toBe('');
    expect(await w.page.isVisible('#result')).toBe(true);
    expect(w.errors).toEqual([]);
    expect(await w.violations()).toEqual([]);
  });

  it('Trusted Types are enforced: no HTML sink takes a string, and no script can make another policy', async () => {
    const w = await watchedPage(await browser.newContext());
    // After a create the page has made its one policy (for the proof-of-work worker).
    await createInPage(w, s.url, 'tt check');
    const result = await w.page.evaluate(() => {
      const tries: Record<string, string> = {};
      const attempt = (name: string, f: () => unknown): void => {
        try {
          f();
          tries[name] = 'allowed';
        } catch (e) {
          tries[name] = (e as Error).name;
        }
      };
      const tt = (globalThis as unknown as { trustedTypes: { createPolicy: (n: string, r: object) => unknown } }).trustedTypes;
      attempt('innerHTML', () => {
        document.body.insertAdjacentHTML('beforeend', '<img src=x>');
      });
      attempt('script src', () => {
        document.createElement('script').src = 'https://example.invalid/x.js';
      });
      attempt('another policy', () => tt.createPolicy('attacker', { createHTML: (x: string) => x }));
      attempt('the worker policy again', () => tt.createPolicy('hush-worker', { createScriptURL: (x: string) => x }));
      attempt('the language policy again', () => tt.createPolicy('hush-i18n', { createScriptURL: (x: string) => x }));
      return tries;
    });
    expect(result).toEqual({
      innerHTML: 'TypeError',
      'script src': 'TypeError',
      'another policy': 'TypeError',
      'the worker policy again': 'TypeError',
      'the language policy again': 'TypeError',
    });
    expect(await w.page.locator('img').count()).toBe(0);
  });

  it('works by keyboard alone: Ctrl+Enter creates, the focused button reveals', async () => {
    const w = await watchedPage(await browser.newContext());
    await w.page.goto(`${s.url}/`);
    await w.page.waitForSelector('#policy:not([hidden])');
    await w.page.focus('#message');
    await w.page.keyboard.type('typed by keyboard');
    await w.page.keyboard.press('Control+Enter');
    await w.page.waitForSelector('#result:not([hidden])');
    // Focus moved to the result; Tab reaches the link field and its Copy button.
    const link = await w.page.inputValue('#link');
    const r = await (await browser.newContext()).newPage();
    await r.goto(link);
    await r.waitForSelector('#meta:not([hidden])');
    expect(await r.evaluate(() => document.activeElement?.id)).toBe('reveal');
    await r.keyboard.press('Enter');
    await r.waitForSelector('#secret:not([hidden])');
    expect(await r.inputValue('#secret-text')).toBe('typed by keyboard');
  });
});

describe('small screens', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ passphraseAttempts: 3 });
  });
  afterAll(() => s.close());

  it('every page is usable at 320 px: nothing wider than the screen', async () => {
    const ctx = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const made = await makeSecret(s.url);
    const paths = ['/', `/s/${made.id}#${made.keyB64u}`, `/m/${made.id}#${made.manageToken}`, '/l#1.x', '/nothing-here'];
    for (const path of paths) {
      const p = await ctx.newPage();
      await p.goto(`${s.url}${path}`);
      await p.waitForLoadState('networkidle');
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(320);
      await p.close();
    }
  });
});

describe('operator policies are shown in the page', () => {
  it('creation switched off: the form is disabled and says why; reading keeps working', async () => {
    const s = await startServer({ createPolicy: 'off' });
    try {
      const p = await (await browser.newContext()).newPage();
      await p.goto(`${s.url}/`);
      await p.waitForSelector('#create-off:not([hidden])');
      expect(await p.textContent('#create-off')).toMatch(/switched off/);
      expect(await p.isDisabled('#create')).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('passphrase required: the page marks it required and refuses to create without one', async () => {
    const s = await startServer({ requirePassphrase: true });
    try {
      const w = await watchedPage(await browser.newContext());
      await w.page.goto(`${s.url}/`);
      await w.page.waitForSelector('#policy:not([hidden])');
      expect(await w.page.textContent('#policy')).toMatch(/requires a passphrase/);
      expect(await w.page.textContent('#passphrase-optional')).toBe('(required on this server)');
      await w.page.fill('#message', 'x');
      await w.page.click('#create');
      await w.page.waitForSelector('#create-error:not([hidden])');
      expect(await w.page.textContent('#create-error')).toBe('This server requires a passphrase.');
      const { link } = await createInPage(w, s.url, 'guarded', { passphrase: 'p' });
      expect((await revealInPage(await browser.newContext(), link, 'p')).text).toBe('guarded');
    } finally {
      await s.close();
    }
  });
});

describe('sharing: the link shortened on screen, copied whole, as a QR code; the passphrase hint', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  /** A page whose clipboard writes are recorded in window.__copied. */
  async function copyingPage(): Promise<WatchedPage> {
    const w = await watchedPage(await browser.newContext({ permissions: ['clipboard-write'] }));
    await w.page.addInitScript(() => {
      const copied: string[] = [];
      (window as unknown as { __copied: string[] }).__copied = copied;
      const write = navigator.clipboard.writeText.bind(navigator.clipboard);
      navigator.clipboard.writeText = (text: string) => {
        copied.push(text);
        return write(text);
      };
    });
    return w;
  }

  it('shows origin/s/abcdef…wxyz, copies the whole link and manage link, and its QR code decodes to the whole link', async () => {
    const w = await copyingPage();
    const { page } = w;
    const { link, manage } = await createInPage(w, s.url, 'shared by QR');
    const [, id, key] = /\/s\/([^#]+)#(.+)$/.exec(link)!;
    const host = new URL(s.url).host;
    expect(await page.textContent('#link-short')).toBe(`${host}/s/${id!.slice(0, 6)}…${key!.slice(-4)}`);
    expect(await page.textContent('#manage-short')).toMatch(new RegExp(`^${host}/m/${id!.slice(0, 6)}…[A-Za-z0-9_-]{4}$`));
    // The whole link is one click away, not on screen; the key's middle is nowhere visible.
    expect(await page.isVisible('#link')).toBe(false);
    expect(await page.locator('main').innerText()).not.toContain(key!.slice(4, -4));
    // No passphrase, no hint about sending it separately.
    expect(await page.isVisible('#channel-hint')).toBe(false);

    await page.click('#copy-link');
    await page.waitForFunction(() => document.getElementById('announce')?.textContent !== '');
    expect(await page.textContent('#copy-link')).toBe('Copied ✓');
    expect(await page.textContent('#announce')).toBe('Link copied to the clipboard.');
    await page.click('#copy-manage');
    await page.waitForFunction(() => (window as unknown as { __copied: string[] }).__copied.length === 2);
    expect(await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied)).toEqual([link, manage]);

    // The QR code: generated in the page (no request left the origin), and it scans as the link.
    expect(await page.isVisible('#qr svg')).toBe(false);
    await page.click('#qr-details summary');
    expect(await page.isVisible('#qr svg')).toBe(true);
    expect(await page.getAttribute('#qr svg', 'aria-label')).toBe('QR code of the link for the recipient');
    expect(await decodeQr(page)).toBe(link);
    expect(await w.violations()).toEqual([]);
    expect(w.errors).toEqual([]);

    // "Share another secret" takes the links and the code off the page.
    await page.click('#again');
    expect(await page.inputValue('#link')).toBe('');
    expect(await page.locator('#qr svg').count()).toBe(0);
    expect(await page.textContent('#copy-link')).toBe('Copy link');
  });

  it('a stateless link near its length limit still gives a QR code that scans', async () => {
    const w = await copyingPage();
    const message = 'x'.repeat(1100);
    const { link } = await createInPage(w, s.url, message, { stateless: true });
    expect(link.length).toBeGreaterThan(1500);
    const body = link.split('#1.')[1]!;
    expect(await w.page.textContent('#link-short')).toBe(`${new URL(s.url).host}/l#1.${body.slice(0, 6)}…${body.slice(-4)}`);
    await w.page.click('#qr-details summary');
    expect(await w.page.getAttribute('#qr svg', 'class')).toBe('qr qr-dense');
    expect(await decodeQr(w.page)).toBe(link);
  });

  it('with a passphrase, the result says to send it another way; Ctrl+Enter creates from any field', async () => {
    const w = await copyingPage();
    const { page } = w;
    await page.goto(`${s.url}/`);
    await page.waitForSelector('#policy:not([hidden])');
    await page.fill('#message', 'guarded');
    await page.click('#more summary');
    await page.fill('#passphrase', 'correct horse');
    await page.focus('#passphrase');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#result:not([hidden])');
    expect(await page.textContent('#channel-hint')).toMatch(/^Send the passphrase another way than the link/);
    expect(await page.isVisible('#channel-hint')).toBe(true);
    // The form no longer holds the secret or the passphrase.
    expect(await page.inputValue('#message')).toBe('');
    expect(await page.inputValue('#passphrase')).toBe('');
  });
});
