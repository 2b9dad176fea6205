// Configuration: one validated schema; defaults from the brief; clear errors; `npm start`'s entry
// exits 1 on a bad value and serves on its defaults otherwise.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, SETTINGS, loadConfig } from '../src/server/config.js';
import { tempDir } from './helpers/server.js';

describe('loadConfig', () => {
  it('has the defaults of the brief: loopback only, port 8080, SQLite under ./data', () => {
    expect(loadConfig({})).toEqual(DEFAULT_CONFIG);
    expect(DEFAULT_CONFIG).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      store: { kind: 'sqlite', path: './data/hush.db' },
      maxSize: 10 * 1024 * 1024, // 10 MiB in all: message and files
      ttlMin: 60,
      ttlMax: 2_592_000,
      ttlDefault: 86_400,
      maxViews: 100,
      passphraseAttempts: 5,
    });
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it('reads every setting from its HUSH_* variable, and flags win over the environment', () => {
    const c = loadConfig(
      { HUSH_PORT: '9000', HUSH_TTL_MAX: '7d', HUSH_MAX_SIZE: '2MiB', HUSH_PUBLIC_URL: 'https://hush.example.com/', HUSH_LOG_LEVEL: 'warn' },
      { port: '9001' },
    );
    expect(c).toMatchObject({ port: 9001, ttlMax: 604_800, maxSize: 2 * 1024 * 1024, publicUrl: 'https://hush.example.com', logLevel: 'warn' });
    for (const s of SETTINGS) expect(s.env).toBe(`HUSH_${s.flag.slice(2).replace(/-/g, '_').toUpperCase()}`);
  });

  it.each([
    [{ HUSH_PORT: 'eighty' }, /HUSH_PORT: expected a whole number/],
    [{ HUSH_PORT: '70000' }, /HUSH_PORT: must be between 0 and 65535/],
    [{ HUSH_STORE: 'mysql://x' }, /HUSH_STORE: unsupported store "mysql"/],
    [{ HUSH_LOG_LEVEL: 'loud' }, /HUSH_LOG_LEVEL: must be one of/],
    [{ HUSH_PUBLIC_URL: 'ftp://x' }, /HUSH_PUBLIC_URL: must start with https/],
    [{ HUSH_PUBLIC_URL: 'https://x/?a=1' }, /HUSH_PUBLIC_URL: must be an origin/],
    [{ HUSH_TTL_MIN: '2h', HUSH_TTL_MAX: '1h', HUSH_TTL_DEFAULT: '1h' }, /HUSH_TTL_MIN .* is above HUSH_TTL_MAX/],
    [{ HUSH_TTL_DEFAULT: '90d' }, /HUSH_TTL_DEFAULT/],
    [{ HUSH_MAX_SIZE: 'huge' }, /HUSH_MAX_SIZE: expected a size/],
    [{ HUSH_PROT: '80' }, /unknown setting HUSH_PROT/],
    // Links are never built from the Host header (outside review): the encrypt API needs the public URL.
    [{ HUSH_ENCRYPT_API: 'on', HUSH_API_TOKENS: `sha256:${'a'.repeat(64)}` }, /HUSH_ENCRYPT_API=on needs HUSH_PUBLIC_URL/],
    // Turnstile tokens are checked against the public URL's host name.
    [{ HUSH_CHALLENGE: 'turnstile', HUSH_TURNSTILE_SITE_KEY: 'k', HUSH_TURNSTILE_SECRET: 's' }, /HUSH_CHALLENGE=turnstile needs HUSH_PUBLIC_URL/],
    [{ HUSH_CLIENT_IP_HEADER: 'cf-connecting-ip' }, /HUSH_CLIENT_IP_HEADER is believed only from HUSH_TRUSTED_PROXIES/],
    [{ HUSH_CLIENT_IP_HEADER: 'x forwarded', HUSH_TRUSTED_PROXIES: 'loopback' }, /HUSH_CLIENT_IP_HEADER: not a header name/],
  ])('refuses %o with a message naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('leaves non-Hush variables and the CLI client variable alone', () => {
    expect(() => loadConfig({ PATH: '/bin', HUSH_SERVER: 'http://x' })).not.toThrow();
  });
});

function run(env: Record<string, string>): { done: Promise<{ code: number | null; out: string; err: string }>; kill: () => void; out: () => string } {
  const child = spawn(process.execPath, ['dist/server/main.js'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return {
    done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err }))),
    kill: () => child.kill('SIGTERM'),
    out: () => out,
  };
}

describe('the server entry point (npm start)', () => {
  it('exits 1 with a clear message on a bad setting', async () => {
    const r = await run({ HUSH_PORT: 'nope' }).done;
    expect(r.code).toBe(1);
    expect(r.err).toBe('hush: configuration error: HUSH_PORT: expected a whole number, got "nope"\n');
  });

  it('starts on a fresh SQLite file, serves the pages and the API, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const db = join(dir, 'data', 'hush.db');
    const p = run({ HUSH_PORT: '0', HUSH_ADMIN_PORT: '0', HUSH_STORE: `sqlite:${db}` });
    try {
      let url: string | undefined;
      for (let i = 0; i < 100 && url === undefined; i++) {
        url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(p.out())?.[1];
        if (url === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      expect(url).toBeDefined();
      expect(existsSync(db)).toBe(true);
      const page = await fetch(`${url!}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      expect((await fetch(`${url!}/api/v1/info`)).status).toBe(200);
      p.kill();
      const r = await p.done;
      expect(r.code).toBe(0);
      expect(r.out).toContain('shutting down');
    } finally {
      p.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
