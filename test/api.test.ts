// HTTP contract of docs/protocol.md §6 on a real server with a real SQLite file: every route, status and
// error body; bad input always a 4xx with a protocol code, never a 5xx.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64uDecode, b64uEncode, openSecret, readerKeys, sealSecret } from '../src/protocol/index.js';
import { NOT_FOUND_MESSAGE } from '../src/server/errors.js';
import { startServer, type TestServer } from './helpers/server.js';
import { bearer, makeSecret, post, req } from './helpers/api.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

const api = (path: string): string => `${s.url}/api/v1${path}`;
const notFoundBody = { error: { code: 'not_found', message: NOT_FOUND_MESSAGE } };
const randomId = (): string => b64uEncode(randomBytes(16));

async function validBody(over: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const sealed = await sealSecret({ message: 'm' });
  return { ...sealed.body, ...over };
}

function expectError(res: { status: number; json: unknown }, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.json).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(Object.keys((res.json as { error: object }).error).sort()).toEqual(expect.arrayContaining(['code', 'message']));
}

describe('POST /api/v1/secrets', () => {
  it('creates with defaults: 24 h, one view; ids are 128 bits, manage tokens 256', async () => {
    const before = Date.now();
    const res = await post(api('/secrets'), await validBody({ passphrase: null }));
    expect(res.status).toBe(201);
    const body = res.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'id', 'manageToken', 'views']);
    expect(b64uDecode(body.id as string)).toHaveLength(16);
    expect(b64uDecode(body.manageToken as string)).toHaveLength(32);
    expect(body.views).toBe(1);
    const exp = Date.parse(body.expiresAt as string);
    expect(exp).toBeGreaterThanOrEqual(before + 86_400_000 - 1000);
    expect(exp).toBeLessThanOrEqual(Date.now() + 86_400_000 + 1000);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('honours ttl and views', async () => {
    const res = await post(api('/secrets'), await validBody({ ttl: 300, views: 7 }));
    expect(res.status).toBe(201);
    expect((res.json as { views: number }).views).toBe(7);
    expect(Date.parse((res.json as { expiresAt: string }).expiresAt) - Date.now()).toBeLessThan(301_000);
  });

  const bad: [string, () => Promise<unknown>][] = [
    ['missing ciphertext', async () => ({ ...(await validBody()), ciphertext: undefined })],
    ['missing verifier', async () => ({ ...(await validBody()), verifier: undefined })],
    ['ciphertext not a string', () => validBody({ ciphertext: 12345 })],
    ['ciphertext with padding', async () => validBody({ ciphertext: `${String((await validBody()).ciphertext)}==` })],
    ['ciphertext shorter than a container', () => validBody({ ciphertext: b64uEncode(randomBytes(27)) })],
    ['verifier too short', () => validBody({ verifier: b64uEncode(randomBytes(31)) })],
    ['verifier non-canonical', () => validBody({ verifier: `${b64uEncode(randomBytes(32)).slice(0, 42)}B` })],
    ['ttl below the minimum', () => validBody({ ttl: 59 })],
    ['ttl above the maximum', () => validBody({ ttl: 30 * 86_400 + 1 })],
    ['ttl as a string', () => validBody({ ttl: '3600' })],
    ['ttl fractional', () => validBody({ ttl: 3600.5 })],
    ['views 0', () => validBody({ views: 0 })],
    ['views 101', () => validBody({ views: 101 })],
    ['unknown member', () => validBody({ view: 3 })],
    ['passphrase with too few iterations', () => validBody({ passphrase: { salt: b64uEncode(randomBytes(16)), iterations: 599_999, verifier: b64uEncode(randomBytes(32)) } })],
    ['passphrase with too many iterations', () => validBody({ passphrase: { salt: b64uEncode(randomBytes(16)), iterations: 10_000_001, verifier: b64uEncode(randomBytes(32)) } })],
    ['passphrase with a short salt', () => validBody({ passphrase: { salt: b64uEncode(randomBytes(8)), iterations: 600_000, verifier: b64uEncode(randomBytes(32)) } })],
    ['notBefore not a date', () => validBody({ notBefore: 'tomorrow' })],
    ['notBefore after the expiry', () => validBody({ ttl: 60, notBefore: new Date(Date.now() + 3_600_000).toISOString() })],
    ['an array', () => Promise.resolve([1, 2])],
    ['null', () => Promise.resolve(null)],
    ['a string', () => Promise.resolve('x')],
  ];
  for (const [name, body] of bad) {
    it(`refuses ${name} with 400 invalid_request`, async () => {
      const res = await post(api('/secrets'), await body());
      expectError(res, 400, 'invalid_request');
    });
  }

  it('refuses bodies that are not JSON, without echoing them', async () => {
    const secretish = 'hunter2-should-never-be-echoed';
    for (const init of [
      { body: `{"ciphertext": "${secretish}`, headers: { 'content-type': 'application/json' } },
      { body: secretish, headers: { 'content-type': 'text/plain' } },
      { body: '', headers: { 'content-type': 'application/json' } },
      { body: '{"__proto__": {"x": 1}, "ciphertext": "a"}', headers: { 'content-type': 'application/json' } },
      { body: '{"constructor": {"prototype": {"x": 1}}}', headers: { 'content-type': 'application/json' } },
    ]) {
      const res = await req(api('/secrets'), { method: 'POST', ...init });
      expectError(res, 400, 'invalid_request');
      expect(res.text).not.toContain(secretish);
    }
  });

  it('refuses an oversized body with 413 payload_too_large', async () => {
    const big = await post(api('/secrets'), await validBody({ ciphertext: b64uEncode(randomBytes(s.config.maxSize + 100_000)) }));
    expectError(big, 413, 'payload_too_large');
    // Just over the decoded limit but under the body limit: still 413, from the size check.
    const over = await post(api('/secrets'), await validBody({ ciphertext: b64uEncode(randomBytes(s.config.maxSize + 1)) }));
    expectError(over, 413, 'payload_too_large');
    const at = await post(api('/secrets'), await validBody({ ciphertext: b64uEncode(randomBytes(s.config.maxSize)) }));
    expect(at.status).toBe(201);
  });
});

describe('peek and consume', () => {
  it('peek reports and changes nothing; consume releases the ciphertext once', async () => {
    const m = await makeSecret(s.url, { ttl: 3600 });
    for (let i = 0; i < 3; i++) {
      const peek = await post(api(`/secrets/${m.id}/peek`), { auth: m.auth });
      expect(peek.status).toBe(200);
      expect(peek.json).toEqual({ expiresAt: m.created.expiresAt, viewsLeft: 1, passphrase: null });
    }
    const res = await post(api(`/secrets/${m.id}/consume`), { auth: m.auth });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ciphertext: m.ciphertext, viewsLeft: 0 });
    const keys = await readerKeys(m.key);
    expect((await openSecret(keys.encKey, (res.json as { ciphertext: string }).ciphertext)).message).toBe(m.message);
    for (const path of ['peek', 'consume']) {
      const again = await post(api(`/secrets/${m.id}/${path}`), { auth: m.auth });
      expect(again.status).toBe(404);
      expect(again.json).toEqual(notFoundBody);
    }
  });

  it('answers a wrong auth and a random id with the same 404, and the secret still reads', async () => {
    const m = await makeSecret(s.url);
    const wrong = b64uEncode(randomBytes(32));
    for (const [id, auth] of [[m.id, wrong], [randomId(), m.auth], [randomId(), wrong]] as const) {
      for (const path of ['peek', 'consume']) {
        const res = await post(api(`/secrets/${id}/${path}`), { auth });
        expect(res.status).toBe(404);
        expect(res.json).toEqual(notFoundBody);
      }
    }
    expect((await post(api(`/secrets/${m.id}/consume`), { auth: m.auth })).status).toBe(200);
  });

  it('refuses malformed ids and bodies with 400', async () => {
    const m = await makeSecret(s.url);
    for (const [id, body] of [
      ['short', { auth: m.auth }],
      [`${m.id}x`, { auth: m.auth }],
      [m.id, {}],
      [m.id, { auth: 'abc' }],
      [m.id, { auth: m.auth, extra: 1 }],
      [m.id, { auth: m.auth, passphraseProof: 5 }],
    ] as const) {
      expectError(await post(api(`/secrets/${id}/consume`), body), 400, 'invalid_request');
    }
    const long = await post(api(`/secrets/${'a'.repeat(5000)}/peek`), { auth: m.auth });
    expectError(long, 404, 'not_found'); // over the parameter length limit: cannot exist
    expect(long.text).not.toContain('aaaaaaaaaa'); // the path is not echoed
    expect(long.headers.get('content-security-policy')).toContain("default-src 'none'");
    const badUrl = await req(`${s.url}/s/%E0%A4%A`);
    expectError(badUrl, 400, 'invalid_request');
    expect(badUrl.headers.get('cache-control')).toBe('no-store');
    expect((await post(api(`/secrets/${m.id}/consume`), { auth: m.auth })).status).toBe(200);
  });

  it('counts views: views=3 reads three times', async () => {
    const m = await makeSecret(s.url, { views: 3 });
    const left = [];
    for (let i = 0; i < 4; i++) {
      const r = await post(api(`/secrets/${m.id}/consume`), { auth: m.auth });
      left.push(r.status === 200 ? (r.json as { viewsLeft: number }).viewsLeft : r.status);
    }
    expect(left).toEqual([2, 1, 0, 404]);
  });

  it('200 concurrent consumers: exactly one wins; with views=3 exactly three', async () => {
    for (const views of [1, 3]) {
      const m = await makeSecret(s.url, { views });
      const results = await Promise.all(Array.from({ length: 200 }, () => post(api(`/secrets/${m.id}/consume`), { auth: m.auth })));
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((c) => c === 200)).toHaveLength(views);
      expect(statuses.filter((c) => c === 404)).toHaveLength(200 - views);
      for (const r of results.filter((x) => x.status === 200)) expect((r.json as { ciphertext: string }).ciphertext).toBe(m.ciphertext);
    }
  });

  it('passphrase: wrong proofs count down with attemptsLeft and burn at 5; the right one reads', async () => {
    const m = await makeSecret(s.url, { passphrase: 'open sesame' });
    const peek = await post(api(`/secrets/${m.id}/peek`), { auth: m.auth });
    const pp = (peek.json as { passphrase: { salt: string; iterations: number } }).passphrase;
    expect(b64uDecode(pp.salt)).toHaveLength(16);
    expect(pp.iterations).toBe(600_000);
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const r = await post(api(`/secrets/${m.id}/consume`), { auth: m.auth, passphraseProof: b64uEncode(randomBytes(32)) });
      expectError(r, 403, 'wrong_passphrase');
      seen.push((r.json as { error: { attemptsLeft: number } }).error.attemptsLeft);
    }
    expect(seen).toEqual([4, 3, 2, 1]);
    const right = await readerKeys(m.key, { passphrase: 'open sesame', params: pp });
    // A fifth wrong one burns it; after that even the right proof gets 404.
    const fifth = await post(api(`/secrets/${m.id}/consume`), { auth: m.auth });
    expectError(fifth, 404, 'not_found');
    expect((await post(api(`/secrets/${m.id}/consume`), { auth: m.auth, passphraseProof: right.passphraseProof })).status).toBe(404);
    expect(((await req(api(`/secrets/${m.id}/status`), { headers: bearer(m.manageToken) })).json as { state: string }).state).toBe('burned');

    const ok = await makeSecret(s.url, { passphrase: 'open sesame', message: 'behind a passphrase' });
    const keys = await readerKeys(ok.key, { passphrase: 'open sesame', params: pp });
    const okPeek = (await post(api(`/secrets/${ok.id}/peek`), { auth: ok.auth })).json as { passphrase: { salt: string; iterations: number } };
    const okKeys = await readerKeys(ok.key, { passphrase: 'open sesame', params: okPeek.passphrase });
    expect(keys.passphraseProof).not.toBe(okKeys.passphraseProof);
    const r = await post(api(`/secrets/${ok.id}/consume`), { auth: ok.auth, passphraseProof: okKeys.passphraseProof });
    expect(r.status).toBe(200);
    expect((await openSecret(okKeys.encKey, (r.json as { ciphertext: string }).ciphertext)).message).toBe('behind a passphrase');
  });

  it('notBefore: 403 not_yet_available with the time, nothing counted, then readable', async () => {
    const nb = new Date(Date.now() + 120_000).toISOString();
    const m = await makeSecret(s.url, { notBefore: nb });
    expect(((await post(api(`/secrets/${m.id}/peek`), { auth: m.auth })).json as { notBefore: string }).notBefore).toBe(nb);
    const early = await post(api(`/secrets/${m.id}/consume`), { auth: m.auth });
    expectError(early, 403, 'not_yet_available');
    expect((early.json as { error: { notBefore: string } }).error.notBefore).toBe(nb);
    s.advance(121_000);
    try {
      expect((await post(api(`/secrets/${m.id}/consume`), { auth: m.auth })).status).toBe(200);
    } finally {
      s.advance(-121_000);
    }
  });
});

describe('status and revoke', () => {
  it('status: pending → consumed with the time; wrong or missing token 404', async () => {
    const m = await makeSecret(s.url, { ttl: 600 });
    const st = await req(api(`/secrets/${m.id}/status`), { headers: bearer(m.manageToken) });
    expect(st.status).toBe(200);
    // The v1 fields; with the evidence layer on (the default) the history follows (test/evidence.test.ts).
    expect(st.json).toMatchObject({ state: 'pending', viewsLeft: 1, expiresAt: m.created.expiresAt });
    await post(api(`/secrets/${m.id}/consume`), { auth: m.auth });
    const after = (await req(api(`/secrets/${m.id}/status`), { headers: bearer(m.manageToken) })).json as Record<string, string>;
    expect(after.state).toBe('consumed');
    expect(Math.abs(Date.parse(after.consumedAt!) - Date.now())).toBeLessThan(5000);
    for (const headers of [{}, bearer(b64uEncode(randomBytes(32))), bearer(m.auth), { authorization: m.manageToken }, { authorization: 'Bearer x' }]) {
      const res = await req(api(`/secrets/${m.id}/status`), { headers });
      expect(res.status).toBe(404);
      expect(res.json).toEqual(notFoundBody);
    }
  });

  it('revoke: 204, erased at once, status revoked; wrong token 404 and nothing changes', async () => {
    const m = await makeSecret(s.url);
    const wrong = await req(api(`/secrets/${m.id}`), { method: 'DELETE', headers: bearer(b64uEncode(randomBytes(32))) });
    expect(wrong.status).toBe(404);
    expect((await post(api(`/secrets/${m.id}/peek`), { auth: m.auth })).status).toBe(200);
    const res = await req(api(`/secrets/${m.id}`), { method: 'DELETE', headers: bearer(m.manageToken) });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await post(api(`/secrets/${m.id}/consume`), { auth: m.auth })).status).toBe(404);
    expect(((await req(api(`/secrets/${m.id}/status`), { headers: bearer(m.manageToken) })).json as { state: string }).state).toBe('revoked');
  });

  it('expiry: never returned once expired; status says expired; purge forgets it once its history is past retention', async () => {
    const m = await makeSecret(s.url, { ttl: 60 });
    const status = () => req(api(`/secrets/${m.id}/status`), { headers: bearer(m.manageToken) });
    const week = 7 * 86_400_000; // HUSH_AUDIT_RETENTION's default
    let moved = 61_000;
    s.advance(moved);
    try {
      expect((await post(api(`/secrets/${m.id}/peek`), { auth: m.auth })).status).toBe(404);
      expect((await post(api(`/secrets/${m.id}/consume`), { auth: m.auth })).status).toBe(404);
      expect(((await status()).json as { state: string }).state).toBe('expired');
      await s.app.purgeNow();
      // The secret's row is gone; its history answers until the retention has passed.
      const kept = (await status()).json as { state: string; events: { type: string }[] };
      expect(kept.state).toBe('expired');
      expect(kept.events.map((e) => e.type)).toEqual(['created', 'expired']);
      s.advance(week);
      moved += week;
      await s.app.purgeNow();
      expect((await status()).status).toBe(404);
    } finally {
      s.advance(-moved);
    }
  });
});

describe('other routes', () => {
  it('GET /api/v1/info tells version and limits', async () => {
    const res = await req(api('/info'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), publicUrl: null, limits: { maxSize: 10 * 1024 * 1024, ttlMin: 60, ttlMax: 2_592_000, ttlDefault: 86_400, maxViews: 100 } });
  });

  it('unknown API routes and methods: 404 not_found JSON; unknown pages: 404 HTML', async () => {
    for (const [method, path] of [['GET', '/api/v1/nothing'], ['GET', `/api/v1/secrets/${randomId()}/consume`], ['PUT', '/api/v1/secrets'], ['POST', '/api/v2/secrets']] as const) {
      expectError(await req(`${s.url}${path}`, { method }), 404, 'not_found');
    }
    const page = await req(`${s.url}/no-such-page`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect((await req(`${s.url}/s/not-an-id`)).status).toBe(404);
  });
});
