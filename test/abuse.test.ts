// Abuse resistance and origin hardening (docs/security.md): rate limits and client addresses,
// quotas, the human check, API tokens, creation policies, the origin lock, the admin listener.
import { createHash, randomBytes } from 'node:crypto';
import { createChallenge } from 'altcha-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64uEncode, sealSecret } from '../src/protocol/index.js';
import { solvePow } from '../src/client/pow.js';
import { HushApi } from '../src/client/api.js';
import { openLink, sendSecret } from '../src/client/flows.js';
import { parseRates } from '../src/server/config.js';
import { startServer, type TestServer } from './helpers/server.js';
import { startSiteverify, type Siteverify } from './helpers/siteverify.js';
import { http, type HttpResult } from './helpers/http.js';
import { makeSecret, post } from './helpers/api.js';

const body = async (): Promise<Record<string, unknown>> => (await sealSecret({ message: 'x' })).body;

function expectSecurityHeaders(h: Record<string, unknown>): void {
  expect(h['content-security-policy']).toContain("default-src 'none'");
  expect(h['cache-control']).toBe('no-store');
  expect(h['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
}

describe('rate limits and client addresses', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ rateLimit: true, rateCreate: parseRates('5/min,100/h'), rateRead: parseRates('100/min'), rateFailed: parseRates('3/min') });
  });
  afterAll(() => s.close());

  it('a flood of creates from one address gets 429 with Retry-After while another address still creates', async () => {
    const statuses: number[] = [];
    let limited: HttpResult | undefined;
    for (let i = 0; i < 8; i++) {
      const r = await http(`${s.url}/api/v1/secrets`, { body: await body(), from: '127.0.0.2' });
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    expect(statuses.slice(0, 5)).toEqual([201, 201, 201, 201, 201]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    if (limited === undefined) throw new Error('no 429 seen');
    expect(limited.json).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/Wait \d+ s/) } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expectSecurityHeaders(limited.headers);
    expect((await http(`${s.url}/api/v1/secrets`, { body: await body(), from: '127.0.0.3' })).status).toBe(201);
  });

  it('ignores X-Forwarded-For and CF-Connecting-IP from an untrusted peer', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await http(`${s.url}/api/v1/secrets`, {
        body: await body(),
        from: '127.0.0.4',
        headers: { 'x-forwarded-for': `198.51.100.${String(i)}`, 'cf-connecting-ip': `198.51.100.${String(i)}` },
      });
      statuses.push(r.status);
    }
    expect(statuses.filter((c) => c === 429)).toHaveLength(2);
  });

  it('counts failed reads separately: wrong links are cut off, the same address still creates and reads', async () => {
    const m = await makeSecret(s.url);
    const wrong = { auth: randomBytes(32).toString('base64url') };
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await http(`${s.url}/api/v1/secrets/${m.id}/peek`, { body: wrong, from: '127.0.0.5' })).status);
    expect(statuses).toEqual([404, 404, 404, 404, 429, 429]);
    // Another address is unaffected, and the secret itself is untouched.
    expect((await http(`${s.url}/api/v1/secrets/${m.id}/consume`, { body: { auth: m.auth }, from: '127.0.0.6' })).status).toBe(200);
  });
});

describe('trusted proxies', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ rateLimit: true, rateCreate: parseRates('2/min'), trustedProxies: ['127.0.0.1'] });
  });
  afterAll(() => s.close());

  const create = async (headers: Record<string, string>): Promise<number> => (await http(`${s.url}/api/v1/secrets`, { body: await body(), headers })).status;

  it("honours a trusted proxy's X-Forwarded-For (rightmost untrusted hop)", async () => {
    expect([await create({ 'x-forwarded-for': '203.0.113.9' }), await create({ 'x-forwarded-for': '203.0.113.9' }), await create({ 'x-forwarded-for': '203.0.113.9' })]).toEqual([201, 201, 429]);
    // A client-supplied leftmost entry cannot dodge the limit: the rightmost untrusted hop counts.
    expect(await create({ 'x-forwarded-for': '10.9.9.9, 203.0.113.9' })).toBe(429);
    expect(await create({ 'x-forwarded-for': '203.0.113.10' })).toBe(201);
  });

  // Regression (outside review): with a trusted proxy, CF-Connecting-IP was preferred to
  // X-Forwarded-For, and proxies that pass it through let each request choose its address.
  it('believes no other header unless the operator chose it: rotating CF-Connecting-IP or X-Real-IP meets 429', async () => {
    const f = await startServer({ rateLimit: true, rateFailed: parseRates('5/min'), trustedProxies: ['loopback'] });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const rotate = { 'cf-connecting-ip': `192.0.2.${String(i + 1)}`, 'x-real-ip': `198.51.100.${String(i + 1)}`, 'true-client-ip': `203.0.113.${String(i + 1)}` };
        statuses.push((await http(`${f.url}/api/v1/secrets/${b64uEncode(randomBytes(16))}/peek`, { body: { auth: b64uEncode(randomBytes(32)) }, headers: rotate })).status);
      }
      // The limit's own count: the sixth failure is counted, then every read is refused.
      expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 429, 429, 429, 429, 429, 429]);
      expect(f.logs.join('\n')).not.toMatch(/192\.0\.2\.|198\.51\.100\.|203\.0\.113\./);
    } finally {
      await f.close();
    }
  });

  it('HUSH_CLIENT_IP_HEADER=cf-connecting-ip: that header is the client, from trusted peers only', async () => {
    const f = await startServer({ rateLimit: true, rateCreate: parseRates('2/min'), trustedProxies: ['127.0.0.1'], clientIpHeader: 'cf-connecting-ip' });
    try {
      const createAt = async (headers: Record<string, string>, from?: string): Promise<number> =>
        (await http(`${f.url}/api/v1/secrets`, { body: await body(), headers, ...(from === undefined ? {} : { from }) })).status;
      expect([await createAt({ 'cf-connecting-ip': '192.0.2.7' }), await createAt({ 'cf-connecting-ip': '192.0.2.7' }), await createAt({ 'cf-connecting-ip': '192.0.2.7' })]).toEqual([201, 201, 429]);
      expect(await createAt({ 'cf-connecting-ip': '192.0.2.8' })).toBe(201);
      // X-Forwarded-For is not the chosen header: rotating it changes nothing.
      expect([await createAt({ 'cf-connecting-ip': '192.0.2.9', 'x-forwarded-for': '203.0.113.1' }), await createAt({ 'cf-connecting-ip': '192.0.2.9', 'x-forwarded-for': '203.0.113.2' }), await createAt({ 'cf-connecting-ip': '192.0.2.9', 'x-forwarded-for': '203.0.113.3' })]).toEqual([201, 201, 429]);
      // From a peer that is not a trusted proxy the header is ignored: the peer is the client.
      expect([await createAt({ 'cf-connecting-ip': '192.0.2.10' }, '127.0.0.9'), await createAt({ 'cf-connecting-ip': '192.0.2.11' }, '127.0.0.9'), await createAt({ 'cf-connecting-ip': '192.0.2.12' }, '127.0.0.9')]).toEqual([201, 201, 429]);
    } finally {
      await f.close();
    }
  });

  it('groups IPv6 clients by /64', async () => {
    expect(await create({ 'x-forwarded-for': '2001:db8:1:2::1' })).toBe(201);
    expect(await create({ 'x-forwarded-for': '2001:db8:1:2::ffff' })).toBe(201);
    expect(await create({ 'x-forwarded-for': '2001:db8:1:2:aaaa::1' })).toBe(429);
    expect(await create({ 'x-forwarded-for': '2001:db8:1:3::1' })).toBe(201);
  });
});

describe('quotas', () => {
  it('when full: 503 quota_exceeded with a clear message, and every existing secret still reads exactly once', async () => {
    const s = await startServer({ maxSecrets: 3 });
    try {
      const made = [await makeSecret(s.url), await makeSecret(s.url), await makeSecret(s.url)];
      const full = await post(`${s.url}/api/v1/secrets`, await body());
      expect(full.status).toBe(503);
      expect(full.json).toMatchObject({ error: { code: 'quota_exceeded', message: expect.stringContaining('full') } });
      for (const m of made) {
        expect((await post(`${s.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth })).json).toEqual({ ciphertext: m.ciphertext, viewsLeft: 0 });
        expect((await post(`${s.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth })).status).toBe(404);
      }
      // Reading gave the room back.
      expect((await post(`${s.url}/api/v1/secrets`, await body())).status).toBe(201);
    } finally {
      await s.close();
    }
  });

  it('counts stored bytes too', async () => {
    const s = await startServer({ maxBytes: 2048 });
    try {
      const sealed = await sealSecret({ message: 'y'.repeat(1500) });
      expect((await post(`${s.url}/api/v1/secrets`, sealed.body)).status).toBe(201);
      expect((await post(`${s.url}/api/v1/secrets`, sealed.body)).status).toBe(503);
    } finally {
      await s.close();
    }
  });
});

describe('proof-of-work human check', () => {
  const powKey = 'test-pow-key-0123456789';
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ challenge: 'pow', powKey, powCost: 2_000 });
  });
  afterAll(() => s.close());

  const api = (): HushApi => new HushApi(s.url);
  const create = async (challenge?: string) =>
    http(`${s.url}/api/v1/secrets`, { body: await body(), headers: challenge === undefined ? {} : { 'x-hush-challenge': challenge } });

  it('a solved challenge creates; info tells clients what to solve', async () => {
    expect((await api().info()).challenge).toEqual({ kind: 'pow' });
    const solution = await solvePow(await api().challenge());
    expect((await create(solution)).status).toBe(201);
  });

  it('refuses a missing, wrong, replayed or expired solution', async () => {
    const missing = await create();
    expect(missing.status).toBe(403);
    expect(missing.json).toMatchObject({ error: { code: 'challenge_required' } });

    const ch = await api().challenge();
    const good = await solvePow(ch);
    const decoded = JSON.parse(atob(good)) as { number: number };
    const wrong = btoa(JSON.stringify({ ...decoded, number: decoded.number + 1 }));
    for (const bad of [wrong, 'not-base64!', btoa('{"x":1}'), 'A'.repeat(3000)]) {
      const r = await create(bad);
      expect(r.status).toBe(403);
      expect(r.json).toMatchObject({ error: { code: 'challenge_failed' } });
    }
    expect((await create(good)).status).toBe(201);
    const replay = await create(good);
    expect(replay.json).toMatchObject({ error: { code: 'challenge_failed', message: expect.stringContaining('already used') } });

    const expired = await createChallenge({ hmacKey: powKey, maxNumber: 100, expires: new Date(Date.now() - 1000) });
    const r = await create(await solvePow(expired));
    expect(r.json).toMatchObject({ error: { code: 'challenge_failed' } });
  });

  it('a challenge signed with another key is refused', async () => {
    const foreign = await createChallenge({ hmacKey: 'some-other-key-0123456789', maxNumber: 100, expires: new Date(Date.now() + 60_000) });
    expect((await create(await solvePow(foreign))).json).toMatchObject({ error: { code: 'challenge_failed' } });
  });

  it('the client library solves it by itself, and refuses absurd work', async () => {
    const sent = await sendSecret({ server: s.url, message: 'solved by the library' });
    expect((await openLink(sent.link)).message).toBe('solved by the library');
    await expect(solvePow({ ...(await api().challenge()), maxnumber: 1e9 })).rejects.toThrow(/too much work/);
  });
});

describe('Turnstile human check', () => {
  let verifier: Siteverify;
  let verifyUrl: string;
  let down = false;
  const seen: string[] = [];
  beforeAll(async () => {
    verifier = await startSiteverify((form) => {
      if (down) return null;
      seen.push(form.get('secret') ?? '');
      const ok = form.get('secret') === 'turnstile-secret' && ['good-token', 'elsewhere-token'].includes(form.get('response') ?? '');
      // A token solved on another site names that site's host.
      const hostname = form.get('response') === 'elsewhere-token' ? 'evil.example' : 'hush.example.com';
      return ok ? { success: true, hostname } : { success: false, 'error-codes': ['invalid-input-response'] };
    });
    verifyUrl = verifier.url;
  });
  afterAll(() => verifier.close());

  it('success and failure answers from a siteverify server; its being down is a clear 503', async () => {
    const s = await startServer({ challenge: 'turnstile', turnstileSiteKey: 'site-key', turnstileSecret: 'turnstile-secret', turnstileVerifyUrl: verifyUrl, publicUrl: 'https://hush.example.com' });
    try {
      const create = async (token?: string) => http(`${s.url}/api/v1/secrets`, { body: await body(), headers: token === undefined ? {} : { 'x-hush-challenge': token } });
      expect((await new HushApi(s.url).info()).challenge).toEqual({ kind: 'turnstile', siteKey: 'site-key' });
      expect((await create('good-token')).status).toBe(201);
      expect(seen).toContain('turnstile-secret');
      expect((await create('bad-token')).json).toMatchObject({ error: { code: 'challenge_failed' } });
      // Regression (outside review): the siteverify answer's hostname was not checked.
      expect((await create('elsewhere-token')).json).toMatchObject({ error: { code: 'challenge_failed', message: expect.stringContaining('another site') } });
      expect((await create()).json).toMatchObject({ error: { code: 'challenge_required' } });
      down = true;
      const r = await create('good-token');
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({ error: { code: 'unavailable', message: expect.stringContaining('could not be reached') } });
      down = false;
      // Only the create page loads Cloudflare's widget: its CSP, and no other, names that origin,
      // and Trusted Types stay enforced there too (regression: they were dropped on every page).
      const createPage = await http(`${s.url}/`, { method: 'GET' });
      const policy = String(createPage.headers['content-security-policy']);
      expect(policy).toContain("script-src 'self' https://challenges.cloudflare.com");
      expect(policy).toContain('frame-src https://challenges.cloudflare.com');
      expect(policy).toContain("require-trusted-types-for 'script'; trusted-types hush-worker hush-i18n hush-turnstile");
      for (const path of ['/s/AAAAAAAAAAAAAAAAAAAAAA', '/m/AAAAAAAAAAAAAAAAAAAAAA', '/l', '/request', '/r/AAAAAAAAAAAAAAAAAAAAAA', '/nope', '/api/v1/info']) {
        const other = String((await http(`${s.url}${path}`, { method: 'GET' })).headers['content-security-policy']);
        expect(other, path).not.toContain('cloudflare');
        expect(other, path).toContain("require-trusted-types-for 'script'; trusted-types hush-worker hush-i18n");
      }
      expect(String(r.headers['content-security-policy'])).not.toContain('cloudflare');
      await expect(sendSecret({ server: s.url, message: 'x' })).rejects.toMatchObject({ code: 'challenge_unsupported' });
    } finally {
      await s.close();
    }
  });

  it('an unreachable siteverify server is a 503 too, not a 500', async () => {
    const s = await startServer({ challenge: 'turnstile', turnstileSiteKey: 'k', turnstileSecret: 's', turnstileVerifyUrl: 'http://127.0.0.1:9/siteverify', publicUrl: 'https://hush.example.com' });
    try {
      const r = await http(`${s.url}/api/v1/secrets`, { body: await body(), headers: { 'x-hush-challenge': 'good-token' } });
      expect(r.status).toBe(503);
    } finally {
      await s.close();
    }
  });
});

describe('API tokens and creation policies', () => {
  const token = 'hush_tok_' + randomBytes(24).toString('base64url');
  const hash = createHash('sha256').update(token).digest('hex');

  it('a configured token creates without the human check; a wrong one is 401', async () => {
    const s = await startServer({ challenge: 'pow', apiTokens: [hash] });
    try {
      const ok = await http(`${s.url}/api/v1/secrets`, { body: await body(), headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(201);
      const bad = await http(`${s.url}/api/v1/secrets`, { body: await body(), headers: { authorization: 'Bearer nope' } });
      expect(bad.status).toBe(401);
      expect(bad.json).toMatchObject({ error: { code: 'unauthorized' } });
      const sent = await sendSecret({ server: s.url, message: 'via token', apiToken: token });
      expect((await openLink(sent.link)).message).toBe('via token');
    } finally {
      await s.close();
    }
  });

  it('tokens are rate-limited per token, apart from addresses', async () => {
    const s = await startServer({ rateLimit: true, rateToken: parseRates('2/min'), rateCreate: parseRates('1/min'), apiTokens: [hash] });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await http(`${s.url}/api/v1/secrets`, { body: await body(), headers: { authorization: `Bearer ${token}` } })).status);
      expect(statuses).toEqual([201, 201, 429]);
      expect((await http(`${s.url}/api/v1/secrets`, { body: await body() })).status).toBe(201);
    } finally {
      await s.close();
    }
  });

  it('HUSH_CREATE=token: only token holders create; reading still works for everyone', async () => {
    const s = await startServer({ createPolicy: 'token', apiTokens: [hash] });
    try {
      expect((await new HushApi(s.url).info()).policy).toMatchObject({ create: 'token' });
      expect((await http(`${s.url}/api/v1/secrets`, { body: await body() })).json).toMatchObject({ error: { code: 'unauthorized' } });
      const sent = await sendSecret({ server: s.url, message: 'm', apiToken: token });
      expect((await openLink(sent.link)).message).toBe('m');
    } finally {
      await s.close();
    }
  });

  it('HUSH_CREATE=identity: only requests with the identity header from a trusted proxy create', async () => {
    const s = await startServer({ createPolicy: 'identity', trustedProxies: ['127.0.0.1'], challenge: 'pow' });
    try {
      expect((await http(`${s.url}/api/v1/secrets`, { body: await body() })).status).toBe(401);
      expect((await http(`${s.url}/api/v1/secrets`, { body: await body(), headers: { 'x-forwarded-user': 'alice' } })).status).toBe(201);
      // The same header from an untrusted peer is worth nothing.
      expect((await http(`${s.url}/api/v1/secrets`, { body: await body(), headers: { 'x-forwarded-user': 'alice' }, from: '127.0.0.2' })).status).toBe(401);
    } finally {
      await s.close();
    }
  });

  it('HUSH_CREATE=off: creation refused with a clear message, existing secrets still open', async () => {
    const dirServer = await startServer();
    const m = await makeSecret(dirServer.url);
    const dir = dirServer.dir;
    await dirServer.app.close();
    await dirServer.store.close();
    const s = await startServer({ createPolicy: 'off' }, { dir });
    try {
      const r = await http(`${s.url}/api/v1/secrets`, { body: await body() });
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ error: { code: 'unauthorized', message: expect.stringContaining('switched off') } });
      expect((await post(`${s.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('HUSH_REQUIRE_PASSPHRASE: a secret without one is refused', async () => {
    const s = await startServer({ requirePassphrase: true });
    try {
      expect((await post(`${s.url}/api/v1/secrets`, await body())).json).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('passphrase') } });
      expect((await post(`${s.url}/api/v1/secrets`, (await sealSecret({ message: 'x', passphrase: 'pw' })).body)).status).toBe(201);
    } finally {
      await s.close();
    }
  });
});

describe('origin lock and the admin listener', () => {
  it('without the lock header public routes answer 403; with it they work', async () => {
    const lock = 'lock-' + randomBytes(16).toString('hex');
    const s = await startServer({ originLock: lock });
    try {
      for (const path of ['/', '/api/v1/info', '/s/AAAAAAAAAAAAAAAAAAAAAA']) {
        const r = await http(`${s.url}${path}`);
        expect(r.status, path).toBe(403);
        expectSecurityHeaders(r.headers);
        expect((await http(`${s.url}${path}`, { headers: { 'x-hush-origin-lock': 'wrong' } })).status).toBe(403);
      }
      const ok = await http(`${s.url}/api/v1/secrets`, { body: await body(), headers: { 'x-hush-origin-lock': lock } });
      expect(ok.status).toBe(201);
    } finally {
      await s.close();
    }
  });

  it('metrics and health live on the admin port only, and carry no ids or tokens', async () => {
    const s = await startServer({ adminPort: 0 });
    try {
      for (const path of ['/metrics', '/healthz', '/readyz']) expect((await http(`${s.url}${path}`)).status).toBe(404);
      const m = await makeSecret(s.url);
      await post(`${s.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth });
      await post(`${s.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth });
      const metrics = await http(`${s.adminUrl!}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.text).toMatch(/^hush_secrets_created_total 1$/m);
      expect(metrics.text).toMatch(/^hush_secrets_consumed_total 1$/m);
      expect(metrics.text).toMatch(/^hush_requests_rejected_total\{reason="not_found"\} 1$/m);
      expect(metrics.text).toMatch(/hush_request_duration_seconds_count\{route="\/api\/v1\/secrets\/:id\/consume",method="POST",status="2xx"\} 1/);
      for (const v of [m.id, m.auth, m.manageToken, m.ciphertext.slice(0, 30), m.verifier]) expect(metrics.text).not.toContain(v);
      expect((await http(`${s.adminUrl!}/healthz`)).json).toEqual({ status: 'ok' });
      expect((await http(`${s.adminUrl!}/readyz`)).json).toEqual({ status: 'ready' });
      await s.store.close();
      const down = await http(`${s.adminUrl!}/readyz`);
      expect(down.status).toBe(503);
    } finally {
      await s.close();
    }
  });
});
