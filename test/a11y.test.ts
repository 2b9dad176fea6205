// axe-core on every page and every state a person can reach, in Chromium, in the light and the
// dark theme: zero violations of any impact. Also: reduced motion turns every transition off.
// HUSH_SCREENSHOTS=/tmp/hush-shots saves each state at 320 px and 1280 px for a person to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret } from './helpers/api.js';
import { axeViolations, launchChromium, screenshots, watchedPage, type WatchedPage } from './helpers/browser.js';
import { createSecret, sealLink } from '../src/lib.js';
import { sendSecretToAge } from '../src/client/flows.js';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';

let browser: Browser;
let s: TestServer;
beforeAll(async () => {
  [browser, s] = await Promise.all([launchChromium(), startServer({ passphraseAttempts: 3 })]);
});
afterAll(async () => {
  await browser.close();
  await s.close();
});

const SCHEMES = ['light', 'dark'] as const;

describe.each(SCHEMES)('axe-core finds nothing, %s theme', (scheme) => {
  let context: BrowserContext;
  beforeAll(async () => {
    context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  });
  afterAll(() => context.close());

  /**
   * Checks one state: axe's violations go into `report`, prefixed with the state's name. A page
   * resource (script, style, icon) that fails to load is reported too; the API's 403/404 answers
   * and the 404 page itself are states under test.
   */
  function checker(w: WatchedPage, page: string): { check: (state: string) => Promise<void>; report: string[] } {
    const report: string[] = [];
    w.page.on('response', (res) => {
      if (res.status() >= 400 && !new URL(res.url()).pathname.startsWith('/api/') && res.request().resourceType() !== 'document') {
        report.push(`${page}: ${res.url()} answered ${String(res.status())}`);
      }
    });
    return {
      report,
      check: async (state: string) => {
        const p: Page = w.page;
        // Let focus moves and text changes settle (no animations run: the pages have none).
        await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        for (const v of await axeViolations(p)) report.push(`${page} — ${state}: ${v}`);
        await screenshots(p, `${page}-${state}-${scheme}`);
      },
    };
  }

  /** A state's failures as one readable message, plus the page's own errors and CSP reports. */
  async function expectClean(w: WatchedPage, report: string[]): Promise<void> {
    expect(report.join('\n'), `axe violations:\n${report.join('\n')}`).toBe('');
    expect(await w.violations()).toEqual([]);
    // The browser logs every 4xx answer as an error; those are the states above (checked there).
    expect(w.errors.filter((e) => !/^Failed to load resource: the server responded with a status of 40[34]/.test(e))).toEqual([]);
  }

  it('create page: empty, stateless, custom expiry, more options, error, results, copied', async () => {
    const w = await watchedPage(context);
    const { page } = w;
    const { check, report } = checker(w, 'create');
    await page.goto(`${s.url}/`);
    await page.waitForSelector('#policy:not([hidden])');
    await check('empty form');
    await page.check('input[name="kind"][value="stateless"]');
    await check('stateless selected');
    await page.check('input[name="kind"][value="stored"]');
    await page.selectOption('#ttl', 'custom');
    await check('custom expiry shown');
    await page.click('#more summary');
    await check('more options open');
    await page.click('#create');
    await page.waitForSelector('#create-error:not([hidden])');
    await check('error shown');
    await page.setInputFiles('#files', [
      { name: 'id_ed25519', mimeType: 'application/octet-stream', buffer: Buffer.alloc(3000, 1) },
      { name: 'Grüße aus 日本.env', mimeType: 'text/plain', buffer: Buffer.from('A=1\n') },
    ]);
    await page.waitForSelector('#attached:not([hidden])');
    await check('files attached');
    await page.fill('#message', 'db password: hunter2');
    await page.fill('#ttl-custom', '2h');
    await page.fill('#passphrase', 'correct horse');
    await page.click('#create');
    await page.waitForSelector('#result:not([hidden])');
    expect(await page.isVisible('#channel-hint')).toBe(true);
    await check('result shown');
    for (const summary of await page.locator('#result details summary').all()) await summary.click();
    await page.waitForSelector('#qr svg');
    await check('result with QR code and whole links open');
    await page.click('#copy-link');
    await page.waitForFunction(() => document.getElementById('copy-link')?.textContent !== 'Copy link');
    await check('link copied');
    await page.click('#again');
    await page.check('input[name="kind"][value="stateless"]');
    await page.fill('#message', 'stateless secret');
    await page.click('#create');
    await page.waitForSelector('#result:not([hidden])');
    await check('stateless result shown');
    await expectClean(w, report);
  });

  it('create page on servers that switch creation off or require a passphrase', async () => {
    for (const [name, overrides] of [
      ['creation off', { createPolicy: 'off' as const }],
      ['passphrase required', { requirePassphrase: true }],
    ] as const) {
      const other = await startServer(overrides);
      // A context of its own, closed before the server: Chromium may hold a preconnected socket
      // that never sends a request, and the server's close would wait for it to time out.
      const own = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 }, locale: 'en-US' });
      try {
        const w = await watchedPage(own);
        const { check, report } = checker(w, 'create');
        await w.page.goto(`${other.url}/`);
        await w.page.waitForSelector('#policy:not([hidden])');
        await check(name);
        await expectClean(w, report);
      } finally {
        await own.close();
        await other.close();
      }
    }
  });

  it('reveal page: before, passphrase asked, wrong passphrase, revealed, left, not available, incomplete', async () => {
    const w = await watchedPage(context);
    const { page } = w;
    const { check, report } = checker(w, 'reveal');
    const plain = await makeSecret(s.url);
    await page.goto(`${s.url}/s/${plain.id}#${plain.keyB64u}`);
    await page.waitForSelector('#meta:not([hidden])');
    await check('before reveal');

    const guarded = await makeSecret(s.url, { passphrase: 'correct horse' });
    await page.goto(`${s.url}/s/${guarded.id}#${guarded.keyB64u}`);
    await page.waitForSelector('#meta:not([hidden])');
    await check('passphrase asked');
    await page.fill('#passphrase', 'wrong horse');
    await page.click('#reveal');
    await page.waitForSelector('#reveal-error:not([hidden])');
    await check('wrong passphrase');
    await page.fill('#passphrase', 'correct horse');
    await page.click('#reveal');
    await page.waitForSelector('#secret:not([hidden])');
    await check('revealed');
    // What Back shows if the browser kept the page: the pagehide handler has cleared it.
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    await page.waitForSelector('#gone:not([hidden])');
    expect(await page.inputValue('#secret-text')).toBe('');
    await check('cleared after leaving');

    const withFiles = await createSecret({
      server: s.url,
      message: '',
      files: [
        { name: 'id_ed25519', type: '', content: new Uint8Array(3000) },
        { name: 'Grüße aus 日本.env', type: 'text/plain', content: new TextEncoder().encode('A=1\n') },
      ],
    });
    await page.goto(withFiles.link);
    await page.waitForSelector('#meta:not([hidden])');
    await page.click('#reveal');
    await page.waitForSelector('#files-block:not([hidden])');
    await check('files offered, no text');

    await page.goto(`${s.url}/s/${guarded.id}#${guarded.keyB64u}`);
    await page.waitForSelector('#gone:not([hidden])');
    await check('not available');
    await page.goto(`${s.url}/s/${plain.id}`);
    await page.waitForSelector('#gone:not([hidden])');
    await check('incomplete link');
    await expectClean(w, report);
  });

  it('manage page: pending, confirm, revoked, read, not found, incomplete', async () => {
    const w = await watchedPage(context);
    const { page } = w;
    const { check, report } = checker(w, 'manage');
    const made = await makeSecret(s.url);
    await page.goto(`${s.url}/m/${made.id}#${made.manageToken}`);
    await page.waitForSelector('#status:not([hidden])');
    await check('pending');
    await page.click('#revoke');
    await page.waitForSelector('#confirm:not([hidden])');
    await check('confirm shown');
    await page.click('#confirm-yes');
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'Revoked by you');
    await check('revoked');

    const read = await makeSecret(s.url);
    const r = await context.newPage();
    await r.goto(`${s.url}/s/${read.id}#${read.keyB64u}`);
    await r.click('#reveal');
    await r.waitForSelector('#secret:not([hidden])');
    await r.close();
    await page.goto(`${s.url}/m/${read.id}#${read.manageToken}`);
    await page.waitForFunction(() => document.getElementById('state')?.textContent.startsWith('Read on') === true);
    await check('read');

    await page.goto(`${s.url}/m/${made.id}#${'A'.repeat(43)}`);
    await page.waitForSelector('#manage-error:not([hidden])');
    await check('not found');
    await page.goto(`${s.url}/m/${made.id}`);
    await page.waitForSelector('#manage-error:not([hidden])');
    await check('incomplete link');
    await expectClean(w, report);
  });

  it('stateless page: before, passphrase, wrong passphrase, revealed, left, expired, damaged', async () => {
    const w = await watchedPage(context);
    const { page } = w;
    const { check, report } = checker(w, 'stateless');
    // A new page for each link: going from /l#a to /l#b in one page would not load it again.
    const open = async (link: string): Promise<void> => {
      await page.goto('about:blank');
      await page.goto(link);
    };
    await open(await sealLink({ origin: s.url, message: 'stateless secret', ttl: 3600 }));
    await page.waitForSelector('#reveal-form:not([hidden])');
    await check('before reveal');
    await open(await sealLink({ origin: s.url, message: 'guarded', ttl: 3600, passphrase: 'pass phrase' }));
    await page.waitForSelector('#passphrase-field:not([hidden])');
    await check('passphrase asked');
    await page.fill('#passphrase', 'wrong');
    await page.click('#reveal');
    await page.waitForSelector('#reveal-error:not([hidden])');
    await check('wrong passphrase');
    await page.fill('#passphrase', 'pass phrase');
    await page.click('#reveal');
    await page.waitForSelector('#secret:not([hidden])');
    await check('revealed');
    await page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    await page.waitForSelector('#gone:not([hidden])');
    await check('cleared after leaving');
    const twoHoursAgo = Date.now() - 2 * 3600_000;
    await open(await sealLink({ origin: s.url, message: 'too late', ttl: 3600, now: () => twoHoursAgo }));
    await page.click('#reveal');
    await page.waitForSelector('#gone:not([hidden])');
    await check('expired');
    await open(`${s.url}/l#1.x`);
    await page.waitForSelector('#gone:not([hidden])');
    await check('damaged link');
    await expectClean(w, report);
  });

  it('request pages: ask (empty, made, waiting, answered) and respond (form, sent, not available)', async () => {
    const req = await watchedPage(context);
    const r = checker(req, 'request');
    await req.page.goto(`${s.url}/request`);
    await r.check('empty');
    await req.page.fill('#note', 'the staging API key, please');
    await req.page.click('#make');
    await req.page.waitForSelector('#made:not([hidden])');
    await req.page.waitForSelector('#pending:not([hidden])');
    await r.check('made and waiting');
    const link = await req.page.inputValue('#request-link');

    const res = await watchedPage(context);
    const a = checker(res, 'respond');
    await res.page.goto(link);
    await res.page.waitForSelector('#respond-form:not([hidden])');
    await a.check('form with note');
    await res.page.fill('#secret', 'answer');
    await res.page.click('#send');
    await res.page.waitForSelector('#sent:not([hidden])');
    await a.check('sent');
    await res.page.goto('about:blank');
    await res.page.goto(link);
    await res.page.waitForSelector('#gone:not([hidden])');
    await a.check('not available');

    await req.page.waitForSelector('#answer:not([hidden])', { timeout: 20_000 });
    await r.check('answered');
    await expectClean(req, r.report);
    await expectClean(res, a.report);
  });

  it('age page: the reveal page of an age link, identity form, wrong identity, another server', async () => {
    const w = await watchedPage(context);
    const { page } = w;
    const { check, report } = checker(w, 'age');
    const identity = await generateX25519Identity();
    const sent = await sendSecretToAge({ server: s.url, message: 'age', ttl: 3600, to: [await identityToRecipient(identity)] });
    await page.goto(sent.link);
    await page.waitForSelector('#age-link');
    await check('reveal page of an age link');
    await page.click('#age-link');
    await page.waitForSelector('#identity-form:not([hidden])');
    await check('identity form');
    await page.setInputFiles('#identity', { name: 'other.txt', mimeType: 'text/plain', buffer: Buffer.from(`${await generateX25519Identity()}\n`) });
    await page.click('#unlock');
    await page.waitForSelector('#identity-error:not([hidden])');
    await check('wrong identity');
    await page.goto('about:blank');
    await page.goto(`${s.url}/a#${encodeURIComponent(sent.link.replace(s.url, 'https://hush.example.com'))}`);
    await page.waitForSelector('#gone:not([hidden])');
    await check('another server');
    await expectClean(w, report);
  });

  it('404 page', async () => {
    const w = await watchedPage(context);
    const { check, report } = checker(w, 'not-found');
    const res = await w.page.goto(`${s.url}/nothing-here`);
    expect(res?.status()).toBe(404);
    await check('404');
    await expectClean(w, report);
  });
});

describe('the check itself', () => {
  it('reports a planted violation (an image without alt text, grey text on white)', async () => {
    const context = await browser.newContext({ colorScheme: 'light' });
    try {
      const page = await context.newPage();
      await page.goto(`${s.url}/`);
      await page.waitForSelector('#policy:not([hidden])');
      expect(await axeViolations(page)).toEqual([]);
      await page.evaluate(() => {
        const img = document.createElement('img');
        img.src = '/favicon.svg';
        const faint = document.createElement('p');
        faint.textContent = 'hard to read';
        faint.style.color = '#bbb';
        document.querySelector('main')?.append(img, faint);
      });
      const found = await axeViolations(page);
      expect(found.map((v) => v.split(' ')[0])).toEqual(['color-contrast', 'image-alt']);
    } finally {
      await context.close();
    }
  });
});

describe('reduced motion', () => {
  it('with prefers-reduced-motion, no element has a transition or animation', async () => {
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const normal = await browser.newContext();
    try {
      const measure = async (ctx: BrowserContext): Promise<string[]> => {
        const p = await ctx.newPage();
        await p.goto(`${s.url}/`);
        await p.waitForSelector('#policy:not([hidden])');
        return p.evaluate(() =>
          Array.from(document.querySelectorAll('*')).flatMap((el) => {
            const cs = getComputedStyle(el);
            const moving = [cs.transitionDuration, cs.animationDuration].some((d) => d.split(',').some((x) => parseFloat(x) > 0));
            return moving ? [`${el.tagName.toLowerCase()}#${el.id}.${el.className}`] : [];
          }),
        );
      };
      // The pages do have transitions (buttons), so the check below is not vacuous…
      expect((await measure(normal)).length).toBeGreaterThan(0);
      // …and a person who asked for less motion gets none.
      expect(await measure(context)).toEqual([]);
    } finally {
      await context.close();
      await normal.close();
    }
  });
});
