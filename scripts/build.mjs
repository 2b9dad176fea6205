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
const { LANGUAGES, LANGUAGE_NAMES, SOURCE_LANG } = await import(pathToFileURL(join(root, 'dist', 'shared', 'languages.js')).href);
/** The switcher's options, one per language, each named in its own language (and marked so); step 3 adds each one's file. */
const LANGUAGE_OPTIONS = LANGUAGES.map(({ tag, dir }) => `<option value="${tag}" lang="${tag}"${dir === 'rtl' ? ' dir="rtl"' : ''}>${LANGUAGE_NAMES[tag]}</option>`).join('');

// 2. The pages' shared parts, written once in src/web/chrome/. A page names a fragment with a
// marker on a line of its own, `<!-- hush:head title="…" script="page-x" noindex -->`; the
// fragment goes there, indented as the marker is. This happens before SRI (3) and the manifest
// (4), so both cover the HTML as it is served. In a fragment:
//   {{name}}             a value the page gives (name="…"), put in as written: it is our own
//                        page source, never data, so it is not escaped;
//   {{#flag}}…{{/flag}}  kept only when the page gives the flag (a bare name);
//   {{root}}, {{home}}   how the page reaches the site's root from its address, derived below,
//                        so no page can get its depth wrong;
//   {{languages}}        the language switcher's <option>s, from src/shared/languages.ts;
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
    for (const derived of ['root', 'home', 'languages']) if (given.has(derived)) throw new Error(`build: ${f}: ${derived} is derived from the page's URL, not given`);
    const used = new Set();
    const value = (k) => {
      if (k === 'root') return rootOf(f);
      if (k === 'home') return rootOf(f) || './';
      if (k === 'languages') return LANGUAGE_OPTIONS;
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

/** Subresource Integrity of a built file (step 3 puts it into the HTML; 2a into the pages' scripts). */
const sri = (file) => `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
mkdirSync(join(out, 'assets'), { recursive: true });
const entries = readdirSync(web).filter((f) => /^page-[a-z0-9-]+\.ts$/.test(f) || /^worker-[a-z0-9-]+\.ts$/.test(f));
const esbuildOptions = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  sourcemap: false,
  legalComments: 'none',
  // Module scripts are always read as UTF-8: Arabic or Japanese text as it is, not as \u escapes three times its size.
  charset: 'utf8',
  metafile: true,
  logLevel: 'warning',
};
const metafile = { inputs: {}, outputs: {} };
const built = async (options) => {
  const r = await build({ ...esbuildOptions, ...options });
  Object.assign(metafile.inputs, r.metafile.inputs);
  Object.assign(metafile.outputs, r.metafile.outputs);
  return r;
};

// 2a. The languages (src/shared/languages.ts). A page's script bundles the English catalogue;
// for every other language the build makes one small file per page, assets/lang-{page}-{tag}.js,
// holding that language's `common` and the sections the page imports from ./i18n/en.js — no
// other page's text, no other language. When it runs it registers itself on globalThis. Step 3
// writes each file's address and SRI hash onto its language's <option> in the page's switcher;
// the page starts it from there as a module <script> with that hash, so the browser runs only
// the file that was built (src/web/i18n/index.ts).
const i18n = join(web, 'i18n');
const catalogueEntries = join(root, 'dist', `.i18n-${process.pid}`);
mkdirSync(catalogueEntries, { recursive: true });
const SECTIONS = /^import\s*\{([^}]*)\}\s*from\s*'\.\/i18n\/en\.js';$/m;
const catalogueFiles = [];
for (const entry of entries.filter((f) => f.startsWith('page-'))) {
  const page = entry.slice('page-'.length, -'.ts'.length);
  const imported = SECTIONS.exec(readFileSync(join(web, entry), 'utf8'));
  if (imported === null) throw new Error(`build: ${entry} imports no section from ./i18n/en.js (every page is translated)`);
  const sections = ['common', ...imported[1].split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter((n) => n !== '' && n !== 'common')];
  for (const { tag } of LANGUAGES) {
    if (tag === SOURCE_LANG) continue;
    if (!existsSync(join(i18n, `${tag}.ts`))) throw new Error(`build: no catalogue src/web/i18n/${tag}.ts for ${tag} (src/shared/languages.ts)`);
    const source = join(catalogueEntries, `lang-${page}-${tag}.js`);
    writeFileSync(
      source,
      `import { ${sections.join(', ')} } from ${JSON.stringify(join(i18n, `${tag}.ts`))};\n` +
        `(globalThis.hushCatalogues ??= {})[${JSON.stringify(tag)}] = { ${sections.join(', ')} };\n`,
    );
    catalogueFiles.push(source);
  }
}
await built({ entryPoints: catalogueFiles, outdir: join(out, 'assets') });
rmSync(catalogueEntries, { recursive: true, force: true });

// 2b. The pages' scripts and the workers. The /a page opens link keys wrapped to X25519 age keys
// with age-encryption (src/client/age.ts); the modules the library imports for post-quantum,
// P-256 and scrypt (passphrase) keys are replaced, when age-encryption imports them, by stubs that
// throw if used (src/web/age-stubs.ts): its Decrypter then bundles to about 22 KB gzipped instead
// of 45 KB. Only here: the CLI and the library run the real modules (tsc, step 1).
const AGE_STUBBED = /^@noble\/(?:post-quantum\/hybrid|curves\/nist|hashes\/scrypt)\.js$/;
const ageStubs = {
  name: 'age-stubs',
  setup(b) {
    b.onResolve({ filter: AGE_STUBBED }, (args) =>
      args.importer.split(sep).join('/').includes('/node_modules/age-encryption/') ? { path: join(web, 'age-stubs.ts') } : undefined,
    );
  },
};
await built({ entryPoints: entries.map((f) => join(web, f)), outdir: join(out, 'assets'), plugins: [ageStubs] });
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
  writeFileSync(file, withLanguageFiles(page, rewritten));
}

/**
 * The page with each language's file on its switcher option (2a): `<option value="de" …
 * data-src="assets/lang-reveal-de.js" data-integrity="sha384-…">`, named the way the page names
 * its own script (so from the same depth). English has none: the page's script carries it.
 */
function withLanguageFiles(page, html) {
  const script = /<script\b[^>]*\ssrc="((?:\.\.\/|\/)*)assets\/page-([a-z0-9-]+)\.js"/.exec(html);
  if (script === null) return html;
  const [, prefix, name] = script;
  let options = 0;
  const done = html.replace(/<option value="([A-Za-z-]+)" lang="\1"/g, (tag, lang) => {
    options += 1;
    if (lang === SOURCE_LANG) return tag;
    const file = `assets/lang-${name}-${lang}.js`;
    if (!existsSync(join(out, file))) throw new Error(`build: ${page} offers ${lang}, but there is no ${file}`);
    return `${tag} data-src="${prefix}${file}" data-integrity="${sri(join(out, file))}"`;
  });
  if (options !== LANGUAGES.length) throw new Error(`build: ${page} has ${options} language options, not ${LANGUAGES.length}`);
  return done;
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

writeFileSync(join(out, '..', 'web-meta.json'), JSON.stringify(metafile));
rmSync(final, { recursive: true, force: true });
renameSync(out, final);

// 5. The OpenAPI document of a server with the default settings (and the optional encrypt API on),
// from the app just built: no port, an in-memory store. test/openapi.test.ts checks that a running
// server serves exactly this file.
const { referenceDocument } = await import(pathToFileURL(join(root, 'dist', 'server', 'openapi.js')).href);
writeFileSync(join(root, 'docs', 'openapi.json'), `${JSON.stringify(await referenceDocument(final), null, 2)}\n`);
