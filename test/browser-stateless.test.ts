// Stateless links in a real Chromium against a real server (real port, real SQLite file): made in
// the create page, opened with no request to the server, refused once expired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { createInPage } from './helpers/pages.js';
import { sealLink } from '../src/lib.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());

describe('stateless links in Chromium', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ passphraseAttempts: 3 });
  });
  afterAll(() => s.close());

  it('makes a stateless link (with and without passphrase) that opens without any request to the server', async () => {
    const w = await watchedPage(await browser.newContext());
    await w.page.goto(`${s.url}/`);
    await w.page.waitForSelector('#policy:not([hidden])');
    await w.page.check('input[name="kind"][value="stateless"]');
    expect(await w.page.textContent('#stateless-note')).toMatch(/cannot be revoked or limited to one read.*enforced by the recipient's browser.*2 000 characters/);
    const plain = await createInPage(w, s.url, 'stateless secret', { stateless: true, ttl: '3600' });
    expect(plain.link).toMatch(new RegExp(`^${s.url}/l#1\\.`));
    expect(await w.page.isVisible('#manage-block')).toBe(false);
    const guarded = await createInPage(w, s.url, 'stateless with passphrase', { stateless: true, passphrase: 'pass phrase' });
    expect(guarded.link).toMatch(new RegExp(`^${s.url}/l#1p\\.`));

    const ctx = await browser.newContext();
    const r = await watchedPage(ctx);
    const requests: string[] = [];
    r.page.on('request', (rq) => requests.push(rq.url()));
    await r.page.goto(plain.link);
    expect(r.page.url()).toBe(`${s.url}/l`);
    expect(await r.page.isVisible('#passphrase')).toBe(false);
    await r.page.click('#reveal');
    await r.page.waitForSelector('#secret:not([hidden])');
    expect(await r.page.inputValue('#secret-text')).toBe('stateless secret');
    expect(await r.page.textContent('#after')).toMatch(/valid for (59 min|1 h) more/);
    // Page, stylesheet, script, worker: no API call, and the fragment never left the browser.
    expect(requests.filter((u) => u.includes('/api/'))).toEqual([]);
    for (const u of requests) expect(u).not.toContain('#');
    // Nor did the server log any of it: not the fragment, not its key or container.
    const logs = s.logs.join('\n');
    for (const part of plain.link.split('#')[1]!.split('.').slice(1)) expect(logs).not.toContain(part.slice(0, 24));

    // A new page: going from /l#a to /l#b in one page would not load it again.
    const r2 = await watchedPage(ctx);
    await r2.page.goto(guarded.link);
    await r2.page.fill('#passphrase', 'wrong');
    await r2.page.click('#reveal');
    await r2.page.waitForSelector('#reveal-error:not([hidden])');
    expect(await r2.page.textContent('#reveal-error')).toMatch(/^Wrong passphrase/);
    await r2.page.fill('#passphrase', 'pass phrase');
    await r2.page.click('#reveal');
    await r2.page.waitForSelector('#secret:not([hidden])');
    expect(await r2.page.inputValue('#secret-text')).toBe('stateless with passphrase');
    expect(await r.violations()).toEqual([]);
    expect(await r2.violations()).toEqual([]);
  });

  it('an expired stateless link shows only when it expired, never the content', async () => {
    const twoHoursAgo = Date.now() - 2 * 3600_000;
    const link = await sealLink({ origin: s.url, message: 'too late', ttl: 3600, now: () => twoHoursAgo });
    const p = await (await browser.newContext()).newPage();
    await p.goto(link);
    await p.click('#reveal');
    await p.waitForSelector('#gone:not([hidden])');
    expect(await p.textContent('#gone')).toMatch(/^This secret expired on /);
    expect(await p.textContent('body')).not.toContain('too late');
  });
});
