// `hush login` (docs/protocol.md §13) end to end against a real provider (oidc-provider, in this
// process, offering the device authorization grant to a public CLI client): the CLI prints the
// verification address and code, Chromium approves them on the provider's own pages, the CLI trades
// the ID token at the server for a personal API token and keeps it (0600); `hush send` then creates
// as that person with no token given, and `hush logout` forgets it. The server's own check of ID
// tokens: another audience, another issuer, expired, replayed, and the sign-in rules. Servers and
// providers that cannot sign the CLI in say so, and what to do instead.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { freePort, startServer, tempDir as makeTempDir, type TestServer } from './helpers/server.js';
import { approveDevice, startProvider, type TestProvider } from './helpers/oidc-provider.js';
import { launchChromium } from './helpers/browser.js';
import { hush, spawnHush } from './helpers/cli.js';
import { req } from './helpers/api.js';
import { b64uEncode, sealSecret } from '../src/protocol/index.js';
import { CookieSealer } from '../src/server/session.js';
import { loadConfig } from '../src/server/config.js';
import { openLink } from '../src/lib.js';

const SECRET = 'hush-test-client-secret-0123456789';
const OPERATOR_TOKEN = 'cli-login-test-operator-token';
const SESSION_KEY = new Uint8Array(32).fill(42);

let browser: Browser;
let idp: TestProvider;
/** A second provider where a client of the same id is registered: its ID tokens must not count here. */
let stranger: TestProvider;
let s: TestServer;
let publicUrl: string;
const dirs: string[] = [];
const tempDir = (): string => {
  const dir = makeTempDir('hush-login-');
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  const port = await freePort();
  publicUrl = `http://localhost:${String(port)}`;
  const clients = [{ client_id: 'hush', client_secret: SECRET, redirect_uris: [`${publicUrl}/auth/callback`] }];
  const groups = { 'contractor@example.com': ['contractors'] };
  [browser, idp, stranger] = await Promise.all([
    launchChromium(),
    // ID tokens live 120 s here (the expiry test moves Hush's clock past it).
    startProvider({ clients, groups, deviceFlow: true, deviceClients: ['hush-cli', 'other-cli'], idTokenTtl: 120 }),
    startProvider({ clients, deviceFlow: true, deviceClients: ['hush-cli'] }),
  ]);
  s = await startServer({
    port, publicUrl, createPolicy: 'oidc', oidcIssuer: idp.issuer, oidcClientId: 'hush', oidcClientSecret: SECRET, oidcCliClientId: 'hush-cli',
    oidcAllowedDomains: ['example.com'], oidcAllowedGroups: ['staff'], apiTokens: [createHash('sha256').update(OPERATOR_TOKEN).digest('hex')],
    challenge: 'pow', powCost: 1000, sessionKey: b64uEncode(SESSION_KEY),
  });
});
afterAll(async () => {
  await browser.close();
  await s.close();
  await Promise.all([idp.close(), stranger.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const ownedIds = async (sub: string): Promise<string[]> =>
  (await s.store.owned(new CookieSealer(SESSION_KEY).mac('owner', sub), Date.now(), { limit: 100 })).map((o) => o.id);
const idOf = (link: string): string => /\/s\/([A-Za-z0-9_-]{22})#/.exec(link)![1]!;
const message = (r: { json: unknown }): string => (r.json as { error: { message: string } }).error.message;
const tokenFor = (headers: Record<string, string>): ReturnType<typeof req> => req(`${s.url}/api/v1/me/tokens`, { method: 'POST', headers });

/** `hush login` against `server`, with the person's part done in Chromium as `login`: the exit code and stderr. */
async function login(server: string, config: string, as: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawnHush(['login', '--server', server], { env: { XDG_CONFIG_HOME: config } });
  child.stdin!.end();
  let stderr = '';
  let stdout = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const prompt = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = /open\n\n {4}(\S+)\n\nand enter the code\n\n {4}(\S+)\n/.exec(stderr);
      if (m) resolve(m);
    });
    void exited.then(() => reject(new Error(`hush login exited before asking: ${stderr}`)));
  });
  await approveDevice(browser, prompt[1]!, prompt[2]!, as);
  const code = await exited;
  expect(stdout).toBe('');
  return { code, stderr };
}

/** A genuine ID token of `clientId` at `issuer` for `as`, by the device grant done here (not by the CLI). */
async function deviceIdToken(issuer: string, clientId: string, as: string): Promise<string> {
  const meta = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { device_authorization_endpoint: string; token_endpoint: string };
  const form = (o: Record<string, string>): { method: string; body: URLSearchParams } => ({ method: 'POST', body: new URLSearchParams(o) });
  const started = (await (await fetch(meta.device_authorization_endpoint, form({ client_id: clientId, scope: 'openid email profile' }))).json()) as Record<string, string>;
  await approveDevice(browser, started.verification_uri!, started.user_code!, as);
  const tokens = (await (await fetch(meta.token_endpoint, form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: started.device_code!, client_id: clientId }))).json()) as { id_token?: string };
  if (tokens.id_token === undefined) throw new Error(`no ID token: ${JSON.stringify(tokens)}`);
  return tokens.id_token;
}

describe('hush login, hush send, hush logout', () => {
  it('hush login signs in by the device grant and keeps a personal token (0600, in a 0700 directory); hush send then creates as that person; hush logout forgets it', async () => {
    const config = tempDir();
    const r = await login(s.url, config, 'alice@example.com');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`To sign in to ${s.url}, open\n\n    ${idp.issuer}/device\n`);
    expect(r.stderr).toContain(`Signed in to ${s.url} as alice@example.com.\nhush send and hush request now use the personal API token kept in ${join(config, 'hush', 'credentials.json')} (until `);
    const dir = join(config, 'hush');
    const file = join(dir, 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const kept = JSON.parse(readFileSync(file, 'utf8')) as { version: number; servers: Record<string, { token: string; expiresAt: string; email: string }> };
    expect(kept.version).toBe(1);
    expect(Object.keys(kept.servers)).toEqual([s.url]);
    const entry = kept.servers[s.url]!;
    expect(entry).toMatchObject({ email: 'alice@example.com', token: expect.stringMatching(/^hush_u1\./) as string });
    expect(Math.abs(Date.parse(entry.expiresAt) - Date.now() - 30 * 86_400_000)).toBeLessThan(60_000);
    // The ID token was traded, not kept (nothing shaped like a JWT in the file).
    expect(readFileSync(file, 'utf8')).not.toMatch(/eyJ[A-Za-z0-9_-]+\./);

    // No --token, no HUSH_API_TOKEN: the kept token; no human check asked (this server asks anonymous creators).
    const env = { HUSH_SERVER: s.url, XDG_CONFIG_HOME: config };
    const sent = await hush(['send'], { input: 'from the terminal', env });
    expect(sent.code, sent.stderr).toBe(0);
    const link = sent.stdout.trim();
    expect((await openLink(link.replace(publicUrl, s.url))).message).toBe('from the terminal');
    expect(await ownedIds('alice@example.com')).toContain(idOf(link));
    // hush request too.
    const asked = await hush(['request', '--key-dir', join(config, 'keys')], { env });
    expect(asked.code, asked.stderr).toBe(0);
    // HUSH_API_TOKEN goes first: the operator's token creates, and files under nobody.
    const byOperator = await hush(['send'], { input: 'operator', env: { ...env, HUSH_API_TOKEN: OPERATOR_TOKEN } });
    expect(byOperator.code, byOperator.stderr).toBe(0);
    expect(await ownedIds('alice@example.com')).not.toContain(idOf(byOperator.stdout.trim()));

    const out = await hush(['logout', '--server', s.url], { env: { XDG_CONFIG_HOME: config } });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain(`Forgot the token kept for ${s.url}.`);
    expect(existsSync(file)).toBe(false);
    const refused = await hush(['send'], { input: 'no longer', env });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`${publicUrl}/auth/login`);
    expect((await hush(['logout'], { env })).stderr).toBe(`No token was kept for ${s.url}.\n`);

    // A kept token past its expiry is not sent: the CLI says to log in again.
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, JSON.stringify({ version: 1, servers: { [s.url]: { token: entry.token, expiresAt: '2020-01-01T00:00:00.000Z' } } }), { mode: 0o600 });
    const stale = await hush(['send'], { input: 'stale', env });
    expect(stale.code).toBe(3);
    expect(stale.stderr).toMatch(/^hush: the token hush login kept for .* expired on .*: run hush login again\.$/m);
  });
});

describe('POST /api/v1/me/tokens with an ID token', () => {
  it('an ID token for another audience, from another issuer, expired, or used already is refused with 401; a genuine one makes a token once', async () => {
    const genuine = await deviceIdToken(idp.issuer, 'hush-cli', 'bob@example.com');
    const made = await tokenFor({ authorization: `Bearer ${genuine}` });
    expect(made.status, made.text).toBe(201);
    const token = (made.json as { token: string }).token;
    const created = await req(`${s.url}/api/v1/secrets`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: (await sealSecret({ message: 'x' })).body });
    expect(created.status, created.text).toBe(201);
    expect(await ownedIds('bob@example.com')).toContain((created.json as { id: string }).id);
    const replay = await tokenFor({ authorization: `Bearer ${genuine}` });
    expect([replay.status, message(replay)]).toEqual([401, 'This ID token was used already. Run hush login again.']);

    const otherAudience = await tokenFor({ authorization: `Bearer ${await deviceIdToken(idp.issuer, 'other-cli', 'bob@example.com')}` });
    expect(otherAudience.status).toBe(401);
    expect(message(otherAudience)).toMatch(/failed its checks \(.*"aud"/);
    const otherIssuer = await tokenFor({ authorization: `Bearer ${await deviceIdToken(stranger.issuer, 'hush-cli', 'bob@example.com')}` });
    expect(otherIssuer.status).toBe(401);
    // (Both providers sign with oidc-provider's same development keys: only the issuer check refuses it.)
    expect(message(otherIssuer)).toMatch(/failed its checks \(.*"iss"/);
    // Expired: it lives 120 s (plus 30 s of tolerance); Hush's clock is 5 minutes on.
    const late = await deviceIdToken(idp.issuer, 'hush-cli', 'bob@example.com');
    s.advance(5 * 60_000);
    try {
      const r = await tokenFor({ authorization: `Bearer ${late}` });
      expect(r.status).toBe(401);
      expect(message(r)).toMatch(/"exp"/);
    } finally {
      s.advance(-5 * 60_000);
    }
    // Not an ID token at all: the operator's token, a personal token, garbage.
    for (const bearer of [OPERATOR_TOKEN, token, 'a.b.c', `${'A'.repeat(9000)}.b.c`]) {
      const r = await tokenFor({ authorization: `Bearer ${bearer}` });
      expect(r.status, bearer.slice(0, 20)).toBe(401);
    }
  });

  it('the browser sign-in rules hold: an unverified e-mail, another domain, another group are refused with 403', async () => {
    for (const [as, says] of [
      ['unverified-bob@example.com', 'has not verified the e-mail address'],
      ['mallory@elsewhere.example', 'Accounts of elsewhere.example cannot sign in'],
      ['contractor@example.com', 'not in a group'],
    ] as const) {
      const r = await tokenFor({ authorization: `Bearer ${await deviceIdToken(idp.issuer, 'hush-cli', as)}` });
      expect([r.status, message(r)], as).toEqual([403, expect.stringContaining(says) as string]);
    }
  });
});

describe('where the CLI cannot sign in', () => {
  it('GET /api/v1/info names the provider and the public CLI client only with HUSH_OIDC_CLI_CLIENT_ID; never the client secret', async () => {
    const info = await req(`${s.url}/api/v1/info`);
    expect((info.json as { signIn?: unknown }).signIn).toEqual({ issuer: idp.issuer, cliClientId: 'hush-cli' });
    expect(info.text).not.toContain(SECRET);
    const oidc = { HUSH_CREATE: 'oidc', HUSH_OIDC_ISSUER: 'https://id.example.com', HUSH_OIDC_CLIENT_ID: 'hush', HUSH_PUBLIC_URL: 'https://hush.example.com' };
    expect(loadConfig({ ...oidc, HUSH_OIDC_CLI_CLIENT_ID: 'hush-cli' }).oidcCliClientId).toBe('hush-cli');
    expect(() => loadConfig({ ...oidc, HUSH_OIDC_CLI_CLIENT_ID: 'hush' })).toThrow(/HUSH_OIDC_CLI_CLIENT_ID must be a client of its own/);
  });

  it('a provider without the device grant, a server without a CLI client, and a server without sign-in: hush login says so and what to do instead', async () => {
    const plain = await startProvider({ clients: [{ client_id: 'hush', client_secret: SECRET, redirect_uris: ['http://localhost:1/auth/callback'] }] });
    const base = { createPolicy: 'oidc' as const, oidcIssuer: plain.issuer, oidcClientId: 'hush', publicUrl: 'http://localhost:1' };
    const [noDevice, noCli, open] = await Promise.all([startServer({ ...base, oidcCliClientId: 'hush-cli' }), startServer(base), startServer()]);
    const config = tempDir();
    try {
      const a = await hush(['login', '--server', noDevice.url], { env: { XDG_CONFIG_HOME: config } });
      expect(a.code).toBe(3);
      expect(a.stderr).toContain(`the sign-in provider ${plain.issuer} does not offer the device authorization grant, which hush login needs.`);
      expect(a.stderr).toContain(`Instead, sign in at ${noDevice.url}/ in a browser, press "Make an API token", and give that token to hush as HUSH_API_TOKEN`);
      expect(((await req(`${noCli.url}/api/v1/info`)).json as { signIn?: unknown }).signIn).toBeUndefined();
      const b = await hush(['login', '--server', noCli.url], { env: { XDG_CONFIG_HOME: config } });
      expect(b.code).toBe(3);
      expect(b.stderr).toContain('offers no sign-in for the CLI (its operator has not set HUSH_OIDC_CLI_CLIENT_ID). Instead, sign in at');
      const c = await hush(['login'], { env: { XDG_CONFIG_HOME: config, HUSH_SERVER: open.url } });
      expect(c.code).toBe(3);
      expect(c.stderr).toContain('does not sign people in (HUSH_CREATE=open): hush send works there without signing in.');
      expect(existsSync(join(config, 'hush'))).toBe(false);
      const help = await hush(['login', '--help']);
      expect([help.code, help.stdout]).toEqual([0, expect.stringMatching(/^Usage: hush login \[--server URL\]/) as string]);
    } finally {
      await Promise.all([noDevice.close(), noCli.close(), open.close(), plain.close()]);
    }
  });
});
