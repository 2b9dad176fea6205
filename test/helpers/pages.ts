// Driving the pages the way a person does, for the browser tests (test/browser-*.test.ts): make a
// secret in the create page, reveal it in the reveal page, scan the create page's QR code.
import { createRequire } from 'node:module';
import { expect } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { watchedPage, type WatchedPage } from './browser.js';

/** Fills the create form and returns the link and manage link the page shows. */
export async function createInPage(
  w: WatchedPage,
  base: string,
  message: string,
  options: { passphrase?: string; views?: number; stateless?: boolean; ttl?: string; recipients?: string } = {},
): Promise<{ link: string; manage: string }> {
  const { page } = w;
  await page.goto(`${base}/`);
  await page.waitForSelector('#policy:not([hidden])');
  await page.fill('#message', message);
  if (options.stateless === true) await page.check('input[name="kind"][value="stateless"]');
  if (options.ttl !== undefined) await page.selectOption('#ttl', options.ttl);
  if (options.views !== undefined) await page.fill('#views', String(options.views));
  if (options.passphrase !== undefined || options.recipients !== undefined) {
    await page.evaluate(() => {
      (document.getElementById('more') as HTMLDetailsElement).open = true;
    });
  }
  if (options.passphrase !== undefined) await page.fill('#passphrase', options.passphrase);
  if (options.recipients !== undefined) await page.fill('#recipients', options.recipients);
  await page.click('#create');
  await page.waitForSelector('#result:not([hidden]), #create-error:not([hidden])');
  const error = await page.locator('#create-error').textContent();
  expect(await page.isVisible('#result'), `create failed: ${error ?? ''}`).toBe(true);
  return { link: await page.inputValue('#link'), manage: await page.inputValue('#manage-link') };
}

/** Opens a stored-secret link in its own browser context and reveals it. */
export async function revealInPage(context: BrowserContext, link: string, passphrase?: string): Promise<{ w: WatchedPage; text: string }> {
  const w = await watchedPage(context);
  await w.page.goto(link);
  await w.page.waitForSelector('#meta:not([hidden]), #gone:not([hidden])');
  if (passphrase !== undefined) await w.page.fill('#passphrase', passphrase);
  await w.page.click('#reveal');
  await w.page.waitForSelector('#secret:not([hidden])');
  return { w, text: await w.page.inputValue('#secret-text') };
}

// jsqr is CommonJS whose module.exports is the function itself.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof import('jsqr').default;

/** Draws the page's QR code (#qr svg) on a canvas, as a camera would see it, and decodes it. */
export async function decodeQr(page: Page): Promise<string | null> {
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
