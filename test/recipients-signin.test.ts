// Verified recipients by sign-in (docs/protocol.md §12, "Signed in"), with a real OpenID provider
// (oidc-provider, in this process) and a real SMTP server on loopback. A reader signed in with this
// browser as an address the sender named gets the code in the answer, from a page of this server
// only (its Origin), and no mail goes out; as an address not named, 403 not_recipient; a forged
// cookie, another site or another address get the mailed path's one answer. A server with sign-in
// and no mail server still enforces the restriction: the code goes to signed-in readers only.
// In Chromium: the reveal page's sign-in link, the code filled in, the secret revealed; signed in
// as an address not named, the page's own message in its language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { b64uEncode, sealSecret } from '../src/protocol/index.js';
import { formatSecretLink } from '../src/protocol/links.js';
import { readAuth } from '../src/protocol/secret.js';
import { req } from './helpers/api.js';
import { axeViolations, launchChromium, screenshots, watchedPage, type WatchedPage } from './helpers/browser.js';
import { signInAtProvider, signedIn, startProvider, type TestProvider } from './helpers/oidc-provider.js';
import { freePort, startServer, type TestServer } from './helpers/server.js';
import { startMailServer, type MailServer } from './helpers/smtp.js';
import { verifiesRecipients } from '../src/server/config.js';
import { reveal as deReveal } from '../src/web/i18n/de.js';

const SECRET = 'hush-test-client-secret-0123456789';

let browser: Browser;
let idp: TestProvider;
let smtp: MailServer;
/** With a mail server, and without one (codes to signed-in readers only). */
let mailing: { s: TestServer; publicUrl: string };
let noMail: { s: TestServer; publicUrl: string };

/** A port, and the public URL Hush is told it has there (localhost: another site than the provider's 127.0.0.1). */
async function place(): Promise<{ port: number; publicUrl: string }> {
  const port = await freePort();
  return { port, publicUrl: `http://localhost:${String(port)}` };
}

beforeAll(async () => {
  const [a, b] = await Promise.all([place(), place()]);
  [browser, idp, smtp] = await Promise.all([
    launchChromium(),
    startProvider({ clients: [{ client_id: 'hush', client_secret: SECRET, redirect_uris: [`${a.publicUrl}/auth/callback`, `${b.publicUrl}/auth/callback`] }] }),
    startMailServer(),
  ]);
  const common = { createPolicy: 'oidc', oidcIssuer: idp.issuer, oidcClientId: 'hush', oidcClientSecret: SECRET, sessionKey: b64uEncode(new Uint8Array(32).fill(9)) } as const;
  mailing = { publicUrl: a.publicUrl, s: await startServer({ ...common, port: a.port, publicUrl: a.publicUrl, smtpUrl: smtp.url, mailFrom: 'hush@hush.test' }) };
  noMail = { publicUrl: b.publicUrl, s: await startServer({ ...common, port: b.port, publicUrl: b.publicUrl }) };
});
afterAll(async () => {
  await browser.close();
  await mailing.s.close();
  await noMail.s.close();
  await smtp.close();
  await idp.close();
});

/** A secret for `recipients`, created by a signed-in sender; its id, read token and link. */
async function restricted(at: { s: TestServer; publicUrl: string }, message: string, recipients: string[]): Promise<{ id: string; auth: string; link: string }> {
  const sender = await signedIn(browser, at.s.url, at.publicUrl, 'sender@example.com');
  const sealed = await sealSecret({ message });
  const r = await req(`${at.s.url}/api/v1/secrets`, { method: 'POST', headers: { cookie: sender.cookie, 'x-hush-csrf': sender.csrf }, json: { ...sealed.body, recipients } });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const id = (r.json as { id: string }).id;
  return { id, auth: await readAuth(sealed.key), link: formatSecretLink(at.publicUrl, id, sealed.key) };
}

const askCode = (at: { s: TestServer }, id: string, body: object, headers: Record<string, string> = {}) =>
  req(`${at.s.url}/api/v1/secrets/${id}/code`, { method: 'POST', headers, json: body });

/**
 * On a restricted secret's reveal page (at `mailing`): signs in as `login` through the page's link,
 * which opens the provider in a new tab while the page (and its key) stays, then asks for a code
 * as that address. Answers the count of mails sent before the ask.
 */
async function signInAndAskCode(w: WatchedPage, login: string): Promise<number> {
  const [tab] = await Promise.all([w.page.context().waitForEvent('page'), w.page.click('#code-signin a')]);
  await tab.waitForURL(`${idp.issuer}/**`);
  await signInAtProvider(tab, login);
  await tab.waitForURL(`${mailing.publicUrl}/`);
  await tab.close();
  w.errors.length = 0; // the provider's pages log what is not ours (their web font)
  const mark = smtp.mails.length;
  await w.page.fill('#email', login);
  await w.page.click('#send-code');
  return mark;
}

describe('recipients verified by sign-in', () => {
  it('signed in as a named address, from a page of this server: the code in the answer, no mail; it opens the secret once', async () => {
    const s = await restricted(mailing, 'for bob by sign-in', ['bob@example.com', '@corp.example']);
    const bob = await signedIn(browser, mailing.s.url, mailing.publicUrl, 'bob@example.com');
    const peek = await req(`${mailing.s.url}/api/v1/secrets/${s.id}/peek`, { method: 'POST', json: { auth: s.auth } });
    expect(peek.json).toMatchObject({ restricted: true, signIn: true });
    const mark = smtp.mails.length;
    const given = await askCode(mailing, s.id, { auth: s.auth, email: ' Bob@Example.com' }, { cookie: bob.cookie, origin: mailing.publicUrl });
    expect(given.status).toBe(200);
    expect(given.json).toEqual({ sent: false, code: expect.stringMatching(/^[0-9]{6}$/) as unknown, expiresIn: 600 });
    const code = (given.json as { code: string }).code;
    const consume = (body: object) => req(`${mailing.s.url}/api/v1/secrets/${s.id}/consume`, { method: 'POST', json: { auth: s.auth, ...body } });
    expect((await consume({})).status).toBe(403); // code_required: the sign-in is no bypass of the code
    const read = await consume({ code });
    expect(read.status).toBe(200);
    expect((read.json as { ciphertext: string }).ciphertext.length).toBeGreaterThan(0);
    expect((await consume({ code })).status).toBe(404);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.length).toBe(mark);
  });

  it('signed in as an address not named: 403 not_recipient, nothing stored, no mail; the secret still opens for a named one', async () => {
    const s = await restricted(mailing, 'not for dave', ['bob@example.com']);
    const dave = await signedIn(browser, mailing.s.url, mailing.publicUrl, 'dave@other.example');
    const mark = smtp.mails.length;
    const refused = await askCode(mailing, s.id, { auth: s.auth, email: 'dave@other.example' }, { cookie: dave.cookie, origin: mailing.publicUrl });
    expect(refused.status).toBe(403);
    expect((refused.json as { error: { code: string; message: string } }).error).toMatchObject({ code: 'not_recipient', message: expect.stringMatching(/signed in as dave@other\.example/) as unknown });
    // A wrong read token is still 404 first: the sign-in learns nothing of a link it does not hold.
    const wrongAuth = await askCode(mailing, s.id, { auth: b64uEncode(new Uint8Array(32)), email: 'dave@other.example' }, { cookie: dave.cookie, origin: mailing.publicUrl });
    expect(wrongAuth.status).toBe(404);
    const bob = await signedIn(browser, mailing.s.url, mailing.publicUrl, 'bob@example.com');
    const given = await askCode(mailing, s.id, { auth: s.auth, email: 'bob@example.com' }, { cookie: bob.cookie, origin: mailing.publicUrl });
    expect(given.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.length).toBe(mark);
  });

  it('from another site, without an Origin, for another address, or with a forged cookie: the mailed path and its one answer', async () => {
    const s = await restricted(mailing, 'only by mail here', ['bob@example.com', '@corp.example']);
    const bob = await signedIn(browser, mailing.s.url, mailing.publicUrl, 'bob@example.com');
    const forged = `${bob.cookie.slice(0, -4)}AAAA`;
    const cases: [Record<string, string>, string][] = [
      [{ cookie: bob.cookie, origin: 'http://evil.example' }, 'bob@example.com'],
      [{ cookie: bob.cookie }, 'bob@example.com'],
      [{ cookie: bob.cookie, origin: mailing.publicUrl }, 'carol@corp.example'],
      [{ cookie: forged, origin: mailing.publicUrl }, 'bob@example.com'],
    ];
    for (const [headers, email] of cases) {
      const mark = smtp.mails.length;
      const r = await askCode(mailing, s.id, { auth: s.auth, email }, headers);
      expect(r.status, JSON.stringify(headers)).toBe(202);
      expect(r.json).toEqual({ sent: true, expiresIn: 600 });
      const mail = await smtp.mailTo(email, mark);
      expect(mail.text).toContain('Your code:');
    }
  });

  it('a server with sign-in and no mail server: restricted secrets are made, and only a signed-in named reader gets a code', async () => {
    const info = await req(`${noMail.s.url}/api/v1/info`);
    expect(info.json).toMatchObject({ recipients: true });
    const s = await restricted(noMail, 'sign-in only', ['bob@example.com']);
    const anonymous = await askCode(noMail, s.id, { auth: s.auth, email: 'bob@example.com' });
    expect(anonymous.status).toBe(400);
    expect((anonymous.json as { error: { message: string } }).error.message).toMatch(/sends no codes by mail\. Sign in/);
    const consume = await req(`${noMail.s.url}/api/v1/secrets/${s.id}/consume`, { method: 'POST', json: { auth: s.auth } });
    expect((consume.json as { error: { code: string } }).error.code).toBe('code_required');
    const bob = await signedIn(browser, noMail.s.url, noMail.publicUrl, 'bob@example.com');
    const given = await askCode(noMail, s.id, { auth: s.auth, email: 'bob@example.com' }, { cookie: bob.cookie, origin: noMail.publicUrl });
    expect(given.status).toBe(200);
    const read = await req(`${noMail.s.url}/api/v1/secrets/${s.id}/consume`, { method: 'POST', json: { auth: s.auth, code: (given.json as { code: string }).code } });
    expect(read.status).toBe(200);
  });

  it('in Chromium: the reveal page links to the sign-in; signed in, the code is filled in and the secret opens', async () => {
    const s = await restricted(mailing, 'the vault password, for bob', ['bob@example.com']);
    const context = await browser.newContext({ reducedMotion: 'reduce' });
    const w = await watchedPage(context);
    const page = w.page;
    await page.goto(s.link);
    await page.waitForSelector('#code-form:not([hidden])');
    expect(await page.isVisible('#code-signin')).toBe(true);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
      await page.waitForTimeout(300);
      expect(await axeViolations(page), scheme).toEqual([]);
    }
    await screenshots(page, 'reveal-restricted-signin');
    const mark = await signInAndAskCode(w, 'bob@example.com');
    await expect.poll(() => page.inputValue('#code')).toMatch(/^[0-9]{6}$/);
    expect(await page.textContent('#code-sent')).toMatch(/Signed in as bob@example\.com: the code is filled in/);
    await screenshots(page, 'reveal-restricted-code-given');
    await page.click('#reveal');
    await page.waitForSelector('#secret:not([hidden])');
    expect(await page.inputValue('#secret-text')).toBe('the vault password, for bob');
    expect(smtp.mails.length).toBe(mark);
    expect(w.errors).toEqual([]);
    await context.close();
  });

  it('in Chromium, in German: signed in as an address not named, the page says so in its language and nothing is mailed', async () => {
    const s = await restricted(mailing, 'not for dave either', ['bob@example.com']);
    const context = await browser.newContext({ reducedMotion: 'reduce', locale: 'de-DE' });
    const w = await watchedPage(context);
    const page = w.page;
    await page.goto(s.link);
    await page.waitForSelector('#code-form:not([hidden])');
    const mark = await signInAndAskCode(w, 'dave@other.example');
    await page.waitForSelector('#code-error:not([hidden])');
    expect(await page.textContent('#code-error')).toBe(deReveal.notRecipient('dave@other.example'));
    expect(await page.inputValue('#code')).toBe('');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.mails.length).toBe(mark);
    // The one thing logged: Chromium's own line for the refused request (403).
    expect(w.errors).toEqual([expect.stringMatching(/status of 403/)]);
    await context.close();
  });

  it('which servers verify recipients: a mail server, or sign-in — on a shared store only with HUSH_RECIPIENT_KEY, so no process hashes with a key of its own', () => {
    const pg = { kind: 'postgres', url: 'postgres://db/hush', schema: 'public' } as const;
    const sqlite = { kind: 'sqlite', path: '/var/lib/hush/hush.db' } as const;
    const base = { smtpUrl: null, createPolicy: 'oidc', publicUrl: 'https://hush.example', recipientKey: '' } as const;
    expect(verifiesRecipients({ ...base, store: sqlite })).toBe(true);
    expect(verifiesRecipients({ ...base, store: pg })).toBe(false);
    expect(verifiesRecipients({ ...base, store: pg, recipientKey: 'k'.repeat(32) })).toBe(true);
    expect(verifiesRecipients({ ...base, createPolicy: 'open', store: sqlite })).toBe(false);
    expect(verifiesRecipients({ ...base, createPolicy: 'open', smtpUrl: 'smtp://127.0.0.1:25', store: pg })).toBe(true);
  });
});
