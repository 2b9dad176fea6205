// The CLI's requests end to end on a real server with a real SQLite file — hush request → hush
// respond → hush request wait — including a swapped key or note refused, polling, cancel and the
// key files (docs/protocol.md §7). The HTTP contract is in requests.test.ts.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeKeyFile, type KeyFile } from '../src/cli/request-keys.js';
import { b64uDecode, b64uEncode } from '../src/protocol/index.js';
import { hush, spawnHush, type CliResult } from './helpers/cli.js';
import { bearer, req } from './helpers/api.js';
import { expectFailure } from './helpers/cli-session.js';
import { startServer, tempDir, type TestServer } from './helpers/server.js';

let s: TestServer;
const dirs: string[] = [];
const dir = (): string => {
  const d = tempDir('hush-requests-');
  dirs.push(d);
  return d;
};
beforeAll(async () => {
  s = await startServer({ maxSize: 64 * 1024 });
});
afterAll(async () => {
  await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const api = (path: string, base = s.url): string => `${base}/api/v1${path}`;
const randomId = (): string => b64uEncode(randomBytes(16));

describe('hush request, hush respond, hush request wait', () => {
  const LINK = /^(http:\/\/127\.0\.0\.1:\d+)\/r\/([A-Za-z0-9_-]{22})#([A-Za-z0-9_-]{22})$/;
  const env = (): Record<string, string> => ({ HUSH_SERVER: s.url });

  interface CliRequest {
    link: string;
    origin: string;
    id: string;
    fragment: string;
    keyDir: string;
    result: CliResult;
  }

  async function request(args: string[] = [], keyDir = dir()): Promise<CliRequest> {
    const result = await hush(['request', '--key-dir', keyDir, ...args], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    const link = result.stdout.trimEnd();
    const m = LINK.exec(link);
    expect(m, result.stdout).not.toBeNull();
    return { link, origin: m![1]!, id: m![2]!, fragment: m![3]!, keyDir, result };
  }

  const keyFile = (r: CliRequest): KeyFile => JSON.parse(readFileSync(join(r.keyDir, `${r.id}.json`), 'utf8')) as KeyFile;

  it('request → respond (pipe) → wait prints the secret exactly and removes the key file', async () => {
    const home = dir();
    const note = 'the staging API key, please';
    const made = await hush(['request', '--note', note, '--ttl', '1h'], { env: { ...env(), HOME: home } });
    expect(made.code, made.stderr).toBe(0);
    const m = LINK.exec(made.stdout.trimEnd());
    expect(m, made.stdout).not.toBeNull();
    const [link, , id] = m! as unknown as [string, string, string];
    expect(made.stderr).toContain(`hush request wait ${id}`);
    expect(made.stderr).toMatch(/not encrypted/);
    // The key file: in ~/.config/hush/requests, 0600 in a 0700 directory, holding the private key.
    const keyDir = join(home, '.config', 'hush', 'requests');
    const path = join(keyDir, `${id}.json`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(keyDir).mode & 0o777).toBe(0o700);
    const file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
    expect(file).toMatchObject({ version: 1, id, server: s.url, link, privateKey: { kty: 'EC', crv: 'P-256' } });
    expect(typeof file.privateKey.d).toBe('string');
    // The server never saw the private key.
    expect(readFileSync(s.dbPath).includes(Buffer.from(b64uDecode(file.privateKey.d!)))).toBe(false);

    const secret = '\uFEFF  multi-line — ünïcødé 🔐 密码\n\tindented\r\nend\n\n';
    const sent = await hush(['respond', link], { input: secret, env: {} });
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/^sent: /);
    expect(sent.stderr).toContain(note);
    expect(sent.stderr).toMatch(/not encrypted/);

    const got = await hush(['request', 'wait', id, '--every', '1s'], { env: { HOME: home } });
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdoutBytes.equals(Buffer.from(secret, 'utf8'))).toBe(true);
    expect(got.stderr).toBe('');
    expect(existsSync(path)).toBe(false);
    expectFailure(await hush(['request', 'wait', id], { env: { HOME: home } }), 1, /no key file/);
    expectFailure(await hush(['respond', link], { input: 'again', env: {} }), 1, /does not exist/);
  });

  it('hush request asks the server for its /info once (its limits check the --ttl, and the flow reuses them)', async () => {
    const infos = (): number => s.logs.filter((l) => (JSON.parse(l) as { req?: { route?: string } }).req?.route === '/api/v1/info').length;
    const before = infos();
    await request(['--ttl', '1h']);
    expect(infos() - before).toBe(1);
  });

  it('wait polls until the answer arrives (started before the respond), and --json gives the message', async () => {
    const r = await request();
    const child = spawnHush(['request', 'wait', r.id, '--key-dir', r.keyDir, '--every', '1s', '--json']);
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stdin!.end();
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(child.exitCode).toBeNull(); // still waiting
    const sent = await hush(['respond', r.link, '--message-file', '-'], { input: 'waited for', env: {} });
    expect(sent.code, sent.stderr).toBe(0);
    expect(await exited).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ message: 'waited for', expiresAt: expect.any(String) });
  });

  it('respond refuses a swapped public key: the link of one request with the id of another; nothing is sent', async () => {
    const a = await request(['--note', 'same note']);
    const b = await request(['--note', 'same note']);
    const swapped = `${a.origin}/r/${b.id}#${a.fragment}`;
    const r = await hush(['respond', swapped], { input: 'must not be sent', env: {} });
    expectFailure(r, 1, /does not match the fingerprint in the link/);
    expect(r.stderr).not.toContain('must not be sent');
    // Nothing reached request b, and request a is still open too.
    const status = await req(api(`/requests/${b.id}/status`), { headers: bearer(keyFile(b).token) });
    expect(status.json).toMatchObject({ state: 'open' });
    expect((await req(api(`/requests/${a.id}`))).json).toMatchObject({ state: 'open' });
    // The right link still works.
    expect((await hush(['respond', b.link], { input: 'fine', env: {} })).code).toBe(0);
  });

  it('respond refuses a note the server altered', async () => {
    const r = await request(['--note', 'send the staging key']);
    const db = new Database(s.dbPath);
    try {
      db.prepare('UPDATE requests SET note = ? WHERE id = ?').run('send the PRODUCTION key', r.id);
    } finally {
      db.close();
    }
    const res = await hush(['respond', r.link], { input: 'prod key', env: {} });
    expectFailure(res, 1, /does not match the fingerprint in the link/);
    expect(res.stderr).not.toContain('PRODUCTION');
    expect((await req(api(`/requests/${r.id}`))).json).toMatchObject({ state: 'open' });
  });

  it('respond: an answered, cancelled or unknown request exits 1; a damaged link exits 2', async () => {
    const answered = await request();
    expect((await hush(['respond', answered.link, 'first'], { env: {} })).code).toBe(0);
    expectFailure(await hush(['respond', answered.link], { input: 'second', env: {} }), 1, /already answered/);
    const unknown = `${answered.origin}/r/${randomId()}#${answered.fragment}`;
    expectFailure(await hush(['respond', unknown], { input: 'x', env: {} }), 1, /does not exist/);
    expectFailure(await hush(['respond', `${answered.origin}/r/${answered.id}#short`], { input: 'x', env: {} }), 2, /Not a valid Hush link/);
    expectFailure(await hush(['respond'], { input: 'x', env: {} }), 2, /request link/);
  });

  it('cancel erases the request and its key file; the link then takes no answer', async () => {
    const r = await request();
    const res = await hush(['request', 'cancel', r.id, '--key-dir', r.keyDir], { env: {} });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^cancelled/);
    expect(existsSync(join(r.keyDir, `${r.id}.json`))).toBe(false);
    expectFailure(await hush(['respond', r.link], { input: 'x', env: {} }), 1, /does not exist/);
  });

  it('wait --timeout gives up with exit 1 and keeps the key file; a request gone on the server removes it', async () => {
    const r = await request();
    const res = await hush(['request', 'wait', r.id, '--key-dir', r.keyDir, '--every', '1s', '--timeout', '2s'], { env: {} });
    expectFailure(res, 1, /no answer within 2s/);
    expect(existsSync(join(r.keyDir, `${r.id}.json`))).toBe(true);
    await req(api(`/requests/${r.id}`), { method: 'DELETE', headers: bearer(keyFile(r).token) });
    expectFailure(await hush(['request', 'wait', r.id, '--key-dir', r.keyDir], { env: {} }), 1, /no longer exists/);
    expect(existsSync(join(r.keyDir, `${r.id}.json`))).toBe(false);
    expectFailure(await hush(['request', 'wait', 'not-an-id', '--key-dir', r.keyDir], { env: {} }), 2, /not a request id/);
  });

  it('a key file is never overwritten', async () => {
    const d = dir();
    const file: KeyFile = { version: 1, id: randomId(), server: s.url, link: 'x', token: 't', expiresAt: new Date().toISOString(), privateKey: { kty: 'EC' } };
    await writeKeyFile(d, file);
    await expect(writeKeyFile(d, { ...file, token: 'other' })).rejects.toThrow(/already exists/);
    expect(JSON.parse(readFileSync(join(d, `${file.id}.json`), 'utf8'))).toMatchObject({ token: 't' });
    await expect(writeKeyFile(d, { ...file, id: '../../etc/passwd' })).rejects.toThrow(/invalid request id/);
  });

  it('help: hush request --help and hush respond --help', async () => {
    const a = await hush(['request', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toMatch(/hush request wait/);
    const b = await hush(['respond', '--help']);
    expect(b.code).toBe(0);
    expect(b.stdout).toMatch(/fingerprint/);
    expect((await hush(['--help'])).stdout).toMatch(/respond LINK/);
  });
});
