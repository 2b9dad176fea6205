// The combine page (/c, issue 19): a split secret opened in Chromium from enough of its share
// links, held in the page only. Shares are made by the library (splitSecret) against a real
// server; what the page uses up is read back through each share's manage link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { axeViolations, launchChromium, watchedPage, type WatchedPage } from './helpers/browser.js';
import { revoke, secretStatus, splitSecret } from '../src/lib.js';

let browser: Browser;
let s: TestServer;
let ctx: BrowserContext;
beforeAll(async () => {
  [browser, s] = await Promise.all([launchChromium(), startServer()]);
  ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser.close();
  await s.close();
});

const split = (message: string, k: number, n: number, extra: { passphrase?: string } = {}) => splitSecret({ server: s.url, message, k, n, ttl: 3600, ...extra });
const state = async (manageLink: string): Promise<string> => (await secretStatus(manageLink)).state;

async function addShare(w: WatchedPage, link: string): Promise<void> {
  await w.page.fill('#share-link', link);
  await w.page.click('#add');
  await w.page.waitForFunction(() => !document.querySelector('#add')!.hasAttribute('aria-busy'));
}

async function expectClean(w: WatchedPage): Promise<void> {
  expect(await axeViolations(w.page)).toEqual([]);
  expect(await w.violations()).toEqual([]);
  // The browser logs every 4xx answer as an error: a refused share (404) and a wrong passphrase (403) are states under test.
  expect(w.errors.filter((e) => !/status of 40[34]/.test(e))).toEqual([]);
}

describe('the combine page', () => {
  it('opens a 2-of-3 secret from shares 1 and 3; share 2 is left, the secret is gone after', async () => {
    const made = await split('break glass: root / hunter2', 2, 3);
    const w = await watchedPage(ctx);
    await w.page.goto(`${s.url}/c`);
    expect(await w.page.isVisible('#reveal-form')).toBe(false);
    await addShare(w, made.shares[0]!.link);
    expect(await w.page.textContent('#progress')).toBe('1 of 2 shares needed.');
    expect(await w.page.isVisible('#reveal-form')).toBe(false);
    await expectClean(w);
    await addShare(w, made.shares[2]!.link);
    expect(await w.page.textContent('#progress')).toMatch(/^Enough shares/);
    expect(await w.page.locator('#share-list li').count()).toBe(2);
    // Nothing is used up by adding.
    expect(await Promise.all(made.shares.map((sh) => state(sh.manageLink)))).toEqual(['pending', 'pending', 'pending']);
    await expectClean(w);
    // The buttons' accessible names follow a switch of language, and come back.
    expect(await w.page.getByRole('button', { name: 'Remove share 2' }).count()).toBe(1);
    await w.page.selectOption('#lang', 'de');
    await w.page.waitForFunction(() => document.documentElement.lang === 'de');
    expect(await w.page.getByRole('button', { name: 'Anteil 2 entfernen' }).count()).toBe(1);
    await w.page.selectOption('#lang', 'en');
    await w.page.waitForFunction(() => document.documentElement.lang === 'en');
    await w.page.click('#reveal');
    await w.page.waitForSelector('#secret:not([hidden])');
    expect(await w.page.inputValue('#secret-text')).toBe('break glass: root / hunter2');
    expect(await w.page.textContent('#after')).toMatch(/^The secret has been deleted from the server/);
    await expectClean(w);
    expect(await Promise.all(made.shares.map((sh) => state(sh.manageLink)))).toEqual(['consumed', 'pending', 'consumed']);
    expect(await state(made.vault.manageLink)).toBe('consumed');
    // Leaving the page takes the secret out of it.
    await w.page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    expect(await w.page.inputValue('#secret-text')).toBe('');
  });

  it('refuses, before anything is used up: a link that is no share, a share of another secret, the same share twice, a share that is gone', async () => {
    const a = await split('secret A', 2, 3);
    const b = await split('secret B', 2, 3);
    await revoke(a.shares[1]!.manageLink);
    const w = await watchedPage(ctx);
    await w.page.goto(`${s.url}/c`);
    const refused = async (link: string, text: RegExp): Promise<void> => {
      await addShare(w, link);
      expect(await w.page.textContent('#add-error')).toMatch(text);
      expect(await w.page.inputValue('#share-link')).toBe(link); // kept, selected, to be corrected
    };
    await refused(`${s.url}/s/AAAAAAAAAAAAAAAAAAAAAA#AAAA`, /^This is not a share link/);
    await addShare(w, a.shares[0]!.link);
    await refused(a.shares[0]!.link, /^This share is already added/);
    await refused(b.shares[0]!.link, /^This share belongs to another split secret/);
    await refused(a.shares[1]!.link, /^This share can no longer be opened/);
    await refused(a.shares[0]!.link.replace(s.url, 'https://hush.example.com'), /^This share belongs to another Hush server/);
    expect(await w.page.locator('#share-list li').count()).toBe(1);
    expect(await w.page.isVisible('#reveal-form')).toBe(false);
    await expectClean(w);
    // A share can be removed again; the others are untouched.
    await w.page.click('#share-list button');
    expect(await w.page.locator('#share-list li').count()).toBe(0);
    expect(await Promise.all([...a.shares, ...b.shares].map((sh) => state(sh.manageLink)))).toEqual(['pending', 'revoked', 'pending', 'pending', 'pending', 'pending']);
  });

  it('shares with a passphrase: asked for, a wrong one is refused, the right one opens', async () => {
    const made = await split('behind a passphrase', 2, 2, { passphrase: 'correct horse' });
    const w = await watchedPage(ctx);
    await w.page.goto(`${s.url}/c`);
    await addShare(w, made.shares[0]!.link);
    await addShare(w, made.shares[1]!.link);
    expect(await w.page.isVisible('#passphrase')).toBe(true);
    await w.page.click('#reveal');
    expect(await w.page.textContent('#reveal-error')).not.toBe('');
    await w.page.fill('#passphrase', 'wrong horse');
    await w.page.click('#reveal');
    await w.page.waitForSelector('#reveal-error:not([hidden])');
    expect(await w.page.textContent('#reveal-error')).toMatch(/^Wrong passphrase/);
    expect(await w.page.isVisible('#secret')).toBe(false);
    await expectClean(w);
    await w.page.fill('#passphrase', 'correct horse');
    await w.page.click('#reveal');
    await w.page.waitForSelector('#secret:not([hidden])');
    expect(await w.page.inputValue('#secret-text')).toBe('behind a passphrase');
  });

  it('from the reveal page of a share link: it says what the link is, and hands the share to the combine page', async () => {
    const made = await split('handed over', 2, 2);
    const w = await watchedPage(ctx);
    await w.page.goto(made.shares[0]!.link);
    await w.page.waitForSelector('#gone:not([hidden])');
    expect(await w.page.textContent('#gone')).toMatch(/^This link is one share/);
    await w.page.click('#combine-link');
    await w.page.waitForSelector('#share-list li');
    expect(new URL(w.page.url()).hash).toBe(''); // the share left the address bar
    expect(await w.page.textContent('#progress')).toBe('1 of 2 shares needed.');
    await addShare(w, made.shares[1]!.link);
    await w.page.click('#reveal');
    await w.page.waitForSelector('#secret:not([hidden])');
    expect(await w.page.inputValue('#secret-text')).toBe('handed over');
    await expectClean(w);
  });

  it('axe finds nothing in the dark theme either, with shares added', async () => {
    const made = await split('dark', 2, 3);
    const dark = await browser.newContext({ colorScheme: 'dark', reducedMotion: 'reduce' });
    const w = await watchedPage(dark);
    await w.page.goto(`${s.url}/c`);
    await addShare(w, made.shares[0]!.link);
    await addShare(w, made.shares[1]!.link);
    await w.page.waitForTimeout(300);
    await expectClean(w);
    await dark.close();
  });

  it('an instance under a path prefix takes its own shares, and refuses those of another Hush on the same origin', async () => {
    const made = await split('under a prefix', 2, 3);
    const w = await watchedPage(ctx);
    // The same server seen under /hush/: each request is passed on without the prefix.
    await w.page.route('https://prefixed.test/hush/**', async (route) => {
      const url = new URL(route.request().url());
      await route.fulfill({ response: await route.fetch({ url: `${s.url}${url.pathname.slice('/hush'.length)}${url.search}` }) });
    });
    const under = (prefix: string, link: string): string => link.replace(s.url, `https://prefixed.test${prefix}`);
    await w.page.goto('https://prefixed.test/hush/c');
    await addShare(w, under('/other', made.shares[0]!.link));
    expect(await w.page.textContent('#add-error')).toMatch(/another Hush server/);
    await addShare(w, under('/hush', made.shares[0]!.link));
    await addShare(w, under('/hush', made.shares[2]!.link));
    expect(await w.page.textContent('#progress')).toMatch(/^Enough shares/);
    await w.page.click('#reveal');
    await w.page.waitForSelector('#secret:not([hidden])');
    expect(await w.page.inputValue('#secret-text')).toBe('under a prefix');
  });
});

describe('the create page splits a secret between several people', () => {
  it('2 of 3: three share links and five manage links; two shares open it on the combine page; the manage link for all of it lists which shares were used', async () => {
    const w = await watchedPage(ctx);
    await w.page.goto(`${s.url}/`);
    await w.page.waitForSelector('#policy:not([hidden])');
    await w.page.fill('#message', 'made in the page, split in three');
    await w.page.click('#more summary');
    expect(await w.page.isVisible('#split-counts')).toBe(false);
    await w.page.check('#split');
    expect(await w.page.isVisible('#split-counts')).toBe(true);
    // Counts that cannot work are refused at their field, before anything is sent.
    await w.page.fill('#split-k', '4');
    await w.page.click('#create');
    await w.page.waitForSelector('#create-error:not([hidden])');
    expect(await w.page.textContent('#create-error')).toMatch(/^Shares needed: from 2/);
    expect(await w.page.evaluate(() => document.activeElement?.id)).toBe('split-k');
    await w.page.fill('#split-k', '2');
    await w.page.click('#create');
    await w.page.waitForSelector('#split-result:not([hidden])');
    expect(await w.page.isVisible('#result')).toBe(false);
    expect(await w.page.textContent('#split-lead')).toMatch(/Any 2 of the 3 open the secret once/);
    const shares = await w.page.locator('#share-links input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    const manage = await w.page.locator('#split-manage input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(shares).toHaveLength(3);
    for (const link of shares) expect(link).toMatch(new RegExp(`^${s.url}/s/[A-Za-z0-9_-]{22}#share\\.2\\.`));
    expect(manage).toHaveLength(5); // all of it, the secret itself, each share
    expect(manage[0]).toBe(`${manage[1]!}~${manage.slice(2).map((l) => `${/\/m\/([\w-]{22})#/.exec(l)![1]!}.${l.split('#')[1]!}`).join('~')}`);
    expect(await w.page.locator('#share-links label').allTextContents()).toEqual(['Share 1 of 3', 'Share 2 of 3', 'Share 3 of 3']);
    expect(await w.page.getByRole('button', { name: 'Copy share 2' }).count()).toBe(1);
    await w.page.selectOption('#lang', 'de');
    await w.page.waitForFunction(() => document.documentElement.lang === 'de');
    expect(await w.page.getByRole('button', { name: 'Anteil 2 kopieren' }).count()).toBe(1);
    await w.page.selectOption('#lang', 'en');
    await w.page.waitForFunction(() => document.documentElement.lang === 'en');
    // The secret left the form; the page is clean in both themes with the links shown.
    expect(await w.page.inputValue('#message')).toBe('');
    await expectClean(w);
    await w.page.emulateMedia({ colorScheme: 'dark' });
    await w.page.waitForTimeout(300);
    await expectClean(w);

    const c = await watchedPage(ctx);
    await c.page.goto(`${s.url}/c`);
    await addShare(c, shares[2]!);
    await addShare(c, shares[0]!);
    await c.page.click('#reveal');
    await c.page.waitForSelector('#secret:not([hidden])');
    expect(await c.page.inputValue('#secret-text')).toBe('made in the page, split in three');
    expect(await Promise.all(manage.slice(1).map(state))).toEqual(['consumed', 'consumed', 'pending', 'consumed']);

    // The manage link for all of it: the secret's state, and which shares were used.
    const all = await watchedPage(ctx);
    await all.page.goto(manage[0]!);
    await all.page.waitForSelector('#shares:not([hidden])');
    expect(new URL(all.page.url()).hash).toBe('');
    expect(await all.page.textContent('#state')).toMatch(/^Read on /);
    expect(await all.page.locator('#share-states li').allTextContents()).toEqual([
      expect.stringMatching(/^Share 1 of 3: Read on /),
      'Share 2 of 3: Waiting — not read yet',
      expect.stringMatching(/^Share 3 of 3: Read on /),
    ]);
    await expectClean(all);
  });

  it('a stateless link cannot be split: the choice is not offered', async () => {
    const w = await watchedPage(ctx);
    await w.page.goto(`${s.url}/`);
    await w.page.waitForSelector('#policy:not([hidden])');
    await w.page.click('#more summary');
    expect(await w.page.isVisible('#split')).toBe(true);
    await w.page.check('input[name="kind"][value="stateless"]');
    expect(await w.page.isVisible('#split')).toBe(false);
  });
});
