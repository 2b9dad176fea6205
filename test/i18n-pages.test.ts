// Every page in every language (issue 20), in Chromium: the language follows the browser's
// preferred languages (what it sends as Accept-Language) or `?lang=`; each page loads only its
// language's file, checked by the browser against the SRI hash the HTML gives it; Arabic is laid
// out right to left with links and codes kept left to right; and in every language, at 320 px,
// nothing overflows its box, no marked text is left in English, and axe-core finds nothing in
// either theme. Arabic screenshots at 390 px and 1280 px, light and dark, go to /tmp/hush-i18n.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret } from './helpers/api.js';
import { marked } from './helpers/i18n.js';
import { axeViolations, launchChromium, watchedPage, type WatchedPage } from './helpers/browser.js';
import { createRequest, sealLink } from '../src/lib.js';
import { sendSecretToAge } from '../src/client/flows.js';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { LANGS, SOURCE_LANG, languageOf, type Lang } from '../src/shared/languages.js';

const SHOTS = '/tmp/hush-i18n';
let browser: Browser;
let s: TestServer;
/** Each page: its address (made fresh where it opens a secret) and what shows once it has settled. */
let PAGES: { name: string; url: () => Promise<string>; ready: string }[];
/** The English of every data-i18n element as the HTML has it (read with JavaScript off), per page. */
const english = new Map<string, Map<string, string>>();
const same = new Map<Lang, Set<string>>();

beforeAll(async () => {
  [browser, s] = await Promise.all([launchChromium(), startServer()]);
  mkdirSync(SHOTS, { recursive: true });
  const ageRecipient = await identityToRecipient(await generateX25519Identity());
  PAGES = [
    { name: 'create', url: () => Promise.resolve(`${s.url}/`), ready: '#policy:not([hidden])' },
    { name: 'reveal', url: async () => { const m = await makeSecret(s.url); return `${s.url}/s/${m.id}#${m.keyB64u}`; }, ready: '#meta:not([hidden])' },
    { name: 'manage', url: async () => { const m = await makeSecret(s.url); return `${s.url}/m/${m.id}#${m.manageToken}`; }, ready: '#status:not([hidden])' },
    { name: 'stateless', url: () => sealLink({ origin: s.url, message: 'stateless', ttl: 3600 }), ready: '#reveal-form:not([hidden])' },
    { name: 'request', url: () => Promise.resolve(`${s.url}/request`), ready: '#request-form' },
    { name: 'respond', url: async () => (await createRequest({ server: s.url, note: 'the staging key, please' })).link, ready: '#respond-form:not([hidden])' },
    { name: 'mine', url: () => Promise.resolve(`${s.url}/mine`), ready: '#mine-note:not([hidden])' },
    { name: 'combine', url: () => Promise.resolve(`${s.url}/c`), ready: '#add-form' },
    { name: 'age', url: async () => `${s.url}/a#${encodeURIComponent((await sendSecretToAge({ server: s.url, message: 'age', ttl: 3600, to: [ageRecipient] })).link)}`, ready: '#identity-form:not([hidden])' },
    { name: '404', url: () => Promise.resolve(`${s.url}/no/such/page`), ready: 'h1' },
  ];
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  for (const p of PAGES) {
    await page.goto(await p.url());
    english.set(p.name, new Map(await marked(page)));
  }
  await ctx.close();
  for (const tag of LANGS) same.set(tag, new Set(((await import(`../src/web/i18n/${tag}.ts`)) as { same?: readonly string[] }).same ?? []));
});
afterAll(async () => {
  await browser.close();
  await s.close();
});

/** Opens a page in a language and waits until its file is in and the page has settled. */
async function open(w: WatchedPage, p: (typeof PAGES)[number], tag: Lang): Promise<void> {
  const url = new URL(await p.url());
  url.searchParams.set('lang', tag);
  await w.page.goto(url.href);
  await w.page.waitForFunction((l) => document.documentElement.lang === l && !document.documentElement.hasAttribute('data-loading-lang'), tag);
  await w.page.waitForSelector(p.ready, { state: 'attached' });
  await w.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** Elements that reach past the viewport, or whose content is wider than their box, at the current width. */
function overflows(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const name = (el: Element): string => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''} “${(el.textContent as string | null ?? '').trim().slice(0, 40)}”`;
    const found: string[] = [];
    if (document.documentElement.scrollWidth > width + 1) found.push(`the page is ${String(document.documentElement.scrollWidth)} px wide at ${String(width)} px`);
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      // Not shown, or shown to screen readers only (clipped to 1 px on purpose).
      if ((r.width === 0 && r.height === 0) || style.visibility === 'hidden' || el.closest('[hidden], .visually-hidden') !== null) continue;
      if (r.left < -1 || r.right > width + 1) found.push(`${name(el)} reaches ${String(Math.round(r.left))}–${String(Math.round(r.right))} px`);
      // Text wider than its own box (a label or button that does not wrap); fields scroll their own content.
      if (!['TEXTAREA', 'INPUT', 'SELECT', 'svg'].includes(el.tagName) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && style.overflowX !== 'auto') {
        found.push(`${name(el)} holds ${String(el.scrollWidth)} px in ${String(el.clientWidth)} px`);
      }
    }
    return found;
  });
}

describe('every page in every language', () => {
  it.each(LANGS)('%s: translated, the right direction, nothing overflows at 320 px, axe finds nothing in either theme', async (tag) => {
    const ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 320, height: 640 }, reducedMotion: 'reduce' });
    const problems: string[] = [];
    for (const p of PAGES) {
      const w = await watchedPage(ctx);
      await open(w, p, tag);
      const { page } = w;
      expect(await page.evaluate(() => document.documentElement.dir)).toBe(languageOf(tag).dir);
      if (tag !== SOURCE_LANG) {
        const en = english.get(p.name)!;
        for (const [key, text] of await marked(page)) {
          if (text.trim() === '') problems.push(`${p.name}: ${key} is empty`);
          else if (text === en.get(key) && !same.get(tag)!.has(key)) problems.push(`${p.name}: ${key} is still English: ${text}`);
        }
        if (/^Hush — (?:share a secret once|a secret for you|your shared secret|ask for a secret|someone asks|my secrets|not found)/.test(await page.title())) problems.push(`${p.name}: the title is English`);
      }
      for (const o of await overflows(page)) problems.push(`${p.name} at 320 px: ${o}`);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(300);
        for (const v of await axeViolations(page)) problems.push(`${p.name} (${scheme}): ${v}`);
      }
      expect(await w.violations(), `${p.name}: CSP or Trusted Types reports`).toEqual([]);
      expect(w.errors.filter((e) => !/status of 404/.test(e)), `${p.name}: page errors`).toEqual([]);
      await page.close();
    }
    await ctx.close();
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

describe('choosing the language', () => {
  it.each([
    ['ar-EG', 'ar'],
    ['pt-PT', 'pt-BR'],
    ['uk-UA', 'uk'],
    ['zh-SG', 'zh-CN'],
    ['fr-CA', 'fr'],
    ['sv-SE', 'en'],
  ] as const)('a browser preferring %s (its Accept-Language) gets %s', async (locale, expected) => {
    const ctx = await browser.newContext({ locale });
    const w = await watchedPage(ctx);
    const sent = new Promise<string | undefined>((resolve) => w.page.on('request', (r) => r.isNavigationRequest() && resolve(r.headers()['accept-language'])));
    await w.page.goto(`${s.url}/`);
    await w.page.waitForFunction((l) => document.documentElement.lang === l && !document.documentElement.hasAttribute('data-loading-lang'), expected);
    expect(await sent).toMatch(new RegExp(`^${locale}`));
    expect(await w.page.inputValue('#lang')).toBe(expected);
    await ctx.close();
  });

  it('Chinese in traditional characters is not served the Simplified catalogue: the next preference is', async () => {
    const ctx = await browser.newContext({ locale: 'zh-TW' });
    const w = await watchedPage(ctx);
    await w.page.addInitScript(() => Object.defineProperty(navigator, 'languages', { get: () => ['zh-TW', 'ja-JP', 'en'] }));
    await w.page.goto(`${s.url}/`);
    await w.page.waitForFunction(() => document.documentElement.lang === 'ja');
    await ctx.close();
  });

  it('?lang= wins over the browser, and each page loads its own language file only, and only that one', async () => {
    const ctx = await browser.newContext({ locale: 'de-DE' });
    const w = await watchedPage(ctx);
    const scripts: string[] = [];
    w.page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    const made = await makeSecret(s.url);
    await w.page.goto(`${s.url}/s/${made.id}?lang=ko#${made.keyB64u}`);
    await w.page.waitForSelector('#meta:not([hidden])');
    await w.page.waitForFunction(() => document.documentElement.lang === 'ko');
    expect(scripts).toContain('/assets/page-reveal.js');
    expect(scripts.filter((f) => f.includes('/lang-'))).toEqual(['/assets/lang-reveal-ko.js']);
    await ctx.close();
  });

  it('a language file that is not byte for byte the built one does not run: the page stays English and says why in the console', async () => {
    const ctx = await browser.newContext({ locale: 'en-US' });
    const w = await watchedPage(ctx);
    await w.page.route('**/assets/lang-create-fr.js', async (route) => {
      const res = await route.fetch();
      const body = (await res.text()).replace('Partager un secret', 'Partager un secret (modifié)');
      await route.fulfill({ response: res, body });
    });
    await w.page.goto(`${s.url}/?lang=fr`);
    await w.page.waitForSelector('#policy:not([hidden])');
    await w.page.waitForFunction(() => !document.documentElement.hasAttribute('data-loading-lang'));
    expect(await w.page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await w.page.textContent('h1')).toBe('Share a secret');
    expect(await w.page.evaluate(() => 'fr' in ((globalThis as { hushCatalogues?: object }).hushCatalogues ?? {}))).toBe(false);
    expect(w.errors.join('\n')).toMatch(/integrity/i);
    await ctx.close();
  });
});

describe('right to left', () => {
  it('Arabic mirrors the layout, keeps links, codes and addresses left to right, and is looked at in both themes at 390 and 1280 px', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const ctx = await browser.newContext({ locale: 'ar', colorScheme: scheme, viewport: { width: 1280, height: 900 } });
      for (const p of PAGES) {
        const w = await watchedPage(ctx);
        await open(w, p, 'ar');
        for (const width of [390, 1280]) {
          await w.page.setViewportSize({ width, height: 900 });
          await w.page.screenshot({ path: `${SHOTS}/ar-${p.name}-${scheme}-${String(width)}.png`, fullPage: true });
        }
        if (p.name === 'create') {
          // The brand sits at the right, the language switch at the left; a made link reads left to right.
          const [brand, select] = await Promise.all([w.page.locator('.brand').boundingBox(), w.page.locator('#lang').boundingBox()]);
          expect(brand!.x).toBeGreaterThan(select!.x);
          // The secret's own text takes the direction of what is typed.
          await w.page.fill('#message', 'كلمة المرور: hunter2');
          expect(await w.page.evaluate(() => document.querySelector('#message')!.matches(':dir(rtl)'))).toBe(true);
          await w.page.click('#create');
          await w.page.waitForSelector('#result:not([hidden])');
          const dirs = await w.page.evaluate(() => ['#link', '#manage-link', 'main'].map((q) => getComputedStyle(document.querySelector(q)!).direction));
          expect(dirs).toEqual(['ltr', 'ltr', 'rtl']);
          await w.page.screenshot({ path: `${SHOTS}/ar-created-${scheme}-390.png`, fullPage: true });
          expect(await axeViolations(w.page)).toEqual([]);
        }
        expect(await w.violations()).toEqual([]);
        await w.page.close();
      }
      await ctx.close();
    }
  });
});

describe('the overflow check itself', () => {
  it('reports a label too long for its box at 320 px', async () => {
    const ctx = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const w = await watchedPage(ctx);
    await open(w, PAGES[0]!, 'en');
    expect(await overflows(w.page)).toEqual([]);
    await w.page.evaluate(() => {
      const b = document.querySelector<HTMLElement>('#create')!;
      b.style.whiteSpace = 'nowrap';
      b.textContent = 'Einmalgeheimnisverschlüsselungsverknüpfungserstellungsknopf';
    });
    expect((await overflows(w.page)).join('\n')).toMatch(/button#create/);
    await ctx.close();
  });
});
