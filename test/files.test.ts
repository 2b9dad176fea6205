// Files in Chromium and across the CLI: text + two files (one binary, one with a non-ASCII name)
// page → page, page → CLI and CLI → page; every download is application/octet-stream and never
// rendered in Hush's origin; over the limit is refused in the page before anything is sent.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { launchChromium, watchedPage, type WatchedPage } from './helpers/browser.js';
import { hush } from './helpers/cli.js';

const NON_ASCII = 'Grüße aus 日本.env';
/** 70 000 bytes covering every byte value, including NUL and 0x0A (the header's end marker). */
const BINARY = Buffer.from(Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7919 + (i >> 8)) & 0xff));
const ENV_TEXT = Buffer.from('API_KEY=s3cr3t\nGRUSS=Grüße\n', 'utf8');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

let browser: Browser;
let s: TestServer;
let dir: string;
beforeAll(async () => {
  [browser, s] = await Promise.all([launchChromium(), startServer({ challenge: 'pow' })]);
  dir = mkdtempSync(join(tmpdir(), 'hush-files-'));
  writeFileSync(join(dir, 'id_ed25519'), BINARY);
  writeFileSync(join(dir, NON_ASCII), ENV_TEXT);
});
afterAll(async () => {
  await browser.close();
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Drops files on the create form the way a drag from the desktop does (a DataTransfer of Files). */
async function dropFiles(page: Page, files: { name: string; type: string; bytes: Buffer }[]): Promise<void> {
  await page.evaluate((list) => {
    const data = new DataTransfer();
    for (const f of list) data.items.add(new File([Uint8Array.from(f.bytes)], f.name, { type: f.type }));
    const form = document.getElementById('create-form')!;
    form.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    form.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, files.map((f) => ({ name: f.name, type: f.type, bytes: [...f.bytes] as unknown as Buffer })));
}

/** Makes a secret in the page: text, one file from the picker, one dropped. */
async function createWithFiles(w: WatchedPage, text: string): Promise<string> {
  const { page } = w;
  await page.goto(`${s.url}/`);
  await page.waitForSelector('#policy:not([hidden])');
  await page.fill('#message', text);
  await page.setInputFiles('#files', join(dir, 'id_ed25519'));
  await dropFiles(page, [{ name: NON_ASCII, type: 'text/plain', bytes: ENV_TEXT }]);
  expect(await page.locator('#attached li').count()).toBe(2);
  expect(await page.textContent('#files-summary')).toMatch(/^2 files, 68\.\d kB of 10 MB\.$/);
  await page.click('#create');
  await page.waitForSelector('#result:not([hidden]), #create-error:not([hidden])');
  expect(await page.isVisible('#result'), (await page.textContent('#create-error')) ?? '').toBe(true);
  // The files left the page with the secret.
  expect(await page.locator('#attached li').count()).toBe(0);
  return page.inputValue('#link');
}

interface Received {
  w: WatchedPage;
  text: string | null;
  files: { name: string; sha: string; type: string }[];
}

/** Reveals in a fresh context and downloads every offered file. */
async function revealAndDownload(link: string): Promise<Received> {
  const w = await watchedPage(await browser.newContext({ acceptDownloads: true }));
  const { page } = w;
  // Records the type of every Blob the page turns into a URL (a fetch of the URL is barred by
  // the page's CSP, rightly). Injected by the browser, before the page's scripts.
  await page.addInitScript(() => {
    const types: Record<string, string> = {};
    (window as unknown as { __blobTypes: Record<string, string> }).__blobTypes = types;
    const create = URL.createObjectURL.bind(URL);
    URL.createObjectURL = (obj: Blob | MediaSource): string => {
      const url = create(obj);
      if (obj instanceof Blob) types[url] = obj.type;
      return url;
    };
  });
  await page.goto(link);
  await page.waitForSelector('#meta:not([hidden])');
  await page.click('#reveal');
  await page.waitForSelector('#secret:not([hidden])');
  const text = (await page.isVisible('#secret-text')) ? await page.inputValue('#secret-text') : null;
  const files: Received['files'] = [];
  const links = page.locator('#file-list a');
  for (let i = 0; i < (await links.count()); i++) {
    const a = links.nth(i);
    const href = (await a.getAttribute('href'))!;
    const type = await page.evaluate((url) => (window as unknown as { __blobTypes: Record<string, string> }).__blobTypes[url] ?? 'none', href);
    const [download] = await Promise.all([page.waitForEvent('download'), a.click()]);
    const bytes = readFileSync((await download.path()));
    files.push({ name: download.suggestedFilename(), sha: sha(bytes), type });
  }
  return { w, text, files };
}

const EXPECTED = [
  { name: 'id_ed25519', sha: sha(BINARY), type: 'application/octet-stream' },
  { name: NON_ASCII, sha: sha(ENV_TEXT), type: 'application/octet-stream' },
];

describe('files in the pages and across the CLI', () => {
  it('page → page: text and two files arrive byte for byte, as downloads named as sent', async () => {
    const sender = await watchedPage(await browser.newContext());
    const link = await createWithFiles(sender, 'the deploy keys ✓');
    const r = await revealAndDownload(link);
    expect(r.text).toBe('the deploy keys ✓');
    expect(r.files).toEqual(EXPECTED);
    expect(await r.w.page.textContent('#files-block')).toContain('68.4 kB');
    for (const w of [sender, r.w]) {
      expect(w.errors).toEqual([]);
      expect(await w.violations()).toEqual([]);
    }
  });

  it('page → CLI: hush open saves both files and prints the text', async () => {
    const link = await createWithFiles(await watchedPage(await browser.newContext()), 'for the terminal');
    const out = mkdtempSync(join(tmpdir(), 'hush-files-out-'));
    try {
      const r = await hush(['open', '--out', out, link]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('for the terminal');
      expect(sha(readFileSync(join(out, 'id_ed25519')))).toBe(sha(BINARY));
      expect(readFileSync(join(out, NON_ASCII))).toEqual(ENV_TEXT);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('CLI → page: hush send --file a --file b reveals with both files; files alone show no empty text box', async () => {
    const sent = await hush(['send', '--server', s.url, '--file', join(dir, 'id_ed25519'), '--file', join(dir, NON_ASCII)], { input: '' });
    expect(sent.code, sent.stderr).toBe(0);
    const r = await revealAndDownload(sent.stdout.trim());
    expect(r.text).toBeNull();
    expect(r.files).toEqual(EXPECTED);
  });

  it('an HTML or SVG file is downloaded, never rendered in our origin: no script runs, the page stays', async () => {
    const hostile = mkdtempSync(join(tmpdir(), 'hush-files-hostile-'));
    try {
      writeFileSync(join(hostile, 'invoice.html'), '<script>alert(document.domain)</script><h1>hi</h1>');
      writeFileSync(join(hostile, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>');
      const markupName = '<img src=x onerror=alert(3)>.txt';
      writeFileSync(join(hostile, markupName), 'a name that is markup');
      const sent = await hush(['send', '--server', s.url, '--file', join(hostile, 'invoice.html'), '--file', join(hostile, 'logo.svg'), '--file', join(hostile, markupName)], {
        input: 'see attached',
      });
      expect(sent.code, sent.stderr).toBe(0);
      const r = await revealAndDownload(sent.stdout.trim());
      expect(r.files.map((f) => [f.name, f.type])).toEqual([
        ['invoice.html', 'application/octet-stream'],
        ['logo.svg', 'application/octet-stream'],
        // Chromium itself turns < and > into _ in the name it saves under.
        [expect.stringContaining('img src=x onerror=alert(3)'), 'application/octet-stream'],
      ]);
      // The name is text on the page, not an element.
      expect(await r.w.page.locator('#file-list a').nth(2).textContent()).toBe(markupName);
      expect(await r.w.page.locator('#file-list img').count()).toBe(0);
      // Opening the blob URL itself (a middle click, a new tab) downloads too instead of rendering.
      const href = (await r.w.page.locator('#file-list a').first().getAttribute('href'))!;
      const tab = await r.w.page.context().newPage();
      const downloaded = tab.waitForEvent('download');
      await tab.goto(href).catch(() => undefined); // the navigation becomes a download
      expect((await downloaded).suggestedFilename()).toMatch(/./);
      expect(r.w.dialogs).toEqual([]);
      expect(r.w.page.url()).toMatch(/\/s\/[A-Za-z0-9_-]{22}$/);
      expect(await r.w.page.textContent('#file-list')).toContain('invoice.html');
    } finally {
      rmSync(hostile, { recursive: true, force: true });
    }
  });

  it('leaving the page revokes the downloads and takes the list off the page', async () => {
    const sent = await hush(['send', '--server', s.url, '--file', join(dir, NON_ASCII)], { input: 'x' });
    const r = await revealAndDownload(sent.stdout.trim());
    const href = (await r.w.page.locator('#file-list a').first().getAttribute('href'))!;
    await r.w.page.evaluate(() => dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    expect(await r.w.page.locator('#file-list li').count()).toBe(0);
    // The revoked URL leads nowhere: no download, an error page.
    const tab = await r.w.page.context().newPage();
    let downloads = 0;
    tab.on('download', () => downloads++);
    await expect(tab.goto(href)).rejects.toThrow(/ERR_FILE_NOT_FOUND/);
    expect(downloads).toBe(0);
  });

  it('the page lists, removes, and refuses files over the limit before anything is sent', async () => {
    const small = await startServer({ maxSize: 64 * 1024 });
    try {
      const w = await watchedPage(await browser.newContext());
      const { page } = w;
      await page.goto(`${small.url}/`);
      await page.waitForSelector('#policy:not([hidden])');
      expect(await page.textContent('#files-help')).toBe('Or drop them here. The message and all files together: up to 64 kB.');
      await page.setInputFiles('#files', [join(dir, 'id_ed25519'), join(dir, NON_ASCII)]);
      expect(await page.locator('#attached li').count()).toBe(2);
      await page.click('#create');
      await page.waitForSelector('#create-error:not([hidden])');
      expect(await page.textContent('#create-error')).toMatch(/^The message and files come to 68\.\d kB; this server accepts up to 64 kB in all\. Remove a file, or share it another way\.$/);
      expect(await small.store.stats()).toMatchObject({ liveSecrets: 0 });
      // Removing the big file makes it fit.
      await page.click('#attached button[aria-label="Remove id_ed25519"]');
      expect(await page.locator('#attached li').count()).toBe(1);
      expect(await page.textContent('#files-summary')).toMatch(/^1 file, \d+ byte of 64 kB\.$/);
      await page.click('#create');
      await page.waitForSelector('#result:not([hidden])');
      expect(await small.store.stats()).toMatchObject({ liveSecrets: 1 });
      expect(w.errors).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('the page refuses adding files past 100 with a message in each language, keeps what it had, and sends 100', async () => {
    const payloads = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ name: `f${String(from + i)}.txt`, mimeType: 'text/plain', buffer: Buffer.from(String(from + i)) }));
    const messages = {
      en: 'A secret can carry at most 100 files. Put them in one archive (zip, tar) and attach that.',
      de: 'Ein Geheimnis kann höchstens 100 Dateien tragen. Packen Sie sie in ein Archiv (zip, tar) und hängen Sie dieses an.',
      ja: '1つのシークレットに添付できるファイルは100件までです。1つのアーカイブ（zip、tar）にまとめて添付してください。',
    };
    const w = await watchedPage(await browser.newContext());
    const { page } = w;
    for (const [lang, text] of Object.entries(messages)) {
      await page.goto(`${s.url}/?lang=${lang}`);
      await page.waitForSelector('#policy:not([hidden])');
      // 101 at once: refused whole, nothing listed.
      await page.setInputFiles('#files', payloads(101));
      expect(await page.textContent('#create-error')).toBe(text);
      expect(await page.isVisible('#create-error')).toBe(true);
      expect(await page.locator('#attached li').count()).toBe(0);
    }
    // 100 are fine, and take the refusal off the page.
    await page.setInputFiles('#files', payloads(100));
    expect(await page.locator('#attached li').count()).toBe(100);
    expect(await page.isVisible('#create-error')).toBe(false);
    // One more, dropped: refused, the hundred stay.
    await dropFiles(page, [{ name: 'one-too-many.txt', type: 'text/plain', bytes: Buffer.from('x') }]);
    expect(await page.textContent('#create-error')).toBe(messages.ja);
    expect(await page.locator('#attached li').count()).toBe(100);
    await page.click('#attached button[aria-label*="f0.txt"]');
    expect(await page.locator('#attached li').count()).toBe(99);
    expect(await page.isVisible('#create-error')).toBe(false);
    await page.setInputFiles('#files', payloads(1, 100));
    await page.click('#create');
    await page.waitForSelector('#result:not([hidden]), #create-error:not([hidden])');
    expect(await page.isVisible('#result'), (await page.textContent('#create-error')) ?? '').toBe(true);
    expect(w.errors).toEqual([]);
  });

  it('a stateless link refuses files with a clear message', async () => {
    const w = await watchedPage(await browser.newContext());
    await w.page.goto(`${s.url}/`);
    await w.page.waitForSelector('#policy:not([hidden])');
    await w.page.setInputFiles('#files', join(dir, NON_ASCII));
    await w.page.check('input[name="kind"][value="stateless"]');
    expect(await w.page.isVisible('#files-field')).toBe(false);
    await w.page.click('#create');
    await w.page.waitForSelector('#create-error:not([hidden])');
    expect(await w.page.textContent('#create-error')).toBe('A stateless link carries text only. Choose a one-time link to send files.');
  });
});
