// Lighthouse (npm lighthouse 12, its Node API) in Debian's Chromium against the real server: the
// create page, the reveal page of a real secret, and the other pages, with Lighthouse's default
// settings — a mobile phone on simulated slow 4G with a 4× slower CPU — which are stricter than
// the desktop preset. Each score is printed and must be at least 0.95 in performance,
// accessibility and best practices. Offline: Chromium runs with its background networking off
// and every page is on 127.0.0.1 (a secure context, as Lighthouse's is-on-https audit agrees).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import lighthouse from 'lighthouse';
import { launch, type LaunchedChrome } from 'chrome-launcher';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret, post, type Made } from './helpers/api.js';
import { CHROMIUM_ARGS } from './helpers/browser.js';
import { sealLink } from '../src/lib.js';

const CATEGORIES = ['performance', 'accessibility', 'best-practices'] as const;
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
async function audit(url: string): Promise<{ scores: Record<string, number | null>; failing: string[]; requested: string[] }> {
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
  return {
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, lhr.categories[c]?.score ?? null])),
    failing,
    // Every URL the page loaded, from Lighthouse's own network log.
    requested: ((lhr.audits['network-requests']?.details as { items?: { url: string }[] } | undefined)?.items ?? []).map((r) => r.url),
  };
}

describe('Lighthouse, mobile with simulated throttling (its defaults)', () => {
  let revealed: Made | undefined;
  const pages: [string, () => Promise<string>][] = [
    ['create page', () => Promise.resolve(`${s.url}/`)],
    [
      'reveal page of a real secret',
      async () => {
        revealed = await makeSecret(s.url);
        return `${s.url}/s/${revealed.id}#${revealed.keyB64u}`;
      },
    ],
    [
      'manage page',
      async () => {
        const made = await makeSecret(s.url);
        return `${s.url}/m/${made.id}#${made.manageToken}`;
      },
    ],
    ['stateless page', () => sealLink({ origin: s.url, message: 'stateless secret', ttl: 3600 })],
    // Not the 404 page: Lighthouse refuses to audit a document answered with 404 (axe checks it).
  ];

  for (const [name, url] of pages) {
    it(`${name}: performance, accessibility and best practices ≥ ${String(MIN_SCORE * 100)}`, { timeout: 60_000 }, async () => {
      const result = await audit(await url());
      const shown = CATEGORIES.map((c) => `${c} ${result.scores[c] === null ? 'none' : String(Math.round((result.scores[c] ?? 0) * 100))}`).join(', ');
      console.log(`Lighthouse ${name}: ${shown}${result.failing.length > 0 ? `\n  below 100: ${result.failing.join('\n  ')}` : ''}`);
      for (const c of CATEGORIES) expect(result.scores[c], `${name} ${c}; below 100: ${result.failing.join('; ')}`).toBeGreaterThanOrEqual(MIN_SCORE);
      // The page, its stylesheet, script, worker and icon, all from this server: no other origin
      // (data: URLs are Chromium's own form-control icons; they never leave the browser).
      const fetched = result.requested.filter((u) => !u.startsWith('data:'));
      expect(fetched.length).toBeGreaterThanOrEqual(3);
      for (const u of fetched) expect(new URL(u).origin, u).toBe(s.url);
    });
  }

  it('Lighthouse only looked at the reveal page: the secret is still there to be read', async () => {
    expect(revealed).toBeDefined();
    const res = await post(`${s.url}/api/v1/secrets/${revealed!.id}/consume`, { auth: revealed!.auth });
    expect(res.status).toBe(200);
  });
});
