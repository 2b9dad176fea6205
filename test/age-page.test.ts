// The age page (/a, docs/protocol.md §14): a secret whose link key is wrapped to the reader's age
// key, opened in Chromium with the reader's identity file. Real parts only: a real server, keys
// made by age-keygen, secrets sent with the client's sendToAge. The file is read in the page and
// the key unwrapped there before any request: a wrong or unusable file ends in a message with
// nothing sent, and the secret's manage link still says it waits, unread. The right file hands a
// plain key link to the reveal page, which takes the key out of the address bar as it loads.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Encrypter, generateHybridIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { startServer, tempDir, type TestServer } from './helpers/server.js';
import { axeViolations, launchChromium, watchedPage, type WatchedPage } from './helpers/browser.js';
import { sendSecretToAge } from '../src/client/flows.js';
import { secretStatus } from '../src/lib.js';

const AGE_KEYGEN = '/usr/bin/age-keygen';

let browser: Browser;
let s: TestServer;
let ctx: BrowserContext;
let dir: string;
/** Identity files made by age-keygen: the one the secrets are sent to, and another. */
let right: { file: string; recipient: string };
let wrong: { file: string; recipient: string };

function keygen(name: string): { file: string; recipient: string } {
  const file = join(dir, name);
  execFileSync(AGE_KEYGEN, ['-o', file], { stdio: 'ignore' });
  return { file, recipient: execFileSync(AGE_KEYGEN, ['-y', file], { encoding: 'utf8' }).trim() };
}

/** A file in the test directory, for the page's file input. */
function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  [browser, s] = await Promise.all([launchChromium(), startServer()]);
  ctx = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
  dir = tempDir('hush-age-page-');
  right = keygen('key.txt');
  wrong = keygen('other.txt');
});
afterAll(async () => {
  await browser.close();
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (message: string) => sendSecretToAge({ server: s.url, message, ttl: 3600, to: [right.recipient] });
const state = async (manageLink: string) => {
  const st = await secretStatus(manageLink);
  return { state: st.state, viewsLeft: st.viewsLeft };
};
const UNREAD = { state: 'pending', viewsLeft: 1 };

/** What the page sends from now on: every call to the API, and any other request but a GET (an upload would be one). */
function apiCalls(w: WatchedPage): string[] {
  const calls: string[] = [];
  w.page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/') || r.method() !== 'GET') calls.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  return calls;
}

/** Chooses `path` in the page's file input, presses Unlock, and waits for the page to answer. */
async function unlockWith(w: WatchedPage, path: string): Promise<void> {
  await w.page.setInputFiles('#identity', path);
  await w.page.click('#unlock');
  await w.page.waitForSelector('#identity-error:not([hidden]), #meta:not([hidden]), #gone:not([hidden])');
}

async function expectClean(w: WatchedPage): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await w.page.emulateMedia({ colorScheme: scheme });
    await w.page.waitForTimeout(300);
    expect(await axeViolations(w.page), scheme).toEqual([]);
  }
  await w.page.emulateMedia({ colorScheme: 'light' });
  expect(await w.violations()).toEqual([]);
  expect(w.errors).toEqual([]);
}

describe('the age page', () => {
  it('from the reveal page of an age link: a wrong identity and a file that is no identity are refused with nothing sent; the right one hands over to the reveal page, which reveals the secret', async () => {
    const sent = await send('opened with my age key');
    const w = await watchedPage(ctx);
    const calls = apiCalls(w);
    // Every request of the page, with its body: the identity's secret key must be in none.
    const requests: string[] = [];
    w.page.on('request', (r) => requests.push(`${r.url()} ${r.postData() ?? ''}`));
    await w.page.goto(sent.link);
    await w.page.waitForSelector('#gone:not([hidden])');
    expect(await w.page.textContent('#gone')).toBe('This secret is encrypted to your own age key: open it with “hush open --identity FILE”.');
    expect(await w.page.textContent('#age-link')).toBe('Open it here with your age identity file');
    expect(await w.page.getAttribute('#age-link', 'href')).toBe(`../a#${encodeURIComponent(sent.link)}`);
    expect(await w.page.isVisible('#combine-link')).toBe(false);
    expect(w.page.url()).toBe(sent.link); // left there for hush open --identity

    await w.page.click('#age-link');
    await w.page.waitForSelector('#identity-form:not([hidden])');
    expect(new URL(w.page.url()).pathname).toBe('/a');
    expect(new URL(w.page.url()).hash).toBe(''); // the link left the address bar at once
    expect(await w.page.textContent('h1')).toBe('A secret encrypted to your age key');
    expect(await w.page.textContent('main')).toContain('“hush open --identity FILE”');
    expect(await w.page.evaluate(() => document.activeElement?.id)).toBe('identity');
    await expectClean(w);
    const entries = await w.page.evaluate(() => history.length);

    // Nothing chosen, then another age-keygen key: said on the page; nothing sent, nothing used up.
    await w.page.click('#unlock');
    await w.page.waitForSelector('#identity-error:not([hidden])');
    expect(await w.page.textContent('#identity-error')).toBe('Choose your age identity file first.');
    await unlockWith(w, wrong.file);
    expect(await w.page.textContent('#identity-error')).toMatch(/^This identity does not open this secret: it was encrypted to another age key\./);
    expect(await w.page.inputValue('#identity')).toBe(''); // the file is not kept
    await expectClean(w);
    // A file that is not an identity: the recipient (public key) line, and plain text.
    await unlockWith(w, file('recipient.txt', `${right.recipient}\n`));
    expect(await w.page.textContent('#identity-error')).toMatch(/^This file holds no age identity\./);
    await unlockWith(w, file('notes.txt', 'db password: hunter2\n'));
    expect(await w.page.textContent('#identity-error')).toMatch(/^This file holds no age identity\./);
    expect(calls).toEqual([]);
    expect(await state(sent.manageLink)).toEqual(UNREAD);

    // The right key: the reveal page of the same secret, with the key already out of the address bar.
    const addresses: string[] = [];
    w.page.on('framenavigated', (f) => {
      if (f === w.page.mainFrame()) addresses.push(f.url());
    });
    await unlockWith(w, right.file);
    await w.page.waitForSelector('#meta:not([hidden])');
    expect(new URL(w.page.url()).pathname).toBe(`/s/${sent.id}`);
    expect(new URL(w.page.url()).hash).toBe('');
    // The plain key link the age page handed over, then, as soon as the reveal page ran, the same address without the key.
    expect(addresses.map((a) => a.replace(/#[A-Za-z0-9_-]{43}$/, '#KEY'))).toEqual([`${s.url}/s/${sent.id}#KEY`, `${s.url}/s/${sent.id}`]);
    // location.replace: the age page left no entry in the history.
    expect(await w.page.evaluate(() => history.length)).toBe(entries);
    expect(calls).toEqual([`POST /api/v1/secrets/${sent.id}/peek`]);
    expect(await state(sent.manageLink)).toEqual(UNREAD);
    await w.page.click('#reveal');
    await w.page.waitForSelector('#secret:not([hidden])');
    expect(await w.page.inputValue('#secret-text')).toBe('opened with my age key');
    expect(new URL(w.page.url()).hash).toBe('');
    expect((await state(sent.manageLink)).state).toBe('consumed');
    const secretKeys = [right.file, wrong.file].map((f) => /^AGE-SECRET-KEY-1[0-9A-Z]+$/m.exec(readFileSync(f, 'utf8'))![0]);
    expect(requests.filter((r) => secretKeys.some((k) => r.toUpperCase().includes(k) || r.includes(encodeURIComponent(k))))).toEqual([]);
    expect(await w.violations()).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  it('identity files it cannot use end in a message each, nothing sent: post-quantum, passphrase-protected, SSH, plugin, empty; the right one still opens after', async () => {
    // Sent to a post-quantum key too: its stanza is in the link, and the page's X25519 identity passes over it.
    const pq = await generateHybridIdentity();
    const sent = await sendSecretToAge({ server: s.url, message: 'still there', ttl: 3600, to: [await identityToRecipient(pq), right.recipient] });
    const w = await watchedPage(ctx);
    const calls = apiCalls(w);
    await w.page.goto(`${s.url}/a#${encodeURIComponent(sent.link)}`);
    await w.page.waitForSelector('#identity-form:not([hidden])');
    const identity = readFileSync(right.file, 'utf8');
    // An identity file encrypted with a passphrase, as `age -p` writes one (binary) and `age -a -p` (armored).
    const encrypter = new Encrypter();
    encrypter.setPassphrase('correct horse');
    encrypter.setScryptWorkFactor(10);
    const protectedFile = await encrypter.encrypt(identity);
    const cases: [string, string | Uint8Array, RegExp][] = [
      ['pq.txt', `# a post-quantum key\n${pq}\n`, /^Post-quantum age identities \(“AGE-SECRET-KEY-PQ-1…”\) open only with “hush open --identity FILE”, not in the browser\./],
      ['key.age', protectedFile, /^This identity file is protected by a passphrase/],
      ['key.age.txt', '-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n', /^This identity file is protected by a passphrase/],
      ['id_ed25519', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n', /^This is an SSH key\./],
      ['plugin.txt', 'AGE-PLUGIN-YUBIKEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ\n', /^Plugin identities \(“AGE-PLUGIN-…”\) are not supported\./],
      ['empty.txt', '# only a comment\n\n', /^This file holds no age identity\./],
    ];
    for (const [name, content, message] of cases) {
      await unlockWith(w, file(name, content));
      expect(await w.page.textContent('#identity-error'), name).toMatch(message);
      expect(await w.page.textContent('#identity-error'), name).toMatch(/Nothing was used up\.$/);
    }
    expect(w.errors).toEqual([]); // a clear message each, no uncaught error
    expect(calls).toEqual([]);
    expect(await state(sent.manageLink)).toEqual(UNREAD);
    await unlockWith(w, right.file);
    await w.page.click('#reveal');
    await w.page.waitForSelector('#secret:not([hidden])');
    expect(await w.page.inputValue('#secret-text')).toBe('still there');
  });

  it('refuses, with nothing sent: no link, a link of another server, a link that is no age link, a damaged age file; leaving the page forgets the link', async () => {
    const sent = await send('refusals');
    const w = await watchedPage(ctx);
    const calls = apiCalls(w);
    // A new document each time: from /a to /a#… would only change the fragment of the page already there.
    const openAgePage = async (fragment: string): Promise<void> => {
      await w.page.goto('about:blank');
      await w.page.goto(`${s.url}/a${fragment === '' ? '' : `#${encodeURIComponent(fragment)}`}`);
    };
    const refused = async (fragment: string, message: RegExp): Promise<void> => {
      await openAgePage(fragment);
      await w.page.waitForSelector('#gone:not([hidden])');
      expect(await w.page.textContent('#gone')).toMatch(message);
      expect(await w.page.isVisible('#identity-form')).toBe(false);
      expect(new URL(w.page.url()).hash).toBe('');
    };
    await refused('', /^There is no link here to open\./);
    await refused(sent.link.replace(s.url, 'https://hush.example.com'), /^This secret belongs to another Hush server: open its link there\.$/);
    await refused(`${s.url}/s/${sent.id}#${'A'.repeat(43)}`, /^This is not the link of a secret encrypted to an age key/);
    await refused('not a link', /^This is not the link of a secret encrypted to an age key/);
    await expectClean(w);

    // An age file cut short: the identity matches its header, but the file does not decrypt.
    const [base, fragment] = sent.link.split('#age.') as [string, string];
    const cut = Buffer.from(fragment, 'base64url').subarray(0, -10).toString('base64url');
    await openAgePage(`${base}#age.${cut}`);
    await w.page.waitForSelector('#identity-form:not([hidden])');
    await unlockWith(w, right.file);
    expect(await w.page.textContent('#identity-error')).toMatch(/^The age file in this link is damaged\./);

    // Leaving the page (or the back/forward cache keeping it) takes the link out of it.
    await openAgePage(sent.link);
    await w.page.waitForSelector('#identity-form:not([hidden])');
    await w.page.setInputFiles('#identity', right.file);
    await w.page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    expect(await w.page.isVisible('#identity-form')).toBe(false);
    expect(await w.page.textContent('#gone')).toMatch(/^The link was removed from this page when you left it\./);
    expect(await w.page.inputValue('#identity')).toBe('');
    expect(calls).toEqual([]);
    expect(await state(sent.manageLink)).toEqual(UNREAD);
    await expectClean(w);
  });

  it('an instance under a path prefix: the hand-over stays under it', async () => {
    const sent = await send('under a prefix');
    const w = await watchedPage(ctx);
    // The same server seen under /hush/: each request is passed on without the prefix.
    await w.page.route('https://prefixed.test/hush/**', async (route) => {
      const url = new URL(route.request().url());
      const res = await route.fetch({ url: `${s.url}${url.pathname.slice('/hush'.length)}${url.search}` });
      await route.fulfill({ response: res });
    });
    const link = sent.link.replace(s.url, 'https://prefixed.test/hush');
    await w.page.goto(link);
    await w.page.waitForSelector('#age-link');
    await w.page.click('#age-link');
    await w.page.waitForSelector('#identity-form:not([hidden])');
    expect(new URL(w.page.url()).pathname).toBe('/hush/a');
    await unlockWith(w, right.file);
    await w.page.waitForSelector('#meta:not([hidden])');
    expect(w.page.url()).toBe(`https://prefixed.test/hush/s/${sent.id}`);
    await w.page.click('#reveal');
    await w.page.waitForSelector('#secret:not([hidden])');
    expect(await w.page.inputValue('#secret-text')).toBe('under a prefix');
  });
});

describe('the age page\'s bundle', () => {
  /** The inputs esbuild put into each page script (the build's metafile, dist/web-meta.json). */
  const inputs = (): Map<string, string[]> => {
    const meta = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'dist', 'web-meta.json'), 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
    return new Map(Object.entries(meta.outputs).filter(([out]) => /\/page-[a-z0-9-]+\.js$/.test(out)).map(([out, o]) => [out.replace(/^.*\//, ''), Object.keys(o.inputs)]));
  };

  it('carries age-encryption with stubs for its post-quantum, P-256 and scrypt modules, which throw when used; no other page carries age-encryption', async () => {
    const pages = inputs();
    const age = pages.get('page-age.js')!;
    expect(age).toEqual(expect.arrayContaining(['node_modules/age-encryption/dist/index.js', 'src/web/age-stubs.ts']));
    expect(age.filter((i) => /@noble\/(?:post-quantum\/|curves\/nist|curves\/abstract\/weierstrass|hashes\/scrypt)/.test(i))).toEqual([]);
    for (const [page, files] of pages) {
      if (page !== 'page-age.js') expect(files.filter((i) => /age-encryption|age-stubs|@noble/.test(i)), page).toEqual([]);
    }
    const stubs = await import('../src/web/age-stubs.js');
    const message = 'post-quantum/passphrase age identities open with hush open, not in the browser';
    expect(() => (stubs.p256 as { lengths: unknown }).lengths).toThrow(message);
    expect(() => (stubs.scrypt as () => unknown)()).toThrow(message);
    expect(() => (stubs.MLKEM768X25519 as { decapsulate: unknown }).decapsulate).toThrow(message);
    expect(() => new (stubs.MLKEM768P256 as new () => unknown)()).toThrow(message);
  });
});
