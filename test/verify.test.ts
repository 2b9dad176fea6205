// The verifiable front end: Subresource Integrity on every script and stylesheet of the built
// pages, the build's manifest of file hashes, and `hush verify ORIGIN` comparing a live instance
// with the installed release. Runs the built CLI (bin/hush.js) against real servers.
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { defaultWebRoot, VERSION } from '../src/package.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { launchChromium, watchedPage } from './helpers/browser.js';
import { hush } from './helpers/cli.js';
import { startServer, tempDir, type TestServer } from './helpers/server.js';

const DIST_WEB = defaultWebRoot();
const manifest = JSON.parse(readFileSync(join(DIST_WEB, 'manifest.json'), 'utf8')) as {
  version: string;
  pages: Record<string, string>;
  notFound: string;
  files: Record<string, string>;
};

/** A server whose pages come from `webRoot` instead of dist/web (a tampered copy). */
async function serveWebRoot(webRoot: string): Promise<{ url: string; close: () => Promise<void> }> {
  const dir = tempDir();
  const config = loadConfig({}, {}, { port: 0, store: { kind: 'sqlite', path: join(dir, 'hush.db') }, logLevel: 'silent', rateLimit: false, challenge: 'off', adminPort: null });
  const store = new SqliteStore(join(dir, 'hush.db'));
  const app: FastifyInstance = await buildApp({ config, store, webRoot });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A copy of dist/web with one byte of `file` changed (the last one, a newline, becomes a space: still valid JS/CSS/HTML). */
function tamperedCopy(file: string): string {
  const root = join(tempDir('hush-web-'), 'web');
  cpSync(DIST_WEB, root, { recursive: true });
  const path = join(root, file);
  const bytes = readFileSync(path);
  const i = bytes.length - 1;
  bytes[i] = bytes[i] === 0x0a ? 0x20 : bytes[i]! ^ 0x01;
  writeFileSync(path, bytes);
  return root;
}

/** A plain HTTP server in front of `target`: serves it under `prefix`, or reports another version. */
async function proxy(target: string, options: { prefix?: string; version?: string }): Promise<{ url: string; close: () => Promise<void> }> {
  const prefix = options.prefix ?? '';
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '/';
      if (!url.startsWith(`${prefix}/`)) {
        res.writeHead(404).end();
        return;
      }
      const path = url.slice(prefix.length);
      const upstream = await fetch(target + path, { redirect: 'manual' });
      let body = Buffer.from(await upstream.arrayBuffer());
      if (options.version !== undefined && path === '/api/v1/info') {
        body = Buffer.from(JSON.stringify({ ...(JSON.parse(body.toString('utf8')) as object), version: options.version }));
      }
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream' }).end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}${prefix}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The script and stylesheet tags of an HTML page, with the URL each loads and its integrity. */
function subresources(html: string, pageUrl: string): { tag: string; url: string; integrity: string | undefined }[] {
  const found = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    if (tag.startsWith('<link') && !/\brel="(?:stylesheet|modulepreload|preload)"/.test(tag)) continue;
    const ref = /\s(?:src|href)="([^"]*)"/.exec(tag)?.[1];
    if (ref === undefined) continue;
    found.push({ tag, url: new URL(ref, pageUrl).href, integrity: /\sintegrity="([^"]*)"/.exec(tag)?.[1] });
  }
  return found;
}

describe('hush verify', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('the build wrote a manifest of this version covering every served file and every page', () => {
    expect(manifest.version).toBe(VERSION);
    expect(Object.keys(manifest.files)).not.toContain('/manifest.json');
    for (const file of ['/index.html', '/reveal.html', '/manage.html', '/stateless.html', '/404.html', '/assets/page-reveal.js', '/assets/worker-crypto.js', '/assets/worker-open.js', '/assets/page-404.js', '/assets/style.css', '/favicon.svg']) {
      expect(manifest.files[file], file).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(manifest.pages).toEqual({
      '/': '/index.html',
      '/s/{id}': '/reveal.html',
      '/m/{id}': '/manage.html',
      '/l': '/stateless.html',
      '/request': '/request.html',
      '/r/{id}': '/respond.html',
      '/mine': '/mine.html',
      '/c': '/combine.html',
      '/a': '/age.html',
    });
    expect(manifest.notFound).toBe('/404.html');
    for (const [file, hash] of Object.entries(manifest.files)) {
      expect(createHash('sha256').update(readFileSync(join(DIST_WEB, file))).digest('hex'), file).toBe(hash);
    }
  });

  it('every served page pins each script and stylesheet with integrity matching the served bytes', async () => {
    const pages = ['/', '/s/AAAAAAAAAAAAAAAAAAAAAA', '/m/AAAAAAAAAAAAAAAAAAAAAA', '/l', '/request', '/r/AAAAAAAAAAAAAAAAAAAAAA', '/mine', '/c', '/a', '/no-such-page'];
    let pinned = 0;
    for (const page of pages) {
      const pageUrl = s.url + page;
      const html = await (await fetch(pageUrl)).text();
      const tags = subresources(html, pageUrl);
      expect(tags.length, page).toBeGreaterThan(0);
      for (const { tag, url, integrity } of tags) {
        expect(integrity, `${page}: ${tag}`).toMatch(/^sha384-[A-Za-z0-9+/]{64}$/);
        const res = await fetch(url);
        expect(res.status, url).toBe(200);
        const served = `sha384-${createHash('sha384').update(Buffer.from(await res.arrayBuffer())).digest('base64')}`;
        expect(served, `${page}: ${tag}`).toBe(integrity);
        pinned++;
      }
    }
    // Every page loads the stylesheet; all but the 404 page load their script.
    expect(pinned).toBeGreaterThanOrEqual(9);
    // The sources stay without: only dist/ is rewritten.
    expect(readFileSync(new URL('../src/web/reveal.html', import.meta.url), 'utf8')).not.toContain('integrity=');
  });

  it('passes on a fresh instance: one ok line per file, exit 0', async () => {
    const r = await hush(['verify', s.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    for (const file of Object.keys(manifest.files)) expect(lines, file).toContainEqual(expect.stringMatching(new RegExp(`^ok  ${file.replaceAll('.', '\\.')}( |$)`)));
    expect(lines).toContain('ok  /reveal.html (at /s/{id})');
    expect(lines.filter((l) => l.startsWith('ok  '))).toHaveLength(Object.keys(manifest.files).length);
    expect(lines.at(-1)).toMatch(new RegExp(`^all ${String(Object.keys(manifest.files).length)} files match hush ${VERSION.replaceAll('.', '\\.')}`));
  });

  it('--json reports every file, and an origin with a path prefix works', async () => {
    const p = await proxy(s.url, { prefix: '/hush' });
    try {
      const r = await hush(['verify', '--json', `${p.url}/`]);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as { origin: string; match: boolean; version: string; serverVersion: string; files: { file: string; status: string }[] };
      expect(report).toMatchObject({ origin: p.url, match: true, version: VERSION, serverVersion: VERSION });
      expect(report.files.map((f) => f.file).sort()).toEqual(Object.keys(manifest.files).sort());
      expect(new Set(report.files.map((f) => f.status))).toEqual(new Set(['ok']));
    } finally {
      await p.close();
    }
  });

  // The worker cannot carry SRI, the HTML is what SRI rests on: the manifest covers both.
  it.each(['/assets/page-reveal.js', '/assets/worker-crypto.js', '/assets/style.css', '/reveal.html'])(
    'fails with exit 1 and names the file when one byte of %s is changed',
    async (file) => {
      const root = tamperedCopy(file);
      const t = await serveWebRoot(root);
      try {
        const r = await hush(['verify', t.url]);
        expect(r.code).toBe(1);
        const lines = r.stdout.trim().split('\n');
        const differs = lines.filter((l) => l.startsWith('DIFFERS  '));
        expect(differs).toHaveLength(1);
        expect(differs[0]).toMatch(new RegExp(`^DIFFERS  ${file.replaceAll('.', '\\.')}( |$)`));
        expect(lines.filter((l) => l.startsWith('ok  '))).toHaveLength(Object.keys(manifest.files).length - 1);
        expect(lines.at(-1)).toMatch(/^1 of \d+ files do not match/);
        const json = await hush(['verify', '--json', t.url]);
        expect(json.code).toBe(1);
        const report = JSON.parse(json.stdout) as { match: boolean; files: { file: string; status: string; expected: string; actual: string }[] };
        expect(report.match).toBe(false);
        const bad = report.files.filter((f) => f.status !== 'ok');
        expect(bad.map((f) => [f.file, f.status])).toEqual([[file, 'differs']]);
        expect(bad[0]!.actual).not.toBe(bad[0]!.expected);
      } finally {
        await t.close();
        rmSync(join(root, '..'), { recursive: true, force: true });
      }
    },
  );

  it('reports a missing file as MISSING, exit 1', async () => {
    const root = join(tempDir('hush-web-'), 'web');
    cpSync(DIST_WEB, root, { recursive: true });
    rmSync(join(root, 'assets', 'worker-crypto.js'));
    const t = await serveWebRoot(root);
    try {
      const r = await hush(['verify', t.url]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^MISSING {2}\/assets\/worker-crypto\.js$/m);
      expect(r.stdout).toMatch(/0 differ, 1 missing/);
    } finally {
      await t.close();
      rmSync(join(root, '..'), { recursive: true, force: true });
    }
  });

  it('fails with exit 1 when the instance runs another version, naming both', async () => {
    const p = await proxy(s.url, { version: '99.0.0' });
    try {
      const r = await hush(['verify', p.url]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('runs hush 99.0.0');
      expect(r.stderr).toContain(`the installed hush is ${VERSION}`);
      const json = await hush(['verify', '--json', p.url]);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ match: false, reason: 'version', serverVersion: '99.0.0', version: VERSION });
    } finally {
      await p.close();
    }
  });

  it('exit 3 when nothing listens, or when the origin is not a Hush server', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const { port } = free.address() as AddressInfo;
    await new Promise((resolve) => free.close(resolve));
    const r = await hush(['verify', `http://127.0.0.1:${String(port)}`]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^hush: could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);

    const other = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>nginx</h1>'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const n = await hush(['verify', `http://127.0.0.1:${String((other.address() as AddressInfo).port)}`]);
      expect(n.code).toBe(3);
      expect(n.stderr).toContain('does not look like a Hush server');
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('usage errors exit 2; --help explains it', async () => {
    for (const args of [['verify'], ['verify', 'ftp://example.com'], ['verify', 'not a url'], ['verify', s.url, s.url], ['verify', '--jsn', s.url]]) {
      const r = await hush(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^hush: /);
    }
    const help = await hush(['verify', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: hush verify \[options\] ORIGIN/);
    expect(help.stdout).toContain('--json');
    expect((await hush(['--help'])).stdout).toContain('  verify ORIGIN ');
  });
});

describe('Subresource Integrity in Chromium', () => {
  it('runs the pinned script of an intact page, and refuses a script whose bytes changed', async () => {
    const fresh = await startServer();
    const root = tamperedCopy('/assets/page-reveal.js');
    const tampered = await serveWebRoot(root);
    const browser = await launchChromium();
    try {
      const context = await browser.newContext();
      // Intact: the script runs and says the (random) link is incomplete.
      const ok = await watchedPage(context);
      await ok.page.goto(`${fresh.url}/s/AAAAAAAAAAAAAAAAAAAAAA`);
      await ok.page.waitForSelector('#gone:not([hidden])');
      expect(ok.errors).toEqual([]);
      // Tampered: the browser refuses the script; nothing of it runs.
      const bad = await watchedPage(context);
      await bad.page.goto(`${tampered.url}/s/AAAAAAAAAAAAAAAAAAAAAA`);
      await bad.page.waitForLoadState('load');
      await bad.page.waitForTimeout(300);
      expect(await bad.page.isVisible('#gone')).toBe(false);
      expect(bad.errors.join('\n')).toMatch(/integrity/i);
      console.log(`Chromium: ${bad.errors.join(' | ')}`);
    } finally {
      await browser.close();
      await tampered.close();
      await fresh.close();
      rmSync(join(root, '..'), { recursive: true, force: true });
    }
  });
});
