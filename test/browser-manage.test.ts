// The manage page in a real Chromium against a real server (real port, real SQLite file): revoking,
// a wrong token, and the state updating by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret, req } from './helpers/api.js';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { createInPage } from './helpers/pages.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());

describe('the manage page in Chromium (proof-of-work on, as by default)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ challenge: 'pow' });
  });
  afterAll(() => s.close());

  it('the sender revokes from the manage page (after confirming), and the link stops working', async () => {
    const ctx = await browser.newContext();
    const w = await watchedPage(ctx);
    const { link, manage } = await createInPage(w, s.url, 'to be revoked');
    const m = await watchedPage(ctx);
    await m.page.goto(manage);
    await m.page.waitForSelector('#status:not([hidden])');
    expect(await m.page.textContent('#state')).toBe('Waiting — not read yet');
    await m.page.click('#revoke');
    expect(await m.page.isVisible('#confirm')).toBe(true);
    await m.page.click('#confirm-no');
    expect(await m.page.isVisible('#confirm')).toBe(false);
    expect(await m.page.textContent('#state')).toBe('Waiting — not read yet');
    await m.page.click('#revoke');
    await m.page.click('#confirm-yes');
    await m.page.waitForFunction(() => document.getElementById('state')?.textContent === 'Revoked by you');
    const r = await (await browser.newContext()).newPage();
    await r.goto(link);
    await r.waitForSelector('#gone:not([hidden])');
  });
});

describe('the manage page: a wrong token, and updates by itself', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ passphraseAttempts: 3 });
  });
  afterAll(() => s.close());

  it('a wrong manage token says nothing is known; a link without its key says it is incomplete', async () => {
    const made = await makeSecret(s.url);
    const p = await (await browser.newContext()).newPage();
    await p.goto(`${s.url}/m/${made.id}#${'A'.repeat(43)}`);
    await p.waitForSelector('#manage-error:not([hidden])');
    expect(await p.textContent('#manage-error')).toMatch(/Nothing is known about this secret/);
    await p.goto(`${s.url}/s/${made.id}`);
    await p.waitForSelector('#gone:not([hidden])');
    expect(await p.textContent('#gone')).toMatch(/incomplete/);
    // Neither visit consumed it.
    expect((await req(`${s.url}/api/v1/secrets/${made.id}/consume`, { method: 'POST', json: { auth: made.auth } })).status).toBe(200);
  });

  it('the manage page updates by itself when the secret is read', async () => {
    const made = await makeSecret(s.url, { views: 2 });
    const m = await watchedPage(await browser.newContext());
    await m.page.goto(`${s.url}/m/${made.id}#${made.manageToken}`);
    await m.page.waitForSelector('#status:not([hidden])');
    expect(await m.page.textContent('#state')).toBe('Waiting — not read yet');
    expect(await m.page.isVisible('#live')).toBe(true);
    // Open the confirmation: a poll that finds no change must leave it open.
    await m.page.click('#revoke');
    await m.page.waitForTimeout(5_500);
    expect(await m.page.isVisible('#confirm')).toBe(true);
    await m.page.click('#confirm-no');
    // Two reads elsewhere; no click here.
    expect((await req(`${s.url}/api/v1/secrets/${made.id}/consume`, { method: 'POST', json: { auth: made.auth } })).status).toBe(200);
    await m.page.waitForFunction(() => document.getElementById('views-left')?.textContent === '1', undefined, { timeout: 15_000 });
    expect((await req(`${s.url}/api/v1/secrets/${made.id}/consume`, { method: 'POST', json: { auth: made.auth } })).status).toBe(200);
    await m.page.waitForFunction(() => document.getElementById('state')?.textContent.startsWith('Read on') === true, undefined, { timeout: 15_000 });
    // Settled: no more polling, and the page says so by hiding the live note.
    expect(await m.page.isVisible('#live')).toBe(false);
    expect(await m.violations()).toEqual([]);
  });
});
