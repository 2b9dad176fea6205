// The pages and the CLI, both ways, in a real Chromium against a real server: what one makes, the
// other opens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from './helpers/server.js';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { createInPage, revealInPage } from './helpers/pages.js';
import { hush } from './helpers/cli.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser.close());

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
