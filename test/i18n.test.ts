// Languages of the pages (issue 7): English, German, Japanese, chosen from the browser's preferred
// languages (navigator.languages, the list it also sends as Accept-Language) or `?lang=`, with a
// switcher on every page. Every page and main state renders without untranslated or raw keys;
// dates and durations are Intl's, compared with Intl in the same browser under a fixed clock and
// time zone. Screenshots of German and Japanese pages at 320 px and 1280 px go to /tmp/hush-i18n.
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret } from './helpers/api.js';
import { marked } from './helpers/i18n.js';
import { launchChromium, watchedPage, type WatchedPage } from './helpers/browser.js';
import { sealLink } from '../src/lib.js';
import { same as deSame } from '../src/web/i18n/de.js';
import { same as jaSame } from '../src/web/i18n/ja.js';

const SHOTS = '/tmp/hush-i18n';
const ZONE = 'Europe/Berlin';
let browser: Browser;
let s: TestServer;
/** The English of every data-i18n element as the HTML has it (read with JavaScript off), per page. */
const english = new Map<string, Map<string, string>>();

beforeAll(async () => {
  [browser, s] = await Promise.all([launchChromium(), startServer()]);
  mkdirSync(SHOTS, { recursive: true });
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  for (const path of ['/', '/s/x', '/m/x', '/l', '/no/such/page']) {
    await page.goto(`${s.url}${path}`);
    english.set(path, new Map(await marked(page)));
  }
  await ctx.close();
});
afterAll(async () => {
  await browser.close();
  await s.close();
});

/** Words that are the same in the language on purpose: each catalogue lists its own. */
const SAME: Record<string, Set<string>> = { de: new Set(deSame), ja: new Set(jaSame) };
const RAW_KEY = /\b(?:common|create|open|reveal|stateless|manage|notFound)\.[a-z][A-Za-z]+\b/;
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** Fails on a marked element still in English (or empty), a raw key in view, or the wrong lang. */
async function expectTranslated(page: Page, path: string, lang: 'de' | 'ja', state: string): Promise<void> {
  const en = english.get(path)!;
  const left = (await marked(page)).filter(([key, text]) => !SAME[lang]!.has(key) && (text.trim() === '' || text === en.get(key))).map(([key, text]) => `${key}: ${text}`);
  expect(left, `${path} ${state}: untranslated`).toEqual([]);
  const body = await page.locator('body').innerText();
  expect(body, `${path} ${state}: a raw key`).not.toMatch(RAW_KEY);
  if (lang === 'ja') expect(body).toMatch(JAPANESE);
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
  expect(await page.title()).not.toMatch(/share a secret once|a secret for you|your shared secret|not found/);
}

async function shots(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${SHOTS}/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 320, height: 640 });
  await page.screenshot({ path: `${SHOTS}/${name}-320.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Intl in the page: a duration as the pages write it for de/ja, and a date and time. */
function intlDuration(page: Page, locale: string, hours: number, minutes: number): Promise<string> {
  return page.evaluate(
    ([loc, h, m]) => {
      const u = (n: number, unit: string): string => new Intl.NumberFormat(loc, { style: 'unit', unit, unitDisplay: 'short' }).format(n);
      return new Intl.ListFormat(loc, { type: 'unit', style: 'narrow' }).format([u(h, 'hour'), u(m, 'minute')]);
    },
    [locale, hours, minutes] as const,
  );
}
function intlWhen(page: Page, locale: string, ms: number): Promise<string> {
  return page.evaluate(
    ([loc, t]) => new Date(t).toLocaleString(loc, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
    [locale, ms] as const,
  );
}

async function expectClean(w: WatchedPage): Promise<void> {
  expect(await w.violations()).toEqual([]);
  expect(w.errors.filter((e) => !/^Failed to load resource: the server responded with a status of 404/.test(e))).toEqual([]);
}

const LANGS = [
  { lang: 'de', locale: 'de-DE', expiresIn: 'Läuft ab in', hour: '23 Std.', pending: 'Wartet — noch nicht gelesen', notAvailable: /nicht verfügbar/ },
  { lang: 'ja', locale: 'ja-JP', expiresIn: 'あと', hour: '23 時間', pending: '待機中 — まだ読まれていません', notAvailable: /利用できません/ },
] as const;

describe('the English of the HTML is the English catalogue', () => {
  it('each page, with JavaScript, shows exactly the English its HTML has', async () => {
    const ctx = await browser.newContext({ locale: 'en-US' });
    const made = await makeSecret(s.url);
    const pages: [string, string][] = [
      ['/', '/'],
      ['/s/x', `/s/${made.id}#${made.keyB64u}`],
      ['/m/x', `/m/${made.id}#${made.manageToken}`],
      ['/l', new URL(await sealLink({ origin: s.url, message: 'x', ttl: 3600 })).href.slice(s.url.length)],
      ['/no/such/page', '/no/such/page'],
    ];
    for (const [key, path] of pages) {
      const w = await watchedPage(ctx);
      await w.page.goto(`${s.url}${path}`);
      await w.page.waitForFunction(() => document.documentElement.lang === 'en' && document.getElementById('lang') !== null);
      const shown = new Map(await marked(w.page));
      for (const [k, text] of english.get(key)!) if (shown.has(k)) expect(`${k}: ${shown.get(k)!}`).toBe(`${k}: ${text}`);
      expect(await w.page.inputValue('#lang')).toBe('en');
      await expectClean(w);
    }
    await ctx.close();
  });
});

describe.each(LANGS)('$lang, chosen from the browser’s languages', ({ lang, locale, expiresIn, hour, pending, notAvailable }) => {
  let ctx: BrowserContext;
  beforeAll(async () => {
    ctx = await browser.newContext({ locale, timezoneId: ZONE, viewport: { width: 1280, height: 900 } });
  });
  afterAll(() => ctx.close());

  it('create page: the form, the expiry choices and limits in Intl words, then the result', async () => {
    const w = await watchedPage(ctx);
    const { page } = w;
    await page.goto(`${s.url}/`);
    await page.waitForSelector('#policy:not([hidden])');
    await expectTranslated(page, '/', lang, 'form');
    expect(await page.inputValue('#lang')).toBe(lang);
    // "24 Stunden" / "24 時間": the browser's Intl, unit display long.
    const day = await page.evaluate((loc) => new Intl.NumberFormat(loc, { style: 'unit', unit: 'hour', unitDisplay: 'long' }).format(24), locale);
    expect(await page.textContent('#ttl option[value="86400"]')).toBe(day);
    await page.check('input[name="kind"][value="stateless"]');
    await page.click('#more summary');
    await expectTranslated(page, '/', lang, 'stateless, more options');
    await shots(page, `${lang}-create`);
    await page.check('input[name="kind"][value="stored"]');
    await page.click('#create');
    await page.waitForSelector('#create-error:not([hidden])');
    expect(await page.textContent('#create-error')).not.toMatch(/Write the secret/);
    await page.fill('#message', 'db password: hunter2');
    await page.click('#create');
    await page.waitForSelector('#result:not([hidden])');
    await expectTranslated(page, '/', lang, 'result');
    expect(await page.textContent('#result-meta')).toMatch(lang === 'de' ? /^Läuft ab: .*; lässt sich einmal öffnen\.$/ : /^期限: .*。1 回だけ開けます。$/);
    await page.click('#qr-details summary');
    await shots(page, `${lang}-result`);
    await expectClean(w);
  });

  it('reveal page: before (Intl duration under a fixed clock), after, then not available', async () => {
    const made = await makeSecret(s.url, { ttl: 86_400 });
    const expiresAt = Date.parse(made.created.expiresAt);
    const w = await watchedPage(ctx);
    const { page } = w;
    await page.clock.setFixedTime(new Date(expiresAt - ((23 * 60 + 45) * 60 + 30) * 1000));
    await page.goto(`${s.url}/s/${made.id}#${made.keyB64u}`);
    await page.waitForSelector('#meta:not([hidden])');
    await expectTranslated(page, '/s/x', lang, 'before');
    const duration = await intlDuration(page, locale, 23, 45);
    expect(duration).toContain(hour);
    const meta = (await page.textContent('#meta'))!;
    expect(meta).toContain(duration);
    expect(meta).toContain(expiresIn);
    await shots(page, `${lang}-reveal`);
    await page.click('#reveal');
    await page.waitForSelector('#secret:not([hidden])');
    expect(await page.inputValue('#secret-text')).toBe(made.message);
    await expectTranslated(page, '/s/x', lang, 'after');
    await shots(page, `${lang}-revealed`);
    const again = await watchedPage(ctx);
    await again.page.goto(`${s.url}/s/${made.id}#${made.keyB64u}`);
    await again.page.waitForSelector('#gone:not([hidden])');
    expect(await again.page.textContent('#gone')).toMatch(notAvailable);
    await expectTranslated(again.page, '/s/x', lang, 'not available');
    await expectClean(w);
  });

  it('manage page: pending, with the expiry as Intl writes date and duration', async () => {
    const made = await makeSecret(s.url, { ttl: 86_400 });
    const expiresAt = Date.parse(made.created.expiresAt);
    const w = await watchedPage(ctx);
    const { page } = w;
    await page.clock.setFixedTime(new Date(expiresAt - ((23 * 60 + 45) * 60 + 30) * 1000));
    await page.goto(`${s.url}/m/${made.id}#${made.manageToken}`);
    await page.waitForSelector('#status:not([hidden])');
    expect(await page.textContent('#state')).toBe(pending);
    const when = await intlWhen(page, locale, expiresAt);
    const duration = await intlDuration(page, locale, 23, 45);
    expect(await page.textContent('#expires')).toBe(lang === 'de' ? `${when} (in ${duration})` : `${when}（あと ${duration}）`);
    await page.click('#revoke');
    await expectTranslated(page, '/m/x', lang, 'pending, confirming');
    await shots(page, `${lang}-manage`);
    await expectClean(w);
  });

  it('stateless page: before and after', async () => {
    // A context of its own: the fixed clocks above are the context's.
    const own = await browser.newContext({ locale, timezoneId: ZONE, viewport: { width: 1280, height: 900 } });
    const w = await watchedPage(own);
    const { page } = w;
    await page.goto(await sealLink({ origin: s.url, message: 'stateless secret', ttl: 3600 }));
    await page.waitForSelector('#reveal-form:not([hidden])');
    await expectTranslated(page, '/l', lang, 'before');
    await page.click('#reveal');
    await page.waitForSelector('#secret:not([hidden])');
    await expectTranslated(page, '/l', lang, 'after');
    expect(await page.textContent('#after')).toMatch(lang === 'de' ? /^Dieser Link gilt noch (59 Min\.|1 Std\.);/ : /^このリンクはあと (59 分|1 時間)有効です。/);
    await shots(page, `${lang}-stateless`);
    await expectClean(w);
    await own.close();
  });

  it('404 page', async () => {
    const w = await watchedPage(ctx);
    const res = await w.page.goto(`${s.url}/no/such/page`);
    expect(res?.status()).toBe(404);
    await w.page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await expectTranslated(w.page, '/no/such/page', lang, '404');
    await shots(w.page, `${lang}-404`);
    await expectClean(w);
  });
});

describe('the language switcher', () => {
  it('is on every page, reachable by keyboard, named, and switches in place; ?lang= wins over the browser', async () => {
    const ctx = await browser.newContext({ locale: 'en-US' });
    const w = await watchedPage(ctx);
    const { page } = w;
    await page.goto(`${s.url}/`);
    await page.waitForSelector('#policy:not([hidden])');
    // Keyboard: Tab from the top reaches it, and the arrow keys change the language.
    let reached = false;
    for (let i = 0; i < 6 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'lang');
    }
    expect(reached).toBe(true);
    expect(await page.getByRole('combobox', { name: 'Language' }).count()).toBe(1);
    await page.selectOption('#lang', 'de');
    await page.waitForFunction(() => document.documentElement.lang === 'de');
    expect(await page.textContent('h1')).toBe('Ein Geheimnis teilen');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('de');
    expect(await page.getByRole('combobox', { name: 'Sprache' }).count()).toBe(1);
    expect(await page.getAttribute('.brand', 'href')).toBe('./?lang=de');
    await expectTranslated(page, '/', 'de', 'switched');
    // A reload keeps the choice (it is in the address).
    await page.reload();
    await page.waitForFunction(() => document.documentElement.lang === 'de');
    await expectClean(w);

    // The reveal page switches without losing its key (a reload would), and still reveals.
    const made = await makeSecret(s.url);
    const r = await watchedPage(ctx);
    await r.page.goto(`${s.url}/s/${made.id}?lang=ja#${made.keyB64u}`);
    await r.page.waitForSelector('#meta:not([hidden])');
    await r.page.waitForFunction(() => document.documentElement.lang === 'ja');
    expect(await r.page.textContent('#reveal')).toBe('シークレットを表示');
    await r.page.selectOption('#lang', 'ar'); // a language whose file this page has not loaded yet, right to left
    await r.page.waitForFunction(() => document.documentElement.lang === 'ar' && document.documentElement.dir === 'rtl');
    expect(await r.page.textContent('#reveal')).not.toBe('Reveal secret');
    await r.page.focus('#lang');
    await r.page.keyboard.press('ArrowDown'); // العربية → Deutsch
    await r.page.waitForFunction(() => document.documentElement.lang === 'de' && document.documentElement.dir === 'ltr');
    expect(await r.page.textContent('#meta')).toMatch(/^Läuft ab in /);
    expect(await r.page.textContent('#reveal')).toBe('Geheimnis aufdecken');
    await r.page.click('#reveal');
    await r.page.waitForSelector('#secret:not([hidden])');
    expect(await r.page.inputValue('#secret-text')).toBe(made.message);
    expect(await r.page.textContent('.foot-link a')).toBe('Selbst ein Geheimnis teilen');
    expect(await r.page.getAttribute('.foot-link a', 'href')).toBe('../?lang=de');
    await expectClean(r);

    // Manage and stateless pages carry it too.
    for (const url of [`${s.url}/m/${made.id}#${made.manageToken}`, await sealLink({ origin: s.url, message: 'x', ttl: 60 }), `${s.url}/no/such/page`]) {
      const p = await watchedPage(ctx);
      await p.page.goto(url);
      expect(await p.page.getByRole('combobox', { name: 'Language' }).count()).toBe(1);
      await p.page.selectOption('#lang', 'ja');
      await p.page.waitForFunction(() => document.documentElement.lang === 'ja');
      expect(await p.page.locator('h1').innerText()).toMatch(JAPANESE);
      await expectClean(p);
    }
    await ctx.close();
  });
});
