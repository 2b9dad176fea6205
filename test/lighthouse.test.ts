// Lighthouse (npm lighthouse 12, its Node API) in Debian's Chromium against the real server: the
// create page, the reveal page of a real secret, and the other pages, with Lighthouse's default
// settings — a mobile phone on simulated slow 4G with a 4× slower CPU.
//
// What is asserted is what Lighthouse computes the same way on a busy machine as on a quiet one:
// the accessibility and best-practices scores (≥ 95), the bytes and requests of the page, which
// resources block rendering, and how much of the JavaScript goes unused. The performance score
// folds in main-thread time measured on this machine, so a loaded CI machine lowered it below 95
// on pages that score 100 when quiet: it is printed as a figure, not asserted (budget.test.ts and
// the bench hold the byte and speed bars). Offline: Chromium runs with its background networking
// off and every page is on 127.0.0.1 (a secure context, as Lighthouse's is-on-https audit agrees).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import lighthouse from 'lighthouse';
import { launch, type LaunchedChrome } from 'chrome-launcher';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret, post, type Made } from './helpers/api.js';
import { CHROMIUM_ARGS } from './helpers/browser.js';
import { sealLink } from '../src/lib.js';

const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
/** The categories whose scores do not depend on this machine's speed. */
const ASSERTED = ['accessibility', 'best-practices'] as const;
const MIN_SCORE = 0.95;

let s: TestServer;
let chrome: LaunchedChrome;
beforeAll(async () => {
  [s, chrome] = await Promise.all([startServer(), launch({ chromePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', chromeFlags: CHROMIUM_ARGS })]);
});
afterAll(async () => {
  chrome.kill();
  await s.close();
});

interface Audit {
  id: string;
  title: string;
  score: number | null;
  scoreDisplayMode: string;
  errorMessage?: string;
}

/**
 * Lighthouse's own failures to record a trace, for which it asks to be run again ("Something went
 * wrong with recording the trace over your page load"): seen once in about ten runs here, with
 * the page itself fine. Only these are retried (twice); every score is still checked as is.
 */
const TRACE_FAILURES = new Set(['NO_NAVSTART', 'NO_TRACING_STARTED']);

/**
 * Runs Lighthouse on one URL; returns the three scores and a line per weighted audit below 100.
 * Throws when Lighthouse could not load the page at all.
 */
interface Result {
  scores: Record<string, number | null>;
  failing: string[];
  requested: string[];
  /** Bytes the page and everything it loaded took on the wire. */
  bytes: number;
  /** Resources that held up the first render. */
  renderBlocking: string[];
  /** JavaScript bytes downloaded but not run while loading. */
  unusedJs: number;
}

async function audit(url: string): Promise<Result> {
  const run = () =>
    lighthouse(url, {
      port: chrome.port,
      logLevel: 'error',
      output: 'json',
      onlyCategories: [...CATEGORIES],
      disableFullPageScreenshot: true,
    });
  let result = await run();
  for (let retry = 0; retry < 2 && TRACE_FAILURES.has(result?.lhr.runtimeError?.code ?? ''); retry++) result = await run();
  if (result === undefined) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError !== undefined) throw new Error(`Lighthouse could not audit ${url}: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
  const weighted = new Set(CATEGORIES.flatMap((c) => lhr.categories[c]?.auditRefs.filter((r) => r.weight > 0).map((r) => r.id) ?? []));
  const failing = (Object.values(lhr.audits) as Audit[])
    .filter((a) => weighted.has(a.id) && (a.errorMessage !== undefined || (a.score !== null && a.score < 1)))
    .map((a) => `${a.id} (${a.score === null ? 'error' : String(a.score)}): ${a.errorMessage ?? a.title}`);
  const audits = lhr.audits as Record<string, { numericValue?: number; details?: { items?: { url?: string; wastedBytes?: number }[] } } | undefined>;
  const items = (id: string): { url?: string; wastedBytes?: number }[] => audits[id]?.details?.items ?? [];
  return {
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? null])),
    failing,
    bytes: audits['total-byte-weight']?.numericValue ?? Number.NaN,
    renderBlocking: items('render-blocking-resources').map((i) => i.url ?? ''),
    unusedJs: items('unused-javascript').reduce((n, i) => n + (i.wastedBytes ?? 0), 0),
    // Every URL the page loaded, from Lighthouse's own network log.
    requested: ((lhr.audits['network-requests']?.details as { items?: { url: string }[] } | undefined)?.items ?? []).map((r) => r.url),
  };
}

describe('Lighthouse, mobile with simulated throttling (its defaults)', () => {
  let revealed: Made | undefined;
  // [name, URL, most bytes on the wire (the server sends them uncompressed; a proxy may gzip)].
  const pages: [string, () => Promise<string>, number][] = [
    // The create page carries the sign-in bar, personal API tokens and the recipients field (issue
    // 18); since issue 20 it loads one language only (in English none beyond its own script); the
    // split between several people (issue 19: Shamir's scheme and its result list) added 10.5 KB
    // of script: 90 260 B measured.
    ['create page', () => Promise.resolve(`${s.url}/`), 96_000],
    [
      'reveal page of a real secret',
      async () => {
        revealed = await makeSecret(s.url);
        return `${s.url}/s/${revealed.id}#${revealed.keyB64u}`;
      },
      64_000,
    ],
    [
      'manage page',
      async () => {
        const made = await makeSecret(s.url);
        return `${s.url}/m/${made.id}#${made.manageToken}`;
      },
      64_000,
    ],
    ['stateless page', () => sealLink({ origin: s.url, message: 'stateless secret', ttl: 3600 }), 64_000],
    // One language file more than in English, laid out right to left (issue 20).
    [
      'reveal page in Arabic',
      async () => {
        const made = await makeSecret(s.url);
        return `${s.url}/s/${made.id}?lang=ar#${made.keyB64u}`;
      },
      64_000,
    ],
    // Not the 404 page: Lighthouse refuses to audit a document answered with 404 (axe checks it).
  ];

  for (const [name, url, maxBytes] of pages) {
    it(`${name}: accessibility and best practices ≥ ${String(MIN_SCORE * 100)}; bytes, requests, render-blocking and unused JavaScript within bounds`, { timeout: 60_000 }, async () => {
      const result = await audit(await url());
      const shown = CATEGORIES.map((c) => `${c} ${result.scores[c] === null ? 'none' : String(Math.round((result.scores[c] ?? 0) * 100))}`).join(', ');
      console.log(
        `Lighthouse ${name}: ${shown}; ${String(result.bytes)} bytes in ${String(result.requested.length)} requests, ` +
          `${String(result.unusedJs)} bytes of unused JavaScript${result.failing.length > 0 ? `\n  below 100: ${result.failing.join('\n  ')}` : ''}`,
      );
      for (const c of ASSERTED) expect(result.scores[c], `${name} ${c}; below 100: ${result.failing.join('; ')}`).toBeGreaterThanOrEqual(MIN_SCORE);
      expect(result.scores.performance, 'Lighthouse computed a performance score').not.toBeNull();
      expect(result.bytes).toBeGreaterThan(10_000);
      expect(result.bytes).toBeLessThanOrEqual(maxBytes);
      // The page, its stylesheet, script, worker, icon and language, all from this server: no other origin
      // (data: URLs are Chromium's own form-control icons; they never leave the browser).
      const fetched = result.requested.filter((u) => !u.startsWith('data:'));
      expect(fetched.length).toBeGreaterThanOrEqual(3);
      // One language file at most (none in English): assets/lang-{page}-{tag}.js.
      const languageFiles = fetched.filter((u) => /\/assets\/lang-/.test(new URL(u).pathname));
      expect(languageFiles.length).toBe(name.includes('Arabic') ? 1 : 0);
      expect(fetched.length - languageFiles.length).toBeLessThanOrEqual(6);
      for (const u of fetched) expect(new URL(u).origin, u).toBe(s.url);
      // Only the one small stylesheet may hold up the first render; scripts never do.
      for (const u of result.renderBlocking) expect(new URL(u).pathname, u).toBe('/assets/style.css');
      // Code for what the page does after a click (sending, files, QR, splitting) loads with the
      // page; it must stay a minority of the bytes (create page: 37 242 of 90 260 measured).
      expect(result.unusedJs).toBeLessThanOrEqual(40_000);
      expect(result.unusedJs).toBeLessThan(result.bytes / 2);
    });
  }

  it('Lighthouse only looked at the reveal page: the secret is still there to be read', async () => {
    expect(revealed).toBeDefined();
    const res = await post(`${s.url}/api/v1/secrets/${revealed!.id}/consume`, { auth: revealed!.auth });
    expect(res.status).toBe(200);
  });
});
