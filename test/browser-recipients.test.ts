// Verified recipients in a real Chromium (docs/protocol.md §12): the create page names who may
// open, the reveal page asks for the address and then the code (read from a mail a real SMTP
// server received), a wrong code counts, the right one reveals, and the manage page says the secret
// is restricted. axe finds nothing on the restricted reveal page in either theme.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { axeViolations, launchChromium, screenshots, watchedPage } from './helpers/browser.js';
import { createInPage } from './helpers/pages.js';
import { codeIn, startMailServer, type MailServer } from './helpers/smtp.js';

let browser: Browser;
let smtp: MailServer;
let s: TestServer;
beforeAll(async () => {
  browser = await launchChromium();
  smtp = await startMailServer();
  s = await startServer({ smtpUrl: smtp.url, mailFrom: 'hush@hush.test' });
});
afterAll(async () => {
  await s.close();
  await smtp.close();
  await browser.close();
});

describe('verified recipients in the pages', () => {
  it('create names the people; reveal asks for an address, then a code; a wrong code counts; the right one reveals', async () => {
    const sender = await browser.newContext();
    const w = await watchedPage(sender);
    await w.page.goto(`${s.url}/`);
    await w.page.waitForSelector('#policy:not([hidden])');
    await w.page.evaluate(() => {
      (document.getElementById('more') as HTMLDetailsElement).open = true;
    });
    expect(await w.page.isVisible('#recipients')).toBe(true);
    // A wrong entry is said next to the field, before anything is sent.
    await w.page.fill('#message', 'for alice only');
    await w.page.fill('#recipients', 'alice@example.com, not-an-address');
    await w.page.click('#create');
    await w.page.waitForSelector('#create-error:not([hidden])');
    expect(await w.page.textContent('#create-error')).toMatch(/“not-an-address” is not an e-mail address or an @domain/);
    const { link, manage } = await createInPage(w, s.url, 'for alice only', { recipients: 'alice@example.com, @corp.example' });
    expect(await w.page.textContent('#result-meta')).toMatch(/Only the people you named can open it\./);

    // Reduced motion: the theme switch below is then at once (no colour transition for axe to catch halfway).
    const reader = await browser.newContext({ reducedMotion: 'reduce' });
    const r = await watchedPage(reader);
    await r.page.goto(link);
    await r.page.waitForSelector('#code-form:not([hidden])');
    expect(await r.page.isVisible('#code-field')).toBe(true);
    expect(await r.page.evaluate(() => document.activeElement?.id)).toBe('email');
    for (const scheme of ['light', 'dark'] as const) {
      await r.page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await r.page.waitForTimeout(300); // the buttons' 0.15 s colour transition, should the CSS keep it
      expect(await axeViolations(r.page), scheme).toEqual([]);
    }
    await screenshots(r.page, 'reveal-restricted');

    // Revealing without a code: said, nothing sent.
    await r.page.click('#reveal');
    await r.page.waitForSelector('#reveal-error:not([hidden])');
    expect(await r.page.textContent('#reveal-error')).toMatch(/six-digit code/);

    // An address that is not listed: the same words, and no mail.
    const before = smtp.mails.length;
    await r.page.fill('#email', 'mallory@evil.example');
    await r.page.click('#send-code');
    await r.page.waitForSelector('#code-sent:not([hidden])');
    expect(await r.page.textContent('#code-sent')).toMatch(/If the sender named mallory@evil\.example, a code is on its way/);
    expect(await r.page.textContent('#send-code')).toBe('Send a new code');
    // A listed one gets a code.
    await r.page.fill('#email', 'alice@example.com');
    await r.page.click('#send-code');
    const mail = await smtp.mailTo('alice@example.com', before);
    expect(smtp.mails.slice(before).some((m) => m.to.includes('mallory@evil.example'))).toBe(false);
    const code = codeIn(mail);

    await r.page.fill('#code', code === '000000' ? '111111' : '000000');
    await r.page.click('#reveal');
    await r.page.waitForSelector('#reveal-error:not([hidden])');
    await r.page.waitForFunction(() => /attempts? left/.test(document.getElementById('reveal-error')?.textContent ?? ''));
    expect(await r.page.textContent('#reveal-error')).toMatch(/Wrong or expired code\. 4 attempts left before the secret is destroyed\./);

    await r.page.fill('#code', code);
    await r.page.click('#reveal');
    await r.page.waitForSelector('#secret:not([hidden])');
    expect(await r.page.inputValue('#secret-text')).toBe('for alice only');
    expect(await r.page.isVisible('#code-form')).toBe(false);
    // The wrong code's 403 is the browser's own console line; nothing else went wrong.
    expect(r.errors.filter((e) => !/status of 403/.test(e))).toEqual([]);
    await screenshots(r.page, 'reveal-restricted-open');

    const m = await watchedPage(sender);
    await m.page.goto(manage);
    await m.page.waitForSelector('#status:not([hidden])');
    expect(await m.page.textContent('#opens-for')).toBe('Only the people you named, with a code mailed to them');
    expect(await m.page.isVisible('#opens-for')).toBe(true);
    await sender.close();
    await reader.close();
  });

  it('a plain secret shows neither the address nor the code step', async () => {
    const sender = await browser.newContext();
    const { link } = await createInPage(await watchedPage(sender), s.url, 'for anyone with the link');
    const r = await watchedPage(await browser.newContext());
    await r.page.goto(link);
    await r.page.waitForSelector('#meta:not([hidden])');
    expect(await r.page.isVisible('#code-form')).toBe(false);
    expect(await r.page.isVisible('#code-field')).toBe(false);
    await r.page.click('#reveal');
    await r.page.waitForSelector('#secret:not([hidden])');
    expect(await r.page.inputValue('#secret-text')).toBe('for anyone with the link');
  });
});
