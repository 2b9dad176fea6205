// The pages in a real Chromium against a real server (real port, real SQLite file).
import { createHash } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort, startServer, type TestServer } from './helpers/server.js';
import { makeSecret, req } from './helpers/api.js';
import { launchChromium, watchedPage, type WatchedPage } from './helpers/browser.js';
import { deriveLinkKeys, sealContainer, sealSecret, utf8Encode, b64uEncode, randomBytes, formatSecretLink } from '../src/protocol/index.js';
import { sealLink } from '../src/lib.js';
import { hush } from './helpers/cli.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());

/** Fills the create form and returns the link and manage link the page shows. */
async function createInPage(
  w: WatchedPage,
  base: string,
  message: string,
  options: { passphrase?: string; views?: number; stateless?: boolean; ttl?: string } = {},
): Promise<{ link: string; manage: string }> {
  const { page } = w;
  await page.goto(`${base}/`);
  await page.waitForSelector('#policy:not([hidden])');
  await page.fill('#message', message);
  if (options.stateless === true) await page.check('input[name="kind"][value="stateless"]');
  if (options.ttl !== undefined) await page.selectOption('#ttl', options.ttl);
  if (options.views !== undefined) await page.fill('#views', String(options.views));
  if (options.passphrase !== undefined) {
    await page.evaluate(() => {
      (document.getElementById('more') as HTMLDetailsElement).open = true;
    });
    await page.fill('#passphrase', options.passphrase);
  }
  await page.click('#create');
  await page.waitForSelector('#result:not([hidden]), #create-error:not([hidden])');
  const error = await page.locator('#create-error').textContent();
  expect(await page.isVisible('#result'), `create failed: ${error ?? ''}`).toBe(true);
  return { link: await page.inputValue('#link'), manage: await page.inputValue('#manage-link') };
}

/** Opens a stored-secret link in its own browser context and reveals it. */
async function revealInPage(context: BrowserContext, link: string, passphrase?: string): Promise<{ w: WatchedPage; text: string }> {
  const w = await watchedPage(context);
  await w.page.goto(link);
  await w.page.waitForSelector('#meta:not([hidden]), #gone:not([hidden])');
  if (passphrase !== undefined) await w.page.fill('#passphrase', passphrase);
  await w.page.click('#reveal');
  await w.page.waitForSelector('#secret:not([hidden])');
  return { w, text: await w.page.inputValue('#secret-text') };
}

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

  it('after pagehide ended its crypto worker (back/forward cache), the page starts a new one: creating again works', async () => {
    const w = await watchedPage(await browser.newContext());
    await createInPage(w, s.url, 'first');
    // What leaving the page does; the page may come back from the back/forward cache.
    await w.page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    await w.page.click('#again');
    await w.page.fill('#message', 'second, after the worker was stopped');
    await w.page.click('#create');
    await w.page.waitForSelector('#result:not([hidden]), #create-error:not([hidden])');
    // The worker's script URL goes through the one Trusted Types policy, which may be made once.
    expect(await w.page.textContent('#create-error')).toBe('');
    expect(await w.page.isVisible('#result')).toBe(true);
    expect(w.errors).toEqual([]);
    expect(await w.violations()).toEqual([]);
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

  it('Trusted Types are enforced: no HTML sink takes a string, and no script can make another policy', async () => {
    const w = await watchedPage(await browser.newContext());
    // After a create the page has made its one policy (for the proof-of-work worker).
    await createInPage(w, s.url, 'tt check');
    const result = await w.page.evaluate(() => {
      const tries: Record<string, string> = {};
      const attempt = (name: string, f: () => unknown): void => {
        try {
          f();
          tries[name] = 'allowed';
        } catch (e) {
          tries[name] = (e as Error).name;
        }
      };
      const tt = (globalThis as unknown as { trustedTypes: { createPolicy: (n: string, r: object) => unknown } }).trustedTypes;
      attempt('innerHTML', () => {
        document.body.insertAdjacentHTML('beforeend', '<img src=x>');
      });
      attempt('script src', () => {
        document.createElement('script').src = 'https://example.invalid/x.js';
      });
      attempt('another policy', () => tt.createPolicy('attacker', { createHTML: (x: string) => x }));
      attempt('the worker policy again', () => tt.createPolicy('hush-worker', { createScriptURL: (x: string) => x }));
      return tries;
    });
    expect(result).toEqual({ innerHTML: 'TypeError', 'script src': 'TypeError', 'another policy': 'TypeError', 'the worker policy again': 'TypeError' });
    expect(await w.page.locator('img').count()).toBe(0);
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

  it('works by keyboard alone: Ctrl+Enter creates, the focused button reveals', async () => {
    const w = await watchedPage(await browser.newContext());
    await w.page.goto(`${s.url}/`);
    await w.page.waitForSelector('#policy:not([hidden])');
    await w.page.focus('#message');
    await w.page.keyboard.type('typed by keyboard');
    await w.page.keyboard.press('Control+Enter');
    await w.page.waitForSelector('#result:not([hidden])');
    // Focus moved to the result; Tab reaches the link field and its Copy button.
    const link = await w.page.inputValue('#link');
    const r = await (await browser.newContext()).newPage();
    await r.goto(link);
    await r.waitForSelector('#meta:not([hidden])');
    expect(await r.evaluate(() => document.activeElement?.id)).toBe('reveal');
    await r.keyboard.press('Enter');
    await r.waitForSelector('#secret:not([hidden])');
    expect(await r.inputValue('#secret-text')).toBe('typed by keyboard');
  });

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

describe('small screens, wrong links, passphrases, not-before, newer envelopes and stateless links in Chromium', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ passphraseAttempts: 3 });
  });
  afterAll(() => s.close());

  it('every page is usable at 320 px: nothing wider than the screen', async () => {
    const ctx = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const made = await makeSecret(s.url);
    const paths = ['/', `/s/${made.id}#${made.keyB64u}`, `/m/${made.id}#${made.manageToken}`, '/l#1.x', '/nothing-here'];
    for (const path of paths) {
      const p = await ctx.newPage();
      await p.goto(`${s.url}${path}`);
      await p.waitForLoadState('networkidle');
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      expect(width, path).toBeLessThanOrEqual(320);
      await p.close();
    }
  });

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

describe('operator policies are shown in the page', () => {
  it('creation switched off: the form is disabled and says why; reading keeps working', async () => {
    const s = await startServer({ createPolicy: 'off' });
    try {
      const p = await (await browser.newContext()).newPage();
      await p.goto(`${s.url}/`);
      await p.waitForSelector('#create-off:not([hidden])');
      expect(await p.textContent('#create-off')).toMatch(/switched off/);
      expect(await p.isDisabled('#create')).toBe(true);
    } finally {
      await s.close();
    }
  });

  it('passphrase required: the page marks it required and refuses to create without one', async () => {
    const s = await startServer({ requirePassphrase: true });
    try {
      const w = await watchedPage(await browser.newContext());
      await w.page.goto(`${s.url}/`);
      await w.page.waitForSelector('#policy:not([hidden])');
      expect(await w.page.textContent('#policy')).toMatch(/requires a passphrase/);
      expect(await w.page.textContent('#passphrase-optional')).toBe('(required on this server)');
      await w.page.fill('#message', 'x');
      await w.page.click('#create');
      await w.page.waitForSelector('#create-error:not([hidden])');
      expect(await w.page.textContent('#create-error')).toBe('This server requires a passphrase.');
      const { link } = await createInPage(w, s.url, 'guarded', { passphrase: 'p' });
      expect((await revealInPage(await browser.newContext(), link, 'p')).text).toBe('guarded');
    } finally {
      await s.close();
    }
  });
});

describe('CLI ↔ browser, both ways', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ challenge: 'pow' });
  });
  afterAll(() => s.close());

  it('a secret sent with the CLI through a pipe reveals in the page', async () => {
    const sent = await hush(['send', '--ttl', '1h', '--server', s.url], { input: 'from the terminal\n' });
    expect(sent.code, sent.stderr).toBe(0);
    const link = sent.stdout.trim();
    const { text } = await revealInPage(await browser.newContext(), link);
    expect(text).toBe('from the terminal\n');
    expect((await hush(['open', link])).code).toBe(1);
  });

  it('a secret made in the page opens with the CLI, and the page then shows it as read', async () => {
    const w = await watchedPage(await browser.newContext());
    const { link, manage } = await createInPage(w, s.url, 'from the browser ✓');
    const opened = await hush(['open'], { input: link });
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toBe('from the browser ✓');
    const status = await hush(['status', manage]);
    expect(status.stdout).toMatch(/read|consumed/i);
    const p = await (await browser.newContext()).newPage();
    await p.goto(link);
    await p.waitForSelector('#gone:not([hidden])');
  });

  it('stateless links and passphrases cross over too', async () => {
    const sealed = await hush(['seal', '--ttl', '1h', '--server', s.url], { input: 'sealed in the terminal', env: { HUSH_PASSPHRASE: 'two words' } });
    expect(sealed.code, sealed.stderr).toBe(0);
    const r = await watchedPage(await browser.newContext());
    await r.page.goto(sealed.stdout.trim());
    await r.page.fill('#passphrase', 'two words');
    await r.page.click('#reveal');
    await r.page.waitForSelector('#secret:not([hidden])');
    expect(await r.page.inputValue('#secret-text')).toBe('sealed in the terminal');

    const w = await watchedPage(await browser.newContext());
    const made = await createInPage(w, s.url, 'stateless from the page', { stateless: true, ttl: '3600' });
    const unsealed = await hush(['unseal'], { input: made.link });
    expect(unsealed.code, unsealed.stderr).toBe(0);
    expect(unsealed.stdout).toBe('stateless from the page');

    const { link } = await createInPage(w, s.url, 'page with passphrase', { passphrase: 'open sesame' });
    const opened = await hush(['open', link], { env: { HUSH_PASSPHRASE: 'open sesame' } });
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.stdout).toBe('page with passphrase');
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

// jsqr is CommonJS whose module.exports is the function itself.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

/** Draws the page's QR code (#qr svg) on a canvas, as a camera would see it, and decodes it. */
async function decodeQr(page: Page): Promise<string | null> {
  const image = await page.evaluate(async () => {
    const svg = document.querySelector('#qr svg');
    if (svg === null) throw new Error('no QR code on the page');
    const side = Number(svg.getAttribute('viewBox')?.split(' ')[2]) * 4;
    const img = new Image(side, side);
    img.src = `data:image/svg+xml,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = side;
    canvas.height = side;
    const g = canvas.getContext('2d');
    if (g === null) throw new Error('no 2d canvas');
    g.drawImage(img, 0, 0, side, side);
    // Black and white only: one byte (the red channel) per pixel, base64 for the trip out.
    const rgba = g.getImageData(0, 0, side, side).data;
    let red = '';
    for (let i = 0; i < rgba.length; i += 4) red += String.fromCharCode(rgba[i]!);
    return { side, red: btoa(red) };
  });
  const red = Buffer.from(image.red, 'base64');
  const rgba = new Uint8ClampedArray(red.length * 4);
  red.forEach((v, i) => {
    rgba.set([v, v, v, 255], i * 4);
  });
  return jsQR(rgba, image.side, image.side)?.data ?? null;
}

describe('sharing: the link shortened on screen, copied whole, as a QR code; the passphrase hint', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  /** A page whose clipboard writes are recorded in window.__copied. */
  async function copyingPage(): Promise<WatchedPage> {
    const w = await watchedPage(await browser.newContext({ permissions: ['clipboard-write'] }));
    await w.page.addInitScript(() => {
      const copied: string[] = [];
      (window as unknown as { __copied: string[] }).__copied = copied;
      const write = navigator.clipboard.writeText.bind(navigator.clipboard);
      navigator.clipboard.writeText = (text: string) => {
        copied.push(text);
        return write(text);
      };
    });
    return w;
  }

  it('shows origin/s/abcdef…wxyz, copies the whole link and manage link, and its QR code decodes to the whole link', async () => {
    const w = await copyingPage();
    const { page } = w;
    const { link, manage } = await createInPage(w, s.url, 'shared by QR');
    const [, id, key] = /\/s\/([^#]+)#(.+)$/.exec(link)!;
    const host = new URL(s.url).host;
    expect(await page.textContent('#link-short')).toBe(`${host}/s/${id!.slice(0, 6)}…${key!.slice(-4)}`);
    expect(await page.textContent('#manage-short')).toMatch(new RegExp(`^${host}/m/${id!.slice(0, 6)}…[A-Za-z0-9_-]{4}$`));
    // The whole link is one click away, not on screen; the key's middle is nowhere visible.
    expect(await page.isVisible('#link')).toBe(false);
    expect(await page.locator('main').innerText()).not.toContain(key!.slice(4, -4));
    // No passphrase, no hint about sending it separately.
    expect(await page.isVisible('#channel-hint')).toBe(false);

    await page.click('#copy-link');
    await page.waitForFunction(() => document.getElementById('announce')?.textContent !== '');
    expect(await page.textContent('#copy-link')).toBe('Copied ✓');
    expect(await page.textContent('#announce')).toBe('Link copied to the clipboard.');
    await page.click('#copy-manage');
    await page.waitForFunction(() => (window as unknown as { __copied: string[] }).__copied.length === 2);
    expect(await page.evaluate(() => (window as unknown as { __copied: string[] }).__copied)).toEqual([link, manage]);

    // The QR code: generated in the page (no request left the origin), and it scans as the link.
    expect(await page.isVisible('#qr svg')).toBe(false);
    await page.click('#qr-details summary');
    expect(await page.isVisible('#qr svg')).toBe(true);
    expect(await page.getAttribute('#qr svg', 'aria-label')).toBe('QR code of the link for the recipient');
    expect(await decodeQr(page)).toBe(link);
    expect(await w.violations()).toEqual([]);
    expect(w.errors).toEqual([]);

    // "Share another secret" takes the links and the code off the page.
    await page.click('#again');
    expect(await page.inputValue('#link')).toBe('');
    expect(await page.locator('#qr svg').count()).toBe(0);
    expect(await page.textContent('#copy-link')).toBe('Copy link');
  });

  it('a stateless link near its length limit still gives a QR code that scans', async () => {
    const w = await copyingPage();
    const message = 'x'.repeat(1100);
    const { link } = await createInPage(w, s.url, message, { stateless: true });
    expect(link.length).toBeGreaterThan(1500);
    const body = link.split('#1.')[1]!;
    expect(await w.page.textContent('#link-short')).toBe(`${new URL(s.url).host}/l#1.${body.slice(0, 6)}…${body.slice(-4)}`);
    await w.page.click('#qr-details summary');
    expect(await w.page.getAttribute('#qr svg', 'class')).toBe('qr qr-dense');
    expect(await decodeQr(w.page)).toBe(link);
  });

  it('with a passphrase, the result says to send it another way; Ctrl+Enter creates from any field', async () => {
    const w = await copyingPage();
    const { page } = w;
    await page.goto(`${s.url}/`);
    await page.waitForSelector('#policy:not([hidden])');
    await page.fill('#message', 'guarded');
    await page.click('#more summary');
    await page.fill('#passphrase', 'correct horse');
    await page.focus('#passphrase');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('#result:not([hidden])');
    expect(await page.textContent('#channel-hint')).toMatch(/^Send the passphrase another way than the link/);
    expect(await page.isVisible('#channel-hint')).toBe(true);
    // The form no longer holds the secret or the passphrase.
    expect(await page.inputValue('#message')).toBe('');
    expect(await page.inputValue('#passphrase')).toBe('');
  });
});

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
