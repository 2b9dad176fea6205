// Leaving nothing behind in the browser, in a real Chromium against a real server: no storage,
// cookie or service worker after any page, and Back after reading (or typing) a secret shows none,
// whether the page is loaded again (as served: no-store) or kept in the back/forward cache.
import { createServer, request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret } from './helpers/api.js';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { createInPage, revealInPage } from './helpers/pages.js';
import { sealLink } from '../src/lib.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());

describe('leaving nothing behind in the browser', () => {
  let s: TestServer;
  let bf: Browser;
  /** A proxy that drops Cache-Control, so Chromium may keep the pages in its back/forward cache. */
  let proxy: Server;
  let cached: string;
  beforeAll(async () => {
    [s, bf] = await Promise.all([startServer(), launchChromium({ backForwardCache: true })]);
    const target = new URL(s.url);
    proxy = createServer((rq, rs) => {
      const up = request({ host: target.hostname, port: target.port, path: rq.url, method: rq.method, headers: rq.headers }, (r) => {
        const headers = { ...r.headers };
        delete headers['cache-control'];
        rs.writeHead(r.statusCode ?? 502, headers);
        r.pipe(rs);
      });
      up.on('error', () => rs.writeHead(502).end());
      rq.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const address = proxy.address();
    if (address === null || typeof address === 'string') throw new Error('no proxy address');
    cached = `http://127.0.0.1:${String(address.port)}`;
  });
  afterAll(async () => {
    await new Promise((r) => proxy.close(r));
    await bf.close();
    await s.close();
  });

  /** Every kind of storage a page could leave something in, as the page sees it. */
  function storageSeen(page: Page): Promise<{ local: number; session: number; indexedDB: number; serviceWorker: boolean; caches: number }> {
    return page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      indexedDB: (await indexedDB.databases()).length,
      serviceWorker: (await navigator.serviceWorker.getRegistration()) !== undefined,
      caches: (await caches.keys()).length,
    }));
  }

  it('after creating, revealing, managing and opening a stateless link: no storage, no cookie, no service worker', async () => {
    const context = await browser.newContext();
    const w = await watchedPage(context);
    const stored = await createInPage(w, s.url, 'stored secret', { passphrase: 'pass' });
    const stateless = await createInPage(w, s.url, 'stateless secret', { stateless: true });
    const { w: r, text } = await revealInPage(context, stored.link, 'pass');
    expect(text).toBe('stored secret');
    const l = await watchedPage(context);
    await l.page.goto(stateless.link);
    await l.page.click('#reveal');
    await l.page.waitForSelector('#secret:not([hidden])');
    const m = await watchedPage(context);
    await m.page.goto(stored.manage);
    await m.page.waitForSelector('#status:not([hidden])');
    const none = { local: 0, session: 0, indexedDB: 0, serviceWorker: false, caches: 0 };
    for (const x of [w, r, l, m]) expect(await storageSeen(x.page)).toEqual(none);
    const state = await context.storageState({ indexedDB: true });
    expect(state.cookies).toEqual([]);
    expect(state.origins).toEqual([]);
  });

  it('a secret typed but not sent, and its passphrase, are gone when the sender comes Back to the create page', async () => {
    for (const base of [s.url, cached]) {
      const context = await bf.newContext();
      const page = await context.newPage();
      await page.goto(`${base}/`);
      await page.waitForSelector('#policy:not([hidden])');
      await page.fill('#message', 'typed, never sent');
      await page.click('#more summary');
      await page.fill('#passphrase', 'never sent either');
      await page.evaluate(() => {
        (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
      });
      await page.goto(`${base}/nothing-here`);
      await page.goBack({ waitUntil: 'commit' });
      await page.waitForSelector('#policy:not([hidden])');
      const restored = await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
      expect(restored, base).toBe(base === cached);
      expect(await page.inputValue('#message')).toBe('');
      expect(await page.inputValue('#passphrase')).toBe('');
      await context.close();
    }
  });

  for (const kind of ['one-time', 'stateless'] as const) {
    for (const via of ['as served (no-store)', 'kept in the back/forward cache'] as const) {
      it(`Back after reading a ${kind} link shows no secret: ${via}`, async () => {
        const base = via === 'as served (no-store)' ? s.url : cached;
        const message = `${kind} secret ${Math.random().toString(36).slice(2)}`;
        let link: string;
        if (kind === 'one-time') {
          const made = await makeSecret(s.url, { message, views: 2 });
          link = `${base}/s/${made.id}#${made.keyB64u}`;
        } else {
          link = await sealLink({ origin: base, message, ttl: 3600 });
        }
        const context = await bf.newContext();
        const w = await watchedPage(context);
        const { page } = w;
        const cdp = await context.newCDPSession(page);
        await cdp.send('Page.enable');
        const notRestored: string[] = [];
        cdp.on('Page.backForwardCacheNotUsed', (e) => notRestored.push(...e.notRestoredExplanations.map((x) => x.reason)));

        await page.goto(link);
        await page.click('#reveal');
        await page.waitForSelector('#secret:not([hidden])');
        expect(await page.inputValue('#secret-text')).toBe(message);
        // A mark that survives only if this very page (not a reload of it) comes back.
        await page.evaluate(() => {
          (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
        });
        await page.goto(`${base}/`);
        await page.waitForSelector('#policy:not([hidden])');
        await page.goBack({ waitUntil: 'commit' }); // a page restored from the cache fires no load
        await page.waitForSelector('#gone:not([hidden])');
        const restored = await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);
        if (via === 'as served (no-store)') {
          // Chromium keeps no-store pages out of the cache; a fresh page has no key left to use.
          expect(restored, `restored from the back/forward cache despite no-store`).toBe(false);
          expect(notRestored).toContain('MainResourceHasCacheControlNoStore');
        } else {
          // The same page came back from the cache: its pagehide handler had cleared it.
          expect(restored, `not restored from the back/forward cache: ${notRestored.join(', ')}`).toBe(true);
          expect(await page.textContent('#gone')).toMatch(/^The secret was removed from this page when you left it\./);
        }
        const seen = await page.evaluate(() => ({
          html: document.documentElement.outerHTML,
          values: Array.from(document.querySelectorAll('textarea, input')).map((el) => (el as HTMLInputElement).value),
        }));
        expect(seen.html).not.toContain(message);
        expect(seen.values.join('\n')).not.toContain(message);
        expect(await page.isVisible('#secret')).toBe(false);
        expect(await w.violations()).toEqual([]);
        await context.close();
      });
    }
  }
});
