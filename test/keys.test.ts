// Keys kept in the data directory (src/server/keys.ts): with no HUSH_POW_KEY and a SQLite store, the
// proof-of-work key is made once beside the database, privately, and every later start (and every
// process starting at the same moment) uses that same key; a challenge issued before a restart is
// still accepted after it.
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { solvePow, type PowChallenge } from '../src/client/pow.js';
import { sealSecret } from '../src/protocol/index.js';
import { keyFromFile, withKeptKeys } from '../src/server/keys.js';
import { loadConfig } from '../src/server/config.js';
import { settleKeys } from '../src/server/settled-keys.js';
import { req } from './helpers/api.js';
import { startProcess, type ServerProcess } from './helpers/process.js';
import { tempDir } from './helpers/server.js';

describe('keys kept in the data directory', () => {
  it('is made once, 0600, and read back unchanged', () => {
    const dir = join(tempDir(), 'data');
    const first = keyFromFile(dir, 'pow');
    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(first.path).mode & 0o777).toBe(0o600);
    const again = keyFromFile(dir, 'pow');
    expect(again).toEqual({ key: first.key, path: first.path, created: false });
  });

  it('eight processes starting at once end up with one key', async () => {
    const dir = tempDir();
    // The built module (npm run build), in eight real processes that each make or read the key.
    const script = `const m = await import(${JSON.stringify(new URL('../dist/server/keys.js', import.meta.url).href)}); process.stdout.write(m.keyFromFile(${JSON.stringify(dir)}, 'pow').key);`;
    const keys = await Promise.all(
      Array.from({ length: 8 }, () => new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--input-type=module', '-e', script], (err, stdout) => {
          if (err) reject(new Error(err.message));
          else resolve(stdout);
        });
      })),
    );
    expect(new Set(keys).size).toBe(1);
    expect(readFileSync(join(dir, 'pow.key'), 'utf8').trim()).toBe(keys[0]);
  });

  it('refuses a file that holds no usable key instead of signing with it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pow.key'), 'short\n');
    expect(() => keyFromFile(dir, 'pow')).toThrow(/pow\.key holds no usable key/);
  });

  it('settles every key once before serving, and names every file it keeps (one process or many)', () => {
    const dir = tempDir();
    const env = { HUSH_STORE: `sqlite:${dir}/hush.db`, HUSH_SMTP_URL: 'smtp://127.0.0.1:2525', HUSH_MAIL_FROM: 'hush@example.com' };
    const first = settleKeys(loadConfig(env));
    const file = (name: string): string => readFileSync(join(dir, `${name}.key`), 'utf8').trim();
    expect(first.kept).toEqual([`${join(dir, 'pow.key')} (made now)`, `${join(dir, 'receipt.key')} (made now)`, `${join(dir, 'recipient.key')} (made now)`]);
    expect([first.config.powKey, first.config.receiptKey, first.config.recipientKey]).toEqual([file('pow'), file('receipt'), file('recipient')]);
    // A second start reads the same files; a broken receipt key is refused, naming its file.
    expect(settleKeys(loadConfig(env)).config).toEqual(first.config);
    writeFileSync(join(dir, 'receipt.key'), 'this is not a 32-byte seed at all\n');
    expect(() => settleKeys(loadConfig(env))).toThrow(/receipt\.key: .*remove it to have a new key made/);
    // Without a file to keep them in: made once in memory, the same for every worker of one primary.
    const postgres = settleKeys(loadConfig({ HUSH_STORE: 'postgres://u@127.0.0.1:5432/test' }));
    expect(postgres.kept).toEqual([]);
    expect(postgres.config.powKey).toMatch(/^[\w-]{43}$/);
    expect(postgres.config.receiptKey).toMatch(/^[\w-]{43}$/);
  });

  it('applies to a SQLite file only when the key is not given', () => {
    const dir = tempDir();
    const sqlite = loadConfig({ HUSH_STORE: `sqlite:${dir}/hush.db` });
    expect(withKeptKeys(sqlite).config.powKey).toBe(readFileSync(join(dir, 'pow.key'), 'utf8').trim());
    const given = loadConfig({ HUSH_STORE: `sqlite:${tempDir()}/hush.db`, HUSH_POW_KEY: 'k'.repeat(32) });
    expect(withKeptKeys(given)).toEqual({ config: given, kept: [] });
    const memory = loadConfig({ HUSH_STORE: 'sqlite::memory:' });
    expect(withKeptKeys(memory).config.powKey).toBe('');
    const postgres = loadConfig({ HUSH_STORE: 'postgres://u@127.0.0.1:5432/test' });
    expect(withKeptKeys(postgres).config.powKey).toBe('');
  });
});

describe('a restart on the same data directory', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    server = undefined;
  });

  it('accepts a proof of work solved against the process before it', async () => {
    const dir = tempDir();
    const env = { HUSH_STORE: `sqlite:${dir}/hush.db`, HUSH_CHALLENGE: 'pow', HUSH_POW_COST: '1000' };
    server = await startProcess(env);
    const challenge = (await req(`${server.url}/api/v1/challenge`)).json as PowChallenge;
    const solution = await solvePow(challenge);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = await startProcess(env);
    expect(server.output()).toContain(`${dir}/pow.key`);
    const sealed = await sealSecret({ message: 'made across a restart' });
    const created = await req(`${server.url}/api/v1/secrets`, { method: 'POST', json: sealed.body, headers: { 'x-hush-challenge': solution } });
    expect(created.status).toBe(201);
  });
});
