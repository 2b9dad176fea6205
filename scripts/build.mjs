// Builds everything `npm start` and the tests run:
//   1. the Node code (server, store, CLI, library) with tsc into dist/
//   2. the pages: src/web/*.ts bundled by esbuild into dist/web/assets/, CSS copied, and the HTML
//      with the parts every page shares (src/web/chrome/: head, header bar) put in at its markers.
//   3. Subresource Integrity: every <script src> and stylesheet <link> of the copied HTML gets
//      integrity="sha384-…" of the asset it loads (src/web stays without; only dist/ is rewritten).
//   4. dist/web/manifest.json: the SHA-256 of every file served from dist/web, which
//      `hush verify <origin>` compares with what a live instance serves (docs/security.md).
//   5. docs/openapi.json: the API as OpenAPI 3.1, generated from the route schemas (src/server/openapi.ts).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = join(root, 'src', 'web');
const final = join(root, 'dist', 'web');
// Pages are built beside dist/web and swapped in at the end, so a test running meanwhile never
// sees a half-written directory.
const out = join(root, 'dist', `.web-${process.pid}`);

const addon = join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(addon)) {
  console.error('build: compiling better-sqlite3 from source (first run only, about two minutes)');
  execFileSync('npm', ['rebuild', 'better-sqlite3', '--ignore-scripts=false', '--foreground-scripts=false'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(addon)) throw new Error(`build: better-sqlite3 did not build (${addon} missing)`);
}
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});

// The page URLs and the HTML each serves (compiled by tsc just now): step 2 derives from them how a
// page reaches the site's root, step 4 records them in the manifest.
const { PAGES, NOT_FOUND_PAGE: NOT_FOUND } = await import(pathToFileURL(join(root, 'dist', 'shared', 'pages.js')).href);

// 2. The pages' shared parts, written once in src/web/chrome/. A page names a fragment with a
// marker on a line of its own, `<!-- hush:head title="…" script="page-x" noindex -->`; the
// fragment goes there, indented as the marker is. This happens before SRI (3) and the manifest
// (4), so both cover the HTML as it is served. In a fragment:
//   {{name}}             a value the page gives (name="…"), put in as written: it is our own
//                        page source, never data, so it is not escaped;
//   {{#flag}}…{{/flag}}  kept only when the page gives the flag (a bare name);
//   {{root}}, {{home}}   how the page reaches the site's root from its address, derived below,
//                        so no page can get its depth wrong;
//   {{! …}}              a line of comment for the fragment's reader, left out of the page.
// A line that a left-out flag empties is left out too. The page and the fragment must agree:
// an unknown fragment, a value the page does not give or a parameter the fragment does not use
// stops the build.
const chrome = join(web, 'chrome');
const MARKER = /^([ \t]*)<!--\s*hush:([a-z-]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*-->[ \t]*$/gm;

/**
 * Where the page `f` finds the site's root: '' from /, /l, /request; '../' from /s/{id} and the
 * other pages one level down (relative, so an instance under a path prefix works); '/' from the
 * 404 page, which is served at whatever address was asked for.
 */
function rootOf(f) {
  if (`/${f}` === NOT_FOUND) return '/';
  const url = Object.keys(PAGES).find((u) => PAGES[u] === `/${f}`);
  if (url === undefined) throw new Error(`build: ${f} uses the chrome but is served at no page URL (PAGES in src/shared/pages.ts)`);
  return '../'.repeat(url.split('/').length - 2);
}

/** The page `f` with every marker replaced by its fragment. */
function withChrome(f, html) {
  const page = html.replace(MARKER, (_, indent, name, attrs) => {
    const file = join(chrome, `${name}.html`);
    if (!existsSync(file)) throw new Error(`build: ${f} names hush:${name}, but there is no src/web/chrome/${name}.html`);
    const given = new Map([...attrs.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)].map(([, k, v]) => [k, v ?? true]));
    for (const derived of ['root', 'home']) if (given.has(derived)) throw new Error(`build: ${f}: ${derived} is derived from the page's URL, not given`);
    const used = new Set();
    const value = (k) => {
      if (k === 'root') return rootOf(f);
      if (k === 'home') return rootOf(f) || './';
      used.add(k);
      const v = given.get(k);
      if (typeof v !== 'string') throw new Error(`build: ${f}: hush:${name} needs ${k}="…"`);
      return v;
    };
    const lines = [];
    for (const line of readFileSync(file, 'utf8').replace(/\n$/, '').split('\n')) {
      if (/^\{\{!.*\}\}$/.test(line)) continue;
      const done = line
        .replace(/\{\{#([a-z-]+)\}\}(.*?)\{\{\/\1\}\}/g, (_, flag, inner) => {
          used.add(flag);
          const v = given.get(flag);
          if (typeof v === 'string') throw new Error(`build: ${f}: ${flag} is a flag of hush:${name}: give it bare, without a value`);
          return v === true ? inner : '';
        })
        .replace(/\{\{([a-z-]+)\}\}/g, (_, k) => value(k));
      if (done.includes('{{')) throw new Error(`build: src/web/chrome/${name}.html: cannot read ${done}`);
      if (done === '' && line !== '') continue;
      lines.push(done === '' ? '' : indent + done);
    }
    for (const k of given.keys()) if (!used.has(k)) throw new Error(`build: ${f}: hush:${name} has no parameter ${k}`);
    return lines.join('\n');
  });
  if (/<!--\s*hush:/.test(page)) throw new Error(`build: ${f} has a hush: marker the build cannot read (one per line, name="value" or bare flags)`);
  return page;
}

mkdirSync(join(out, 'assets'), { recursive: true });
const entries = readdirSync(web).filter((f) => /^page-[a-z0-9-]+\.ts$/.test(f) || /^worker-[a-z0-9-]+\.ts$/.test(f));
const result = await build({
  entryPoints: entries.map((f) => join(web, f)),
  outdir: join(out, 'assets'),
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});
for (const f of readdirSync(web)) {
  if (f.endsWith('.html')) writeFileSync(join(out, f), withChrome(f, readFileSync(join(web, f), 'utf8')));
  else if (f.endsWith('.css') || f.endsWith('.svg') || f === 'robots.txt') {
    cpSync(join(web, f), join(f.endsWith('.css') ? join(out, 'assets') : out, f));
  }
}

/** Every file under `dir`, as URL paths relative to it (`/assets/page-create.js`), sorted. */
function walk(dir) {
  const found = [];
  const visit = (d) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) visit(full);
      else found.push('/' + relative(dir, full).split(sep).join('/'));
    }
  };
  visit(dir);
  return found.sort();
}

// 3. SRI. The HTML refers to assets relatively (`assets/x.js` from /, `../assets/x.js` from
// /s/{id}) so that an instance under a path prefix works; every such reference names a file at
// the same place under dist/web. Module workers cannot carry SRI: the manifest (and
// `hush verify`) covers them, and the pages' Trusted Types policy only lets same-origin
// /assets/worker-*.js start as a worker.
const sri = (file) => `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
const SRI_LINK = /\brel\s*=\s*["']?(?:[^"'>]*\s)?(?:stylesheet|modulepreload|preload)\b/i;
for (const page of walk(out).filter((p) => p.endsWith('.html'))) {
  const file = join(out, page);
  const html = readFileSync(file, 'utf8');
  const rewritten = html.replace(/<(script|link)\b[^>]*>/gi, (tag, kind) => {
    if (kind.toLowerCase() === 'link' && !SRI_LINK.test(tag)) return tag; // icons cannot carry integrity
    const ref = /\s(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    if (ref === null) return tag; // an inline script: the CSP refuses it anyway
    const url = ref[1] ?? ref[2] ?? ref[3];
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) throw new Error(`build: ${page} loads ${url} from another origin`);
    if (/[?#]/.test(url)) throw new Error(`build: ${page} loads ${url}; asset references take no query or fragment`);
    const target = join(out, url.replace(/^(?:\.{1,2}\/|\/)+/, ''));
    if (!existsSync(target)) throw new Error(`build: ${page} loads ${url}, which the build did not produce`);
    const integrity = `integrity="${sri(target)}"`;
    if (/\sintegrity\s*=/i.test(tag)) return tag.replace(/\sintegrity\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/i, ` ${integrity}`);
    return tag.replace(/\s*(\/?)>$/, ` ${integrity}$1>`);
  });
  writeFileSync(file, rewritten);
}

// 4. The manifest, keyed by the path each file has under dist/web (= its URL, except the HTML,
// which is served at the page URLs of `pages`: src/shared/pages.ts). It is not served
// and does not list itself; it ships with the package, so `hush verify` compares a live instance
// with the installed release.
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const files = {};
for (const path of walk(out)) files[path] = createHash('sha256').update(readFileSync(join(out, path))).digest('hex');
for (const html of [...Object.values(PAGES), NOT_FOUND]) if (!(html in files)) throw new Error(`build: no ${html} in the pages`);
for (const path of Object.keys(files)) {
  if (path.endsWith('.html') && path !== NOT_FOUND && !Object.values(PAGES).includes(path)) {
    console.error(`build: warning: ${path} is not served at any page URL; add it to PAGES in src/shared/pages.ts`);
  }
}
const manifest = { version, algorithm: 'sha256', pages: PAGES, notFound: NOT_FOUND, files };
writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

writeFileSync(join(out, '..', 'web-meta.json'), JSON.stringify(result.metafile));
rmSync(final, { recursive: true, force: true });
renameSync(out, final);

// 5. The OpenAPI document of a server with the default settings (and the optional encrypt API on),
// from the app just built: no port, an in-memory store. test/openapi.test.ts checks that a running
// server serves exactly this file.
const { referenceDocument } = await import(pathToFileURL(join(root, 'dist', 'server', 'openapi.js')).href);
writeFileSync(join(root, 'docs', 'openapi.json'), `${JSON.stringify(await referenceDocument(final), null, 2)}\n`);
