// Debian's Chromium driven by playwright-core (no browser downloads here). Each page records
// dialogs, page errors and CSP violations so tests can assert there were none.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Launches Chromium. Playwright turns the back/forward cache off by default (its
 * `--disable-back-forward-cache`); `backForwardCache: true` leaves it on, as in a user's browser.
 * A driven Chromium says so (navigator.webdriver is true); `automated: false` hides that, as in a
 * person's browser (give its contexts a desktop Chrome userAgent too: headless says HeadlessChrome).
 */
export function launchChromium(options: { backForwardCache?: boolean; automated?: boolean } = {}): Promise<Browser> {
  const ignore = [...(options.backForwardCache === true ? ['--disable-back-forward-cache'] : []), ...(options.automated === false ? ['--enable-automation'] : [])];
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: options.automated === false ? [...CHROMIUM_ARGS, '--disable-blink-features=AutomationControlled'] : CHROMIUM_ARGS,
    ...(ignore.length > 0 ? { ignoreDefaultArgs: ignore } : {}),
  });
}

export interface WatchedPage {
  page: Page;
  dialogs: string[];
  errors: string[];
  /** CSP and Trusted Types violations reported by the page (securitypolicyviolation events). */
  violations: () => Promise<string[]>;
}

/** A new page whose dialogs, errors and CSP violations are recorded. */
export async function watchedPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  // Runs before the page's own scripts (injected by the browser, so the CSP does not apply).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __violations: string[] }).__violations = seen;
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return {
    page,
    dialogs,
    errors,
    violations: () => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations),
  };
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeResult {
  id: string;
  impact?: string | null;
  help: string;
  nodes: AxeNode[];
}

/**
 * Runs axe-core (every rule it runs by default, all impact levels) on the page as it is now and
 * returns its violations, one readable line each ("rule (impact): help — element: summary").
 * The source is evaluated through the DevTools protocol, which the page's CSP does not govern
 * (an injected <script> would be blocked); the run must have checked something, or this throws.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ passes: AxeResult[]; violations: AxeResult[]; testEngine: { name: string } }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return {
      engine: r.testEngine.name,
      passes: r.passes.length,
      violations: r.violations.map((v) => ({
        id: v.id,
        impact: v.impact ?? 'unknown',
        help: v.help,
        nodes: v.nodes.map((n) => `${n.target.map(String).join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`),
      })),
    };
  });
  if (result.engine !== 'axe-core' || result.passes < 10) throw new Error(`axe-core did not run properly (engine ${result.engine}, ${String(result.passes)} rules passed)`);
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n}`));
}

/**
 * Saves screenshots of the page at 320 px and at its own width when HUSH_SCREENSHOTS names a
 * directory (e.g. HUSH_SCREENSHOTS=/tmp/hush-shots), for a person to look at; otherwise does nothing.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const dir = process.env.HUSH_SCREENSHOTS;
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  const size = page.viewportSize() ?? { width: 1280, height: 800 };
  const file = (w: number): string => join(dir, `${name.replace(/[^a-z0-9-]+/gi, '-')}-${String(w)}.png`);
  await page.screenshot({ path: file(size.width), fullPage: true });
  await page.setViewportSize({ width: 320, height: 640 });
  await page.screenshot({ path: file(320), fullPage: true });
  await page.setViewportSize(size);
}
