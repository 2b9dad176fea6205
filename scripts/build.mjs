// Builds everything `npm start` and the tests run:
//   1. the Node code (server, store, CLI, library) with tsc into dist/
//   2. the pages: src/web/*.ts bundled by esbuild into dist/web/assets/, HTML and CSS copied.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
writeFileSync(join(out, '..', 'web-meta.json'), JSON.stringify(result.metafile));
rmSync(final, { recursive: true, force: true });
renameSync(out, final);
