// The page budget of the brief, measured on the build output (dist/web): the reveal page ships at
// most 15 KB of gzipped JavaScript and 40 KB in all, every other page 40 KB in all, in every
// language; and no page or asset refers to another origin. Sizes are `gzip -9` of each file (each
// is fetched on its own), KB = 1000 bytes. A page's files are found by following its HTML:
// scripts, stylesheets, icons, the worker its script starts, and anything a stylesheet loads with
// url(). A page loads one language file of the several its script names (assets/lang-{page}-{tag}.js,
// none for English): the budget counts the largest.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { defaultWebRoot } from '../src/package.js';
import { LANGS } from '../src/shared/languages.js';

const ROOT = defaultWebRoot();
const KB = 1000;
const REVEAL_JS_BUDGET = 15 * KB;
const PAGE_BUDGET = 40 * KB;

/** Every file of the build, as URL-like paths under dist/web. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : ['/' + relative(ROOT, full).split(sep).join('/')];
  });
}

const read = (path: string): Buffer => readFileSync(join(ROOT, path));
const gz = (path: string): number => gzipSync(read(path), { level: 9 }).length;

/** A reference from a page or asset to a file of the build (`../assets/x.js` → `/assets/x.js`). */
function resolveRef(ref: string, from: string): string {
  expect(ref, `${from} refers to ${ref}`).not.toMatch(/^[a-z][a-z0-9+.-]*:|^\/\//i);
  // Pages are served at several depths (/, /s/{id}) and name assets so that each resolves to the
  // same place under dist/web; assets name theirs relative to themselves.
  const path = from.endsWith('.html') ? '/' + ref.replace(/^(?:\.{1,2}\/|\/)+/, '') : new URL(ref, `http://build${from}`).pathname;
  expect(existsSync(join(ROOT, path)), `${from} refers to ${ref}, which is not in the build`).toBe(true);
  return path;
}

/** The files a page loads: its HTML, then what it references, transitively. */
function pageFiles(html: string): string[] {
  const files = new Set<string>([html]);
  const queue = [html];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const text = read(file).toString('utf8');
    const refs: string[] = [];
    if (file.endsWith('.html')) {
      // Scripts, stylesheets, icons, and the language files the switcher's options name (data-src).
      for (const [tag] of text.matchAll(/<(?:script|link|option)\b[^>]*>/gi)) {
        const ref = /\s(?:src|href|data-src)="([^"]*)"/.exec(tag)?.[1];
        if (ref !== undefined) refs.push(ref);
      }
    } else if (file.endsWith('.js')) {
      // Workers and any other script a bundle loads, named relative to it: new URL("./worker-crypto.js", import.meta.url).
      for (const [, ref] of text.matchAll(/["'`](\.\/[a-z0-9_-]+\.js)["'`]/gi)) refs.push(ref!);
    } else if (file.endsWith('.css')) {
      for (const [, ref] of text.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/gi)) if (!ref!.startsWith('data:')) refs.push(ref!);
    }
    for (const ref of refs) {
      const path = resolveRef(ref, file);
      if (!files.has(path)) {
        files.add(path);
        queue.push(path);
      }
    }
  }
  return [...files].sort();
}

const pages = walk(ROOT).filter((f) => f.endsWith('.html')).sort();
const LANGUAGE_FILE = /^\/assets\/lang-[a-z0-9]+-[A-Za-z-]+\.js$/;

/** A page's files in its largest language: what it always loads, and the biggest of its language files. */
function largestLanguage(html: string): { files: string[]; language: string | null } {
  const all = pageFiles(html);
  const always = all.filter((f) => !LANGUAGE_FILE.test(f));
  const languages = all.filter((f) => LANGUAGE_FILE.test(f)).sort((a, b) => gz(b) - gz(a));
  return { files: languages.length > 0 ? [...always, languages[0]!] : always, language: languages[0] ?? null };
}

describe('page budget (gzip -9, per file)', () => {
  it('the reveal page ships ≤ 15 KB of gzipped JavaScript and ≤ 40 KB in all, worker included, in its largest language', () => {
    const { files, language } = largestLanguage('/reveal.html');
    // The page's own script, the crypto worker it starts and its language files are found by following the page.
    expect(files).toEqual(expect.arrayContaining(['/reveal.html', '/assets/page-reveal.js', '/assets/worker-open.js', '/assets/style.css', '/favicon.svg']));
    expect(pageFiles('/reveal.html').filter((f) => LANGUAGE_FILE.test(f))).toHaveLength(LANGS.length - 1);
    expect(language).toMatch(/^\/assets\/lang-reveal-/);
    const js = files.filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(f), 0);
    const all = files.reduce((n, f) => n + gz(f), 0);
    console.log(`reveal page: ${files.map((f) => `${f} ${String(gz(f))} B`).join(', ')}`);
    console.log(`reveal page: JavaScript ${String(js)} B gzipped (budget ${String(REVEAL_JS_BUDGET)}), all ${String(all)} B (budget ${String(PAGE_BUDGET)})`);
    expect(js).toBeLessThanOrEqual(REVEAL_JS_BUDGET);
    expect(all).toBeLessThanOrEqual(PAGE_BUDGET);
  });

  it.each(pages)('%s ships ≤ 40 KB in all, in its largest language', (page) => {
    const { files } = largestLanguage(page);
    const js = files.filter((f) => f.endsWith('.js')).reduce((n, f) => n + gz(f), 0);
    const all = files.reduce((n, f) => n + gz(f), 0);
    console.log(`${page}: JavaScript ${String(js)} B, all ${String(all)} B gzipped (${files.join(', ')})`);
    expect(all).toBeLessThanOrEqual(PAGE_BUDGET);
  });
});

describe('no third-party origin', () => {
  // Allowed absolute URLs, each in exactly one file. Cloudflare's Turnstile script is added by the
  // create page only when the operator chooses HUSH_CHALLENGE=turnstile (the CSP then allows that
  // one origin; by default the check is an offline proof-of-work and nothing is contacted).
  const ALLOWED: Record<string, string> = {
    'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit': '/assets/page-create.js',
  };
  // XML namespace names (document.createElementNS) are identifiers, never fetched.
  const NAMESPACES = new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xhtml', 'http://www.w3.org/1999/xlink']);

  it('no HTML, script or stylesheet of the build refers to another origin, but the opt-in Turnstile script', () => {
    const scanned = walk(ROOT).filter((f) => /\.(?:html|js|css)$/.test(f));
    expect(scanned).toEqual(expect.arrayContaining(['/reveal.html', '/assets/page-reveal.js', '/assets/worker-crypto.js']));
    const found: string[] = [];
    for (const file of scanned) {
      const text = read(file).toString('utf8');
      for (const [url] of text.matchAll(/\b(?:https?|wss?|ftp):\/\/[^\s"'`)<>\\]*/gi)) {
        // A bare scheme names no origin (the link parser's error text: "must start with https://").
        if (/^[a-z]+:\/\/$/i.test(url)) continue;
        if (NAMESPACES.has(url) || ALLOWED[url] === file) continue;
        found.push(`${file}: ${url}`);
      }
      // Protocol-relative addresses in markup and styles (//host/x).
      if (!file.endsWith('.js')) for (const [m] of text.matchAll(/(?:src|href|action)\s*=\s*["']?\/\/[^\s"'>]*|url\(\s*["']?\/\/[^)]*/gi)) found.push(`${file}: ${m}`);
    }
    expect(found).toEqual([]);
  });
});
