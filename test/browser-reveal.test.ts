// The reveal page in a real Chromium against a real server (real port, real SQLite file): a link
// opens once, shows hostile text as text, asks for a passphrase, and refuses what it must refuse.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { freePort, startServer, type TestServer } from './helpers/server.js';
import { makeSecret, req } from './helpers/api.js';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { createInPage, revealInPage } from './helpers/pages.js';
import { deriveLinkKeys, sealContainer, sealSecret, utf8Encode, b64uEncode, randomBytes, formatSecretLink } from '../src/protocol/index.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());

describe('create → reveal → refused, in Chromium (proof-of-work on, as by default)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ challenge: 'pow' });
  });
  afterAll(() => s.close());

  it('a secret made in the page opens once in another browser, and a third visit is refused', async () => {
    const sender = await browser.newContext();
    const w = await watchedPage(sender);
    const message = 'db password: hunter2\nsecond line ✓';
    const { link, manage } = await createInPage(w, s.url, message);
    expect(link).toMatch(new RegExp(`^${s.url}/s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));
    expect(manage).toMatch(new RegExp(`^${s.url}/m/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));
    // The create form no longer holds the secret.
    expect(await w.page.inputValue('#message')).toBe('');

    const recipient = await browser.newContext();
    const opened = await recipient.newPage();
    await opened.goto(link);
    await opened.waitForSelector('#meta:not([hidden])');
    // Opening changed nothing yet, and the key has left the address bar.
    expect(opened.url()).toBe(link.split('#')[0]);
    expect(await opened.textContent('#meta')).toMatch(/Expires in 23 h 5\d min\. It can be opened once\./);
    await opened.close();

    const { w: r, text } = await revealInPage(recipient, link);
    expect(text).toBe(message);
    expect(await r.page.textContent('#after')).toMatch(/deleted from the server/);
    expect(r.errors).toEqual([]);

    const third = await watchedPage(await browser.newContext());
    await third.page.goto(link);
    await third.page.waitForSelector('#gone:not([hidden])');
    expect(await third.page.textContent('#gone')).toMatch(/not available\. It has already been read, it has expired, or the link is incomplete/);
    expect(await third.page.isVisible('#reveal')).toBe(false);

    // The manage page reports the read.
    const m = await watchedPage(sender);
    await m.page.goto(manage);
    await m.page.waitForSelector('#status:not([hidden])');
    expect(m.page.url()).toBe(manage.split('#')[0]);
    expect(await m.page.textContent('#state')).toMatch(/^Read on /);
    expect(await m.page.isVisible('#revoke')).toBe(false);
    for (const x of [w, r, third, m]) expect(await x.violations()).toEqual([]);
  });

  it('a message of <script> and <img onerror> shows as text: no dialog, no new element, no CSP violation', async () => {
    const ctx = await browser.newContext();
    const w = await watchedPage(ctx);
    const payload = '<script>alert("xss-1")</script><img src=x onerror="alert(\'xss-2\')"><svg onload=alert(3)>';
    const { link } = await createInPage(w, s.url, payload);
    const { w: r, text } = await revealInPage(await browser.newContext(), link);
    expect(text).toBe(payload);
    expect(await r.page.locator('img, svg, main script').count()).toBe(0);
    await r.page.waitForTimeout(300);
    expect(r.dialogs).toEqual([]);
    expect(w.dialogs).toEqual([]);
    expect(await r.violations()).toEqual([]);
    expect(await w.violations()).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('views = 2 opens twice, and the page says how many reads remain', async () => {
    const w = await watchedPage(await browser.newContext());
    const { link } = await createInPage(w, s.url, 'twice', { views: 2 });
    const first = await revealInPage(await browser.newContext(), link);
    expect(first.text).toBe('twice');
    expect(await first.w.page.textContent('#after')).toMatch(/1 more time/);
    const second = await revealInPage(await browser.newContext(), link);
    expect(second.text).toBe('twice');
    const third = await (await browser.newContext()).newPage();
    await third.goto(link);
    await third.waitForSelector('#gone:not([hidden])');
  });
});

describe('passphrases, not-before, newer envelopes and sealed expiry in the reveal page', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ passphraseAttempts: 3 });
  });
  afterAll(() => s.close());

  it('a press before the peek has answered waits for it: the page never reloads without its key', async () => {
    const m = await makeSecret(s.url, { message: 'pressed early' });
    const page = await (await browser.newContext()).newPage();
    // The peek held back for a second, as on a slow network or a loaded server.
    let releasePeek = (): void => undefined;
    const held = new Promise<void>((r) => (releasePeek = r));
    await page.route('**/api/v1/secrets/*/peek', async (route) => {
      await held;
      await route.continue();
    });
    let loads = 0;
    page.on('domcontentloaded', () => loads++);
    await page.goto(`${s.url}/s/${m.id}#${m.keyB64u}`);
    expect(await page.isDisabled('#reveal')).toBe(true);
    // Pressing Enter in the form (a submit) before the peek answers changes nothing.
    await page.locator('#reveal-form').evaluate((f: HTMLFormElement) => f.requestSubmit());
    releasePeek();
    await page.click('#reveal'); // waits until the button is enabled
    await page.waitForSelector('#secret:not([hidden])');
    expect(await page.inputValue('#secret-text')).toBe('pressed early');
    expect(loads).toBe(1);
    expect(page.url()).toBe(`${s.url}/s/${m.id}`);
  });

  it('asks for the passphrase only when one is set; a wrong one shows the attempts left', async () => {
    const w = await watchedPage(await browser.newContext());
    const { link } = await createInPage(w, s.url, 'behind a passphrase', { passphrase: 'correct horse' });
    const r = await watchedPage(await browser.newContext());
    await r.page.goto(link);
    await r.page.waitForSelector('#meta:not([hidden])');
    expect(await r.page.isVisible('#passphrase')).toBe(true);
    await r.page.fill('#passphrase', 'wrong horse');
    await r.page.click('#reveal');
    await r.page.waitForSelector('#reveal-error:not([hidden])');
    expect(await r.page.textContent('#reveal-error')).toBe('Wrong passphrase. 2 attempts left before the secret is destroyed.');
    await r.page.fill('#passphrase', 'correct horse');
    await r.page.click('#reveal');
    await r.page.waitForSelector('#secret:not([hidden])');
    expect(await r.page.inputValue('#secret-text')).toBe('behind a passphrase');
    expect(await r.violations()).toEqual([]);

    const plain = await createInPage(w, s.url, 'no passphrase');
    const p = await (await browser.newContext()).newPage();
    await p.goto(plain.link);
    await p.waitForSelector('#meta:not([hidden])');
    expect(await p.isVisible('#passphrase')).toBe(false);
  });

  it('the last wrong passphrase says the secret was destroyed', async () => {
    const made = await makeSecret(s.url, { passphrase: 'right one' });
    const p = await (await browser.newContext()).newPage();
    await p.goto(`${s.url}/s/${made.id}#${made.keyB64u}`);
    await p.waitForSelector('#meta:not([hidden])');
    for (const left of ['2 attempts left', '1 attempt left']) {
      await p.fill('#passphrase', 'wrong one');
      await p.click('#reveal');
      await p.waitForFunction((t) => document.getElementById('reveal-error')?.textContent.includes(t) === true, left);
    }
    await p.fill('#passphrase', 'wrong one');
    await p.click('#reveal');
    await p.waitForSelector('#gone:not([hidden])');
    expect(await p.textContent('#gone')).toMatch(/^Wrong passphrase, and no attempts were left: the secret has been destroyed\./);
  });

  it('before its not-before time the page says when it opens, and the server refuses', async () => {
    const when = new Date(Date.now() + 3 * 3600_000);
    const made = await makeSecret(s.url, { notBefore: when.toISOString() });
    const p = await (await browser.newContext()).newPage();
    await p.goto(`${s.url}/s/${made.id}#${made.keyB64u}`);
    await p.waitForSelector('#meta:not([hidden])');
    expect(await p.textContent('#meta')).toMatch(/available from .*; it cannot be opened before then/);
    await p.click('#reveal');
    await p.waitForSelector('#reveal-error:not([hidden])');
    expect(await p.textContent('#reveal-error')).toMatch(/^This secret can be opened from /);
    // Still there: the refusal consumed nothing.
    expect((await req(`${s.url}/api/v1/secrets/${made.id}/peek`, { method: 'POST', json: { auth: made.auth } })).status).toBe(200);
  });

  it('an envelope from a newer Hush gives a clear message instead of a guess', async () => {
    const key = randomBytes(32);
    const k = await deriveLinkKeys(key);
    const container = await sealContainer(k.encKey, utf8Encode(JSON.stringify({ v: 2, m: 'future' })));
    const res = await req(`${s.url}/api/v1/secrets`, { method: 'POST', json: { ciphertext: b64uEncode(container), verifier: b64uEncode(k.verifier) } });
    const { id } = res.json as { id: string };
    const p = await (await browser.newContext()).newPage();
    await p.goto(formatSecretLink(s.url, id, key));
    await p.waitForSelector('#meta:not([hidden])');
    await p.click('#reveal');
    await p.waitForSelector('#gone:not([hidden])');
    expect(await p.textContent('#gone')).toBe('This secret was made by a newer version of Hush. Open it with an up-to-date Hush.');
  });

  it('a stored secret whose sealed expiry passed is refused with its date, while the server still had it', async () => {
    // The server would still release it (TTL 1 h), but the envelope says it expired at 03:04 UTC.
    const expired = Date.UTC(2026, 0, 2, 3, 4) / 1000;
    const sealed = await sealSecret({ message: 'stale content', expiresAt: expired });
    const res = await req(`${s.url}/api/v1/secrets`, { method: 'POST', json: { ...sealed.body, ttl: 3600 } });
    const { id } = res.json as { id: string };
    const ctx = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC' });
    const p = await ctx.newPage();
    await p.goto(formatSecretLink(s.url, id, sealed.key));
    await p.waitForSelector('#meta:not([hidden])');
    await p.click('#reveal');
    await p.waitForSelector('#gone:not([hidden])');
    expect(await p.textContent('#gone')).toBe('This secret expired on Fri, Jan 2, 2026, 03:04 AM.');
    expect(await p.textContent('body')).not.toContain('stale content');
    // In Berlin the same instant reads an hour later.
    const berlin = await (await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin' })).newPage();
    const again = await sealSecret({ message: 'stale', expiresAt: expired });
    const r2 = await req(`${s.url}/api/v1/secrets`, { method: 'POST', json: { ...again.body, ttl: 3600 } });
    await berlin.goto(formatSecretLink(s.url, (r2.json as { id: string }).id, again.key));
    await berlin.waitForSelector('#meta:not([hidden])');
    await berlin.click('#reveal');
    await berlin.waitForSelector('#gone:not([hidden])');
    expect(await berlin.textContent('#gone')).toMatch(/^This secret expired on Fri,? 2 Jan 2026,? 04:04\.$/);
  });

  it('with a fixed clock the reveal page says "Expires in 23 h 45 min"', async () => {
    const made = await makeSecret(s.url, { ttl: 86_400 });
    const expiresAt = Date.parse(made.created.expiresAt);
    const p = await (await browser.newContext()).newPage();
    // 23 h 45 min and 30 s before the expiry the server gave.
    await p.clock.setFixedTime(new Date(expiresAt - ((23 * 60 + 45) * 60 + 30) * 1000));
    await p.goto(`${s.url}/s/${made.id}#${made.keyB64u}`);
    await p.waitForSelector('#meta:not([hidden])');
    expect(await p.textContent('#meta')).toBe('Expires in 23 h 45 min. It can be opened once.');
  });
});

describe('POST /api/v1/encrypt output opens in the page', () => {
  it('a stored and a stateless link made by the encrypt API reveal in Chromium', async () => {
    const token = b64uEncode(randomBytes(32));
    const tokenHash = createHash('sha256').update(token).digest('hex'); // the parsed form of HUSH_API_TOKENS
    const port = await freePort();
    const s = await startServer({ encryptApi: true, apiTokens: [tokenHash], port, publicUrl: `http://127.0.0.1:${String(port)}` });
    try {
      const auth = { authorization: `Bearer ${token}` };
      for (const mode of ['stored', 'stateless'] as const) {
        const r = await req(`${s.url}/api/v1/encrypt`, { method: 'POST', headers: auth, json: { message: `via encrypt api (${mode})`, mode, ttl: 3600 } });
        expect(r.status, r.text).toBe(200);
        const { link } = r.json as { link: string };
        const p = await (await browser.newContext()).newPage();
        await p.goto(link);
        await p.click('#reveal');
        await p.waitForSelector('#secret:not([hidden])');
        expect(await p.inputValue('#secret-text')).toBe(`via encrypt api (${mode})`);
      }
    } finally {
      await s.close();
    }
  });
});
