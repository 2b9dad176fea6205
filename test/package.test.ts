// The package as people install it: `npm pack` on the built tree gives a tarball with the built
// server, CLI, library and pages and nothing else (no sources, tests, source maps or data), and
// `npm install -g` of that tarball into an empty prefix gives a `hush` that serves (pages and API,
// with a SQLite store) and sends and opens secrets. The install is real: npm resolves the
// dependencies from the registry and builds better-sqlite3's native module (from source when no
// prebuilt binary can be downloaded: a few minutes), so this file takes that long.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, tempDir } from './helpers/server.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** Long enough for a from-source build of better-sqlite3 on a slow, busy machine. */
const INSTALL_TIMEOUT = 15 * 60_000;

/**
 * The environment of npm and of the installed `hush`: none of the npm_* variables a parent
 * `npm test` exports (among them npm_config_ignore_scripts=true from this project's .npmrc, which
 * would keep better-sqlite3 from being built), so npm sees only the user's and global config,
 * as someone installing the package would.
 */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^npm_/i.test(k) && !k.startsWith('HUSH_')) env[k] = v;
  // The node running the tests first, for `#!/usr/bin/env node` in the installed bin/hush.js.
  env.PATH = [dirname(process.execPath), env.PATH ?? ''].join(delimiter);
  return { ...env, ...extra };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; input?: string; timeout?: number }): Promise<Run> {
  const started = Date.now();
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish: ${stderr}`));
    }, options.timeout ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Every file below `dir`, as paths relative to `base`. */
function walk(dir: string, base: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name), base) : [relative(base, join(dir, e.name))]));
}

describe('npm pack, then npm install -g of the tarball', () => {
  const work = tempDir('hush-package-');
  const prefix = join(work, 'prefix');
  const hushBin = join(prefix, 'bin', 'hush');
  const installed = join(prefix, 'lib', 'node_modules', 'hush');
  let tarball = '';
  let entries: string[] = [];

  beforeAll(async () => {
    for (const built of ['dist/server/main.js', 'dist/cli/main.js', 'dist/web/manifest.json']) {
      expect(existsSync(join(ROOT, built)), `${built} is missing: npm run build first`).toBe(true);
    }
    const pack = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT });
    expect(pack.code, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout) as { filename: string; size: number; unpackedSize: number; entryCount: number }[];
    tarball = join(work, info!.filename);
    console.log(`npm pack: ${info!.filename}, ${String(info!.size)} bytes (${String(info!.unpackedSize)} unpacked), ${String(info!.entryCount)} files, in ${seconds(pack.ms)}`);
    const list = await run('tar', ['-tzf', tarball], { cwd: work });
    expect(list.code, list.stderr).toBe(0);
    entries = list.stdout.split('\n').filter((l) => l !== '' && !l.endsWith('/')).map((l) => l.replace(/^package\//, ''));
    expect(entries.length).toBe(info!.entryCount);

    // As someone would install it: outside this checkout (so its .npmrc, ignore-scripts=true, does
    // not apply), allowing better-sqlite3's install script, which builds the native module.
    const install = await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--allow-scripts=better-sqlite3', tarball], { cwd: work, timeout: INSTALL_TIMEOUT });
    console.log(`npm install -g: exit ${String(install.code)} in ${seconds(install.ms)}`);
    expect(install.code, install.stderr).toBe(0);
  }, INSTALL_TIMEOUT + 60_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('the tarball holds the built server, CLI, library and pages, and no sources, tests, maps or data', () => {
    // Everything the build made that runs or is served, and the library's types.
    const dist = walk(join(ROOT, 'dist'), ROOT).filter((f) => !f.endsWith('.map') && !f.startsWith('dist/.web-') && f !== 'dist/web-meta.json');
    expect(dist.length).toBeGreaterThan(50);
    for (const f of dist) expect(entries, f).toContain(f);
    for (const f of ['bin/hush.js', 'package.json', 'README.md', 'dist/lib.d.ts', 'dist/web/manifest.json']) expect(entries, f).toContain(f);
    // Every page, script and stylesheet the manifest lists (what `hush verify` compares).
    const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/web/manifest.json'), 'utf8')) as { files: Record<string, string> };
    for (const served of Object.keys(manifest.files)) expect(entries, served).toContain(`dist/web${served}`);
    const unwanted = entries.filter((f) => /^(src|test|bench|scripts|deploy|node_modules|data)\//.test(f) || /\.(map|db|db-wal|db-shm|tgz|log)$/.test(f) || /(^|\/)(\.web-|web-meta\.json|\.npmrc|\.env)/.test(f));
    expect(unwanted).toEqual([]);
    expect(entries.every((f) => /^(dist|bin|docs)\/|^(README\.md|package\.json)$/.test(f)), entries.join('\n')).toBe(true);
  });

  it('hush --version prints the version of package.json', async () => {
    expect(existsSync(hushBin)).toBe(true);
    const r = await run(hushBin, ['--version'], { cwd: work });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
  });

  it('hush serve serves the pages and the API from a SQLite file; hush send makes a link that hush open reads back, once; hush verify finds the pages unchanged', async () => {
    const data = join(work, 'data');
    const port = await freePort();
    const server = spawn(hushBin, ['serve', '--port', String(port)], {
      cwd: work,
      env: cleanEnv({ HUSH_STORE: `sqlite:${join(data, 'hush.db')}`, HUSH_CHALLENGE: 'off', HUSH_ADMIN_PORT: 'off' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => server.on('exit', (code) => r(code)));
    let log = '';
    let errors = '';
    server.stderr.on('data', (d: Buffer) => (errors += d.toString('utf8')));
    const started = Date.now();
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout.on('data', (d: Buffer) => {
          log += d.toString('utf8');
          if (log.includes(`Server listening at http://127.0.0.1:${String(port)}`)) resolve();
        });
        void exited.then((code) => reject(new Error(`hush serve exited (${String(code)}): ${log}${errors}`)));
        setTimeout(() => reject(new Error(`hush serve did not listen: ${log}${errors}`)), 30_000).unref();
      });
      console.log(`hush serve listening after ${seconds(Date.now() - started)}`);
      const url = `http://127.0.0.1:${String(port)}`;
      // Not a TTY: JSON lines.
      expect(JSON.parse(log.split('\n')[0]!)).toMatchObject({ level: 30 });

      const info = await fetch(`${url}/api/v1/info`);
      expect(info.status).toBe(200);
      expect(await info.json()).toMatchObject({ version: VERSION });
      // The pages are the installed package's files, byte for byte.
      for (const [path, file] of [['/', 'index.html'], ['/s/AAAAAAAAAAAAAAAAAAAAAA', 'reveal.html']] as const) {
        const page = await fetch(`${url}${path}`);
        expect(page.status, path).toBe(200);
        expect(page.headers.get('content-type')).toMatch(/^text\/html/);
        expect(await page.text()).toBe(readFileSync(join(installed, 'dist', 'web', file), 'utf8'));
      }

      const env = cleanEnv();
      const sent = await run(hushBin, ['send', '--server', url], { cwd: work, env, input: 'secret\n' });
      expect(sent.code, sent.stderr).toBe(0);
      const link = sent.stdout.trim();
      expect(link).toMatch(new RegExp(`^${url}/s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));
      const opened = await run(hushBin, ['open'], { cwd: work, env, input: link });
      expect(opened.code, opened.stderr).toBe(0);
      expect(opened.stdout).toBe('secret\n');
      const again = await run(hushBin, ['open'], { cwd: work, env, input: link });
      expect(again.code).toBe(1);

      const verify = await run(hushBin, ['verify', url], { cwd: work, env });
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);

      // The store is where HUSH_STORE says; nothing was written into the installed package.
      expect(existsSync(join(data, 'hush.db'))).toBe(true);
      expect(existsSync(join(installed, 'data'))).toBe(false);
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      server.kill('SIGKILL');
    }
  });
});
