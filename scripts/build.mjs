// Builds everything `npm start` and the tests run:
//   1. the Node code (server, store, CLI, library) with tsc into dist/
//   2. the pages: src/web/*.ts bundled by esbuild into dist/web/assets/, HTML and CSS copied.
//   3. Subresource Integrity: every <script src> and stylesheet <link> of the copied HTML gets
//      integrity="sha384-…" of the asset it loads (src/web stays without; only dist/ is rewritten).
//   4. dist/web/manifest.json: the SHA-256 of every file served from dist/web, which
//      `hush verify <origin>` compares with what a live instance serves (docs/security.md).
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
  if (f.endsWith('.html') || f.endsWith('.css') || f.endsWith('.svg') || f === 'robots.txt') {
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
const { PAGES, NOT_FOUND_PAGE: NOT_FOUND } = await import(pathToFileURL(join(root, 'dist', 'shared', 'pages.js')).href);
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
