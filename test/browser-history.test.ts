// The manage page's history (issue 17, docs/protocol.md §9) in a real Chromium against a real
// server: link previews open the link (a HEAD, Slack's unfurler), the page says nobody has read it
// yet; a person reads it in a browser whose navigator.webdriver is false; an automated Chromium
// that reads it sends x-hush-automation and is named a scanner. axe-core on the history in both
// themes and the three languages; HUSH_SCREENSHOTS=/tmp/hush-shots saves it at 390 and 1280 px.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AUTOMATION_HEADER } from '../src/protocol/api.js';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret, type Made } from './helpers/api.js';
import { axeViolations, launchChromium, watchedPage, type WatchedPage } from './helpers/browser.js';
import { revealInPage } from './helpers/pages.js';

/** Slack's link unfurler, as it introduces itself. */
const SLACKBOT = 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)';

let robot: Browser;
let person: Browser;
let s: TestServer;
/** Desktop Chrome as a person runs it: headless Chromium's own agent says HeadlessChrome. */
let desktopUA: string;

beforeAll(async () => {
  [robot, person, s] = await Promise.all([launchChromium(), launchChromium({ automated: false }), startServer({ passphraseAttempts: 3 })]);
  desktopUA = `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${person.version().split('.')[0]!}.0.0.0 Safari/537.36`;
});
afterAll(async () => {
  await Promise.all([robot.close(), person.close()]);
  await s.close();
});

/** A person's browser: navigator.webdriver false, a desktop Chrome user agent. */
const personContext = (): Promise<BrowserContext> => person.newContext({ userAgent: desktopUA, timezoneId: 'UTC', locale: 'en-US' });

/** What link previews do with a link pasted into a chat: a HEAD, then a GET as Slackbot. */
async function unfurl(made: Made): Promise<void> {
  const url = `${s.url}/s/${made.id}`;
  expect((await fetch(url, { method: 'HEAD' })).status).toBe(200);
  const slack = await fetch(url, { headers: { 'user-agent': SLACKBOT } });
  expect(slack.status).toBe(200);
  await slack.text();
}

const manageUrl = (made: Made): string => `${s.url}/m/${made.id}#${made.manageToken}`;

/** The history's lines as shown: [time, what happened]. */
async function historyLines(page: Page): Promise<{ time: string; iso: string; what: string }[]> {
  return page.$$eval('#events li', (items) =>
    items.map((li) => ({ time: li.querySelector('time')?.textContent ?? '', iso: li.querySelector('time')?.dateTime ?? '', what: li.querySelector('span')?.textContent ?? '' })),
  );
}

async function openManage(w: WatchedPage, made: Made): Promise<void> {
  await w.page.goto(manageUrl(made));
  await w.page.waitForSelector('#status:not([hidden])');
  await w.page.waitForSelector('#history:not([hidden])');
}

async function expectClean(w: WatchedPage): Promise<void> {
  expect(await w.violations()).toEqual([]);
  expect(w.errors).toEqual([]);
}

describe('the manage page shows what happened to the secret', () => {
  it('link previews opened it: "not read"; then a person reads it in a browser', async () => {
    const made = await makeSecret(s.url);
    await unfurl(made);
    const ctx = await personContext();
    const m = await watchedPage(ctx);
    await openManage(m, made);
    expect(await m.page.textContent('#state')).toBe('Waiting — not read yet');
    let lines = await historyLines(m.page);
    // Oldest first: made, then the two previews.
    expect(lines[0]!.what).toMatch(/^Created/);
    expect(lines.filter((l) => l.what === 'Link opened by a link preview — not read')).toHaveLength(2);
    expect(lines.some((l) => l.what.startsWith('Read'))).toBe(false);
    expect(await m.page.textContent('#summary')).toBe('The link was opened 2 times by link previews or scanners, but nobody has read it yet.');
    expect(await m.page.isVisible('#dropped')).toBe(false);
    // Every line has a real time; the date is written on the first line of each day only.
    for (const [i, l] of lines.entries()) {
      expect(Number.isFinite(Date.parse(l.iso)), `line ${String(i)}`).toBe(true);
      const sameDay = i > 0 && lines[i - 1]!.iso.slice(0, 10) === l.iso.slice(0, 10);
      expect(l.time).toMatch(sameDay ? /^\d\d:\d\d [AP]M$/ : /^\w{3}, \w{3} \d{1,2}, \d{4}, \d\d:\d\d [AP]M$/);
    }

    // The recipient, in a browser that is not driven (navigator.webdriver false).
    const sent: string[] = [];
    const readerCtx = await personContext();
    readerCtx.on('request', (r) => {
      if (r.url().includes('/api/v1/secrets/')) sent.push(`${new URL(r.url()).pathname.split('/').pop()!} ${r.headers()[AUTOMATION_HEADER] ?? '-'}`);
    });
    const { w: reader, text } = await revealInPage(readerCtx, `${s.url}/s/${made.id}#${made.keyB64u}`);
    expect(text).toBe(made.message);
    expect(await reader.page.evaluate(() => navigator.webdriver)).toBe(false);
    expect(sent).toEqual(['peek -', 'consume -']);
    await expectClean(reader);

    // The manage page, still open, updates by itself.
    await m.page.waitForFunction(() => document.getElementById('state')?.textContent.startsWith('Read on') === true, undefined, { timeout: 15_000 });
    lines = await historyLines(m.page);
    expect(lines.at(-1)!.what).toBe('Read in a browser');
    expect(lines.filter((l) => l.what.startsWith('Read'))).toHaveLength(1);
    expect(lines.some((l) => /scanner/.test(l.what))).toBe(false);
    expect(await m.page.isVisible('#summary')).toBe(false);
    // With a history, the expiry of a read secret is no longer how long the record is kept.
    expect(await m.page.textContent('#expires-label')).toBe('Was set to expire');
    expect(await m.page.isVisible('#live')).toBe(false);
    await expectClean(m);
    await Promise.all([ctx.close(), readerCtx.close()]);
  });

  it('an automated Chromium that reveals it says so (x-hush-automation) and is named a scanner', async () => {
    const made = await makeSecret(s.url);
    const ctx = await robot.newContext();
    const sent: string[] = [];
    ctx.on('request', (r) => {
      if (r.url().includes('/api/v1/secrets/')) sent.push(`${new URL(r.url()).pathname.split('/').pop()!} ${r.headers()[AUTOMATION_HEADER] ?? '-'}`);
    });
    const { w, text } = await revealInPage(ctx, `${s.url}/s/${made.id}#${made.keyB64u}`);
    expect(text).toBe(made.message);
    expect(await w.page.evaluate(() => navigator.webdriver)).toBe(true);
    expect(sent).toEqual(['peek 1', 'consume 1']);
    await expectClean(w);

    const m = await watchedPage(ctx);
    await openManage(m, made);
    const lines = await historyLines(m.page);
    expect(lines.at(-1)!.what).toBe('Read by an automated scanner');
    expect(lines.some((l) => l.what === 'Read in a browser')).toBe(false);
    expect(await m.page.textContent('#summary')).toBe('It was read by an automated client, not by a person in a browser. If the recipient did not get it, share the secret again.');
    await expectClean(m);
    await ctx.close();
  });

  it('a wrong passphrase, then revoked: each with who did it', async () => {
    const made = await makeSecret(s.url, { passphrase: 'correct horse' });
    const ctx = await personContext();
    const r = await watchedPage(ctx);
    await r.page.goto(`${s.url}/s/${made.id}#${made.keyB64u}`);
    await r.page.waitForSelector('#meta:not([hidden])');
    await r.page.fill('#passphrase', 'wrong horse');
    await r.page.click('#reveal');
    await r.page.waitForSelector('#reveal-error:not([hidden])');
    const m = await watchedPage(ctx);
    await openManage(m, made);
    await m.page.click('#revoke');
    await m.page.click('#confirm-yes');
    await m.page.waitForFunction(() => document.getElementById('state')?.textContent === 'Revoked by you');
    const lines = (await historyLines(m.page)).map((l) => l.what);
    expect(lines).toContain('Wrong passphrase tried in a browser');
    expect(lines.at(-1)).toBe('Revoked in a browser');
    expect(await m.page.isVisible('#summary')).toBe(false);
    await ctx.close();
  });

  it('a server that keeps no history (HUSH_AUDIT=off) gets the page as it was: no history, no summary', async () => {
    const off = await startServer({ audit: false });
    // A context of its own, closed before the server (a preconnected socket would hold its close).
    const ctx = await personContext();
    try {
      const made = await makeSecret(off.url);
      expect((await fetch(`${off.url}/s/${made.id}`, { method: 'HEAD' })).status).toBe(200);
      const w = await watchedPage(ctx);
      const answers: unknown[] = [];
      w.page.on('response', (r) => {
        if (r.url().endsWith('/status')) answers.push(r.json());
      });
      await w.page.goto(`${off.url}/m/${made.id}#${made.manageToken}`);
      await w.page.waitForSelector('#status:not([hidden])');
      expect(await w.page.textContent('#state')).toBe('Waiting — not read yet');
      expect(await w.page.isVisible('#history')).toBe(false);
      expect(await w.page.isVisible('#summary')).toBe(false);
      expect(await Promise.all(answers)).toEqual([expect.not.objectContaining({ events: expect.anything() })]);
      await expectClean(w);
    } finally {
      await ctx.close();
      await off.close();
    }
  });

  it('the server’s words it does not know are shown as text, and events it did not keep are counted', async () => {
    // A newer server could name events and clients this page does not know; no server here
    // does, so the answer is rewritten in the browser (the only stand-in in this file).
    const made = await makeSecret(s.url);
    const ctx = await personContext();
    const w = await watchedPage(ctx);
    await w.page.route('**/api/v1/secrets/*/status', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { events?: unknown[] };
      body.events = [
        ...(body.events ?? []),
        { type: 'opened', at: new Date().toISOString(), client: 'quantum-fax' },
        { type: 'teleported', at: new Date().toISOString(), client: 'cli' },
        { type: '<img src=x onerror=alert(1)>\u001b[2J\u202e', at: 'not a time', client: null },
      ];
      await route.fulfill({ response: res, json: { ...body, dropped: 3 } });
    });
    await openManage(w, made);
    const lines = (await historyLines(w.page)).map((l) => [l.time, l.what]);
    expect(lines.slice(-3)).toEqual([
      [expect.any(String), 'Link opened by a client of the kind “quantum-fax” — not read'],
      [expect.any(String), 'Event “teleported” with the hush CLI'],
      ['—', 'Event “<img src=x onerror=alert(1)>[2J” by an unknown client'],
    ]);
    expect(await w.page.locator('#events img').count()).toBe(0);
    expect(await w.page.textContent('#dropped')).toBe('… and 3 more events the server did not keep.');
    expect(w.dialogs).toEqual([]);
    await expectClean(w);
    await ctx.close();
  });
});

describe('the history in three languages and two themes', () => {
  const LANGS = [
    { lang: 'en', locale: 'en-US', heading: 'History', preview: 'Link opened by a link preview — not read', read: 'Read in a browser' },
    { lang: 'de', locale: 'de-DE', heading: 'Verlauf', preview: 'Link von einer Linkvorschau geöffnet — nicht gelesen', read: 'Im Browser gelesen' },
    { lang: 'ja', locale: 'ja-JP', heading: '履歴', preview: 'リンクプレビューによってリンクが開かれました — 読まれていません', read: 'ブラウザーで読まれました' },
  ] as const;
  let waiting: Made;
  let read: Made;

  beforeAll(async () => {
    // One secret only unfurled (the summary shows), one unfurled, mistyped and read by a person.
    waiting = await makeSecret(s.url);
    await unfurl(waiting);
    read = await makeSecret(s.url, { passphrase: 'correct horse' });
    await unfurl(read);
    const ctx = await personContext();
    const r = await watchedPage(ctx);
    await r.page.goto(`${s.url}/s/${read.id}#${read.keyB64u}`);
    await r.page.waitForSelector('#meta:not([hidden])');
    await r.page.fill('#passphrase', 'wrong horse');
    await r.page.click('#reveal');
    await r.page.waitForSelector('#reveal-error:not([hidden])');
    await r.page.fill('#passphrase', 'correct horse');
    await r.page.click('#reveal');
    await r.page.waitForSelector('#secret:not([hidden])');
    await ctx.close();
  });

  /** Full-page screenshots at 390 and 1280 px when HUSH_SCREENSHOTS names a directory. */
  async function shots(page: Page, name: string): Promise<void> {
    const dir = process.env.HUSH_SCREENSHOTS;
    if (dir === undefined || dir === '') return;
    mkdirSync(dir, { recursive: true });
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.screenshot({ path: join(dir, `${name}-${String(width)}.png`), fullPage: true });
    }
  }

  for (const scheme of ['light', 'dark'] as const) {
    it.each(LANGS)(`$lang, ${scheme} theme: axe-core finds nothing, waiting and read`, async ({ lang, locale, heading, preview, read: readText }) => {
      const ctx = await person.newContext({ userAgent: desktopUA, colorScheme: scheme, locale, viewport: { width: 1280, height: 800 } });
      const w = await watchedPage(ctx);
      const report: string[] = [];
      for (const [state, made] of [
        ['waiting', waiting],
        ['read', read],
      ] as const) {
        await openManage(w, made);
        await w.page.waitForFunction((l) => document.documentElement.lang === l, lang);
        expect(await w.page.textContent('#history-title')).toBe(heading);
        const lines = (await historyLines(w.page)).map((l) => l.what);
        expect(lines.filter((l) => l === preview)).toHaveLength(2);
        if (state === 'waiting') expect(await w.page.isVisible('#summary')).toBe(true);
        else expect(lines.at(-1)).toBe(readText);
        await w.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        for (const v of await axeViolations(w.page)) report.push(`${state}: ${v}`);
        await shots(w.page, `history-${state}-${lang}-${scheme}`);
      }
      expect(report.join('\n'), `axe violations:\n${report.join('\n')}`).toBe('');
      await expectClean(w);
      await ctx.close();
    });
  }
});
