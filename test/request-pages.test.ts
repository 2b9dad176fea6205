// Asking for a secret in a real Chromium: the requester's page (/request) and the page a request
// link opens (/r/{id}#fingerprint), with each other and with the CLI, against a real server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { hush } from './helpers/cli.js';
import { createSecretRequest, requestStatus } from '../src/client/flows.js';
import { formatRequestLink, parseRequestLink } from '../src/protocol/links.js';

let browser: Browser;
let s: TestServer;
const dirs: string[] = [];
beforeAll(async () => {
  browser = await launchChromium();
  s = await startServer({ challenge: 'pow' });
});
afterAll(async () => {
  await browser.close();
  await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Makes a request in the requester's page; returns the page (kept open) and the link. */
async function requestInPage(page: Page, note = ''): Promise<string> {
  await page.goto(`${s.url}/request`);
  if (note !== '') await page.fill('#note', note);
  await page.click('#make');
  await page.waitForSelector('#made:not([hidden]), #request-error:not([hidden])');
  expect(await page.isVisible('#made'), (await page.textContent('#request-error')) ?? '').toBe(true);
  return page.inputValue('#request-link');
}

/** Answers a request link in the sender's page. */
async function answerInPage(page: Page, link: string, secret: string): Promise<void> {
  await page.goto(link);
  await page.waitForSelector('#respond-form:not([hidden])');
  await page.fill('#secret', secret);
  await page.click('#send');
  await page.waitForSelector('#sent:not([hidden])');
}

describe('request a secret in the browser', () => {
  it('requester → sender → requester across three contexts; the answer arrives once', async () => {
    const requester = await watchedPage(await browser.newContext());
    const note = 'the staging API key, please <img src=x onerror=alert(1)>';
    const link = await requestInPage(requester.page, note);
    expect(link).toMatch(new RegExp(`^${s.url}/r/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{22}$`));

    const sender = await watchedPage(await browser.newContext());
    await sender.page.goto(link);
    await sender.page.waitForSelector('#respond-form:not([hidden])');
    // The note shows as text, marked as not encrypted; the fingerprint left the address bar.
    expect(await sender.page.textContent('#note')).toBe(note);
    expect(await sender.page.textContent('#note-block')).toMatch(/not encrypted/);
    expect(sender.page.url()).toBe(link.split('#')[0]);
    await sender.page.fill('#secret', 'sk_live_0123456789\nsecond line');
    await sender.page.click('#send');
    await sender.page.waitForSelector('#sent:not([hidden])');
    expect(await sender.page.inputValue('#secret')).toBe('');

    await requester.page.waitForSelector('#answer:not([hidden])', { timeout: 20_000 });
    expect(await requester.page.inputValue('#answer-text')).toBe('sk_live_0123456789\nsecond line');
    // Picked up once: the key is gone from this browser and the request from the server.
    const keysLeft = await requester.page.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('hush-requests');
          open.onerror = () => reject(new Error('no database'));
          open.onsuccess = () => {
            const count = open.result.transaction('requests').objectStore('requests').count();
            count.onsuccess = () => resolve(count.result);
          };
        }),
    );
    expect(keysLeft).toBe(0);
    expect(await requester.page.isVisible('#pending')).toBe(false);
    const { id } = parseRequestLink(link);
    expect((await fetch(`${s.url}/api/v1/requests/${id}`)).status).toBe(404);

    // A third context gets nothing more.
    const third = await (await browser.newContext()).newPage();
    await third.goto(link);
    await third.waitForSelector('#gone:not([hidden])');
    expect(await third.textContent('#gone')).toMatch(/not available: it was answered, cancelled or has expired/);
    for (const w of [requester, sender]) {
      expect(w.dialogs).toEqual([]);
      expect(await w.violations()).toEqual([]);
    }
  });

  it('a swapped public key is detected by the sender page, and nothing is sent', async () => {
    // Two requests with the same note (the client solves the server's proof-of-work itself).
    const a = await createSecretRequest({ server: s.url, note: 'A' });
    const b = await createSecretRequest({ server: s.url, note: 'A' });
    // Request A's id with request B's fingerprint: what a server swapping keys would produce.
    const swapped = formatRequestLink(s.url, a.id, parseRequestLink(b.link).fingerprint);
    const p = await (await browser.newContext()).newPage();
    await p.goto(swapped);
    await p.waitForSelector('#gone:not([hidden])');
    expect(await p.textContent('#gone')).toMatch(/^Stop: the key this server gives for the request does not match the link/);
    expect(await p.isVisible('#respond-form')).toBe(false);
    expect((await requestStatus(a)).state).toBe('open');
  });

  it('a pending request survives a reload of the requester page (key kept in IndexedDB)', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const link = await requestInPage(page, 'after a reload');
    await page.reload();
    await page.waitForSelector('#pending:not([hidden])');
    expect(await page.textContent('#pending-list')).toMatch(/“after a reload” — waiting for the answer/);
    await answerInPage(await (await browser.newContext()).newPage(), link, 'still arrives');
    await page.waitForSelector('#answer:not([hidden])', { timeout: 20_000 });
    expect(await page.inputValue('#answer-text')).toBe('still arrives');
  });

  it('the requester can cancel; the link then says the request is not available', async () => {
    const page = await (await browser.newContext()).newPage();
    const link = await requestInPage(page, 'to cancel');
    await page.waitForSelector('#pending-list button');
    await page.click('#pending-list button');
    await page.waitForSelector('#pending', { state: 'hidden' });
    const p = await (await browser.newContext()).newPage();
    await p.goto(link);
    await p.waitForSelector('#gone:not([hidden])');
  });
});

describe('requests between the CLI and the browser', () => {
  it('CLI request → page response → CLI decrypts', async () => {
    const home = mkdtempSync(join(tmpdir(), 'hush-req-home-'));
    dirs.push(home);
    const env = { HOME: home, HUSH_SERVER: s.url };
    const made = await hush(['request', '--note', 'from the terminal', '--ttl', '1h'], { env });
    expect(made.code, made.stderr).toBe(0);
    const link = made.stdout.trim();
    await answerInPage(await (await browser.newContext()).newPage(), link, 'answered in the page ✓');
    const got = await hush(['request', 'wait', parseRequestLink(link).id, '--every', '1s'], { env });
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout).toBe('answered in the page ✓');
  });

  it('page request → CLI response (through a pipe) → page decrypts', async () => {
    const page = await (await browser.newContext()).newPage();
    const link = await requestInPage(page, 'from the page');
    const sent = await hush(['respond', link], { input: 'answered in the terminal\n' });
    expect(sent.code, sent.stderr).toBe(0);
    await page.waitForSelector('#answer:not([hidden])', { timeout: 20_000 });
    expect(await page.inputValue('#answer-text')).toBe('answered in the terminal\n');
  });
});

describe('request pages in German and Japanese', () => {
  const marked = (page: Page): Promise<[string, string][]> =>
    page.evaluate(() => Array.from(document.querySelectorAll('[data-i18n]')).map((el) => [el.getAttribute('data-i18n') ?? '', el.textContent] as [string, string]));
  // Words that are the same in German on purpose.
  const SAME = new Set(['request.optional']);

  it('every marked text is translated, with the right lang and no raw keys', async () => {
    const requester = await (await browser.newContext({ locale: 'en-US' })).newPage();
    const link = await requestInPage(requester, 'bitte');
    const paths = [`${s.url}/request`, link];
    const english = new Map<string, Map<string, string>>();
    for (const path of paths) {
      const p = await (await browser.newContext({ locale: 'en-US' })).newPage();
      await p.goto(path);
      await p.waitForLoadState('networkidle');
      english.set(path, new Map(await marked(p)));
    }
    for (const [locale, lang] of [['de-DE', 'de'], ['ja-JP', 'ja']] as const) {
      for (const path of paths) {
        const p = await (await browser.newContext({ locale })).newPage();
        await p.goto(path);
        await p.waitForLoadState('networkidle');
        if (path === link) await p.waitForSelector('#respond-form:not([hidden])');
        const en = english.get(path)!;
        const left = (await marked(p)).filter(([key, text]) => !(lang === 'de' && SAME.has(key)) && (text.trim() === '' || text === en.get(key)));
        expect(left, `${lang} ${path}`).toEqual([]);
        expect(await p.evaluate(() => document.documentElement.lang)).toBe(lang);
        const body = await p.locator('body').innerText();
        expect(body).not.toMatch(/\b(?:request|respond|common)\.[a-z][A-Za-z]+\b/);
        if (lang === 'ja') expect(body).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      }
    }
  });
});
