// Sign-in where this server authenticates to the provider with a signed JWT instead of a secret
// (HUSH_OIDC_CLIENT_KEY, private_key_jwt, RFC 7523), with a real OpenID provider (oidc-provider,
// in this process) that knows only the server's public key: the sign-in completes and the session
// creates; a server holding another key is refused at the token endpoint (a 403 page, no session);
// a key file that is no key, or both a secret and a key, stop the server at start.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { b64uEncode, sealSecret } from '../src/protocol/index.js';
import { loadConfig } from '../src/server/config.js';
import { req } from './helpers/api.js';
import { launchChromium } from './helpers/browser.js';
import { authorize, setCookie, startProvider, type TestProvider } from './helpers/oidc-provider.js';
import { freePort, startServer, tempDir, type TestServer } from './helpers/server.js';

let browser: Browser;
let idp: TestProvider;
let good: { s: TestServer; publicUrl: string };
let other: { s: TestServer; publicUrl: string };
const dir = tempDir('hush-oidc-jwt-');

const pemOf = (k: ReturnType<typeof generateKeyPairSync>['privateKey']): string => k.export({ format: 'pem', type: 'pkcs8' }).toString();

beforeAll(async () => {
  const registered = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = await exportJWK(registered.publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const [p1, p2] = [await freePort(), await freePort()];
  const urls = [`http://localhost:${String(p1)}`, `http://localhost:${String(p2)}`];
  [browser, idp] = await Promise.all([
    launchChromium(),
    startProvider({
      clients: [{ client_id: 'hush-jwt', token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...jwk, kid, alg: 'ES256', use: 'sig' }] }, redirect_uris: urls.map((u) => `${u}/auth/callback`) }],
    }),
  ]);
  const common = { createPolicy: 'oidc', oidcIssuer: idp.issuer, oidcClientId: 'hush-jwt', sessionKey: b64uEncode(new Uint8Array(32).fill(3)) } as const;
  good = { publicUrl: urls[0]!, s: await startServer({ ...common, port: p1, publicUrl: urls[0]!, oidcClientKey: pemOf(registered.privateKey) }) };
  other = { publicUrl: urls[1]!, s: await startServer({ ...common, port: p2, publicUrl: urls[1]!, oidcClientKey: pemOf(stranger.privateKey) }) };
});
afterAll(async () => {
  await browser.close();
  await good.s.close();
  await other.s.close();
  await idp.close();
});

/** Delivers the provider's answer for `login` to the server's callback; its answer. */
async function callback(at: { s: TestServer; publicUrl: string }, login: string): Promise<Response> {
  const { callback: answer, flowCookie } = await authorize(browser, at.s.url, at.publicUrl, login);
  return fetch(`${at.s.url}/auth/callback${answer.search}`, { redirect: 'manual', headers: { accept: 'text/html', cookie: flowCookie } });
}

describe('sign-in with a private-key JWT (HUSH_OIDC_CLIENT_KEY)', () => {
  it('the provider takes the signed assertion: signed in, and the session creates', async () => {
    const res = await callback(good, 'ana@example.com');
    expect(res.status).toBe(303);
    const cookie = setCookie(res, 'hush_session')!;
    const who = (await req(`${good.s.url}/api/v1/session`, { headers: { cookie } })).json as { email: string; csrf: string };
    expect(who.email).toBe('ana@example.com');
    const made = await req(`${good.s.url}/api/v1/secrets`, { method: 'POST', headers: { cookie, 'x-hush-csrf': who.csrf }, json: (await sealSecret({ message: 'jwt' })).body });
    expect(made.status).toBe(201);
  });

  it('a server holding a key the provider does not know is refused: a 403 page, no session', async () => {
    const res = await callback(other, 'ana@example.com');
    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(/did not accept the code|refused the sign-in|failed its checks/);
    expect(setCookie(res, 'hush_session')).toBeNull();
  });

  it('a file that is no key, a key of a kind not taken, or a secret beside the key: the server does not start', () => {
    const base = { HUSH_CREATE: 'oidc', HUSH_OIDC_ISSUER: 'https://id.example', HUSH_OIDC_CLIENT_ID: 'hush', HUSH_PUBLIC_URL: 'https://hush.example' };
    const notKey = join(dir, 'not-a-key.pem');
    writeFileSync(notKey, 'hello');
    expect(() => loadConfig({ ...base, HUSH_OIDC_CLIENT_KEY: notKey })).toThrow(/HUSH_OIDC_CLIENT_KEY.*not a private key/);
    const small = join(dir, 'p384.pem');
    writeFileSync(small, pemOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey));
    expect(() => loadConfig({ ...base, HUSH_OIDC_CLIENT_KEY: small })).toThrow(/EC P-256, RSA of at least 2048 bits, or Ed25519/);
    expect(() => loadConfig({ ...base, HUSH_OIDC_CLIENT_KEY: join(dir, 'missing.pem') })).toThrow(/cannot read .*ENOENT/);
    const ed = join(dir, 'ed.pem');
    writeFileSync(ed, pemOf(generateKeyPairSync('ed25519').privateKey));
    expect(loadConfig({ ...base, HUSH_OIDC_CLIENT_KEY: ed }).oidcClientKey).toMatch(/BEGIN PRIVATE KEY/);
    expect(() => loadConfig({ ...base, HUSH_OIDC_CLIENT_KEY: ed, HUSH_OIDC_CLIENT_SECRET: 's3cret' })).toThrow(/set one/);
  });
});
