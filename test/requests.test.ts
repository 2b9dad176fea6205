// Requests (docs/protocol.md §7) on a real server with a real SQLite file: the HTTP contract of
// every route (statuses, exact error bodies, headers), one answer and one pickup, wrong tokens
// answered like missing ids, nothing secret in logs or left at rest. The CLI's request commands
// are in cli-requests.test.ts.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HushApi } from '../src/client/api.js';
import { solvePow } from '../src/client/pow.js';
import { b64uDecode, b64uEncode, formatRequestLink, generateRequesterKeys, openResponse, requestFingerprint, sealResponse, type EcdhKeys } from '../src/protocol/index.js';
import { parseRates } from '../src/server/config.js';
import { REQUEST_GONE_MESSAGE, REQUEST_NOT_FOUND_MESSAGE } from '../src/server/errors.js';
import { bearer, post, req, type Raw } from './helpers/api.js';
import { startServer, type TestServer } from './helpers/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ maxSize: 64 * 1024 });
});
afterAll(async () => {
  await s.close();
});

const api = (path: string, base = s.url): string => `${base}/api/v1${path}`;
const notFoundBody = { error: { code: 'not_found', message: REQUEST_NOT_FOUND_MESSAGE } };
const goneBody = { error: { code: 'not_found', message: REQUEST_GONE_MESSAGE } };
const randomId = (): string => b64uEncode(randomBytes(16));

interface Made {
  id: string;
  token: string;
  keys: EcdhKeys;
  note: string;
  publicKey: string;
  link: string;
  expiresAt: string;
}

/** Creates a request through the API, as a requester's client does. */
async function makeRequest(base = s.url, options: { note?: string; ttl?: number } = {}): Promise<Made> {
  const keys = await generateRequesterKeys({ extractable: false });
  const note = options.note ?? `note-${Math.random().toString(36).slice(2)}`;
  const publicKey = b64uEncode(keys.publicKey);
  const res = await post(api('/requests', base), { publicKey, note, ...(options.ttl === undefined ? {} : { ttl: options.ttl }) });
  if (res.status !== 201) throw new Error(`create request failed: ${String(res.status)} ${res.text}`);
  const { id, token, expiresAt } = res.json as { id: string; token: string; expiresAt: string };
  return { id, token, keys, note, publicKey, link: formatRequestLink(base, id, await requestFingerprint(keys.publicKey, note)), expiresAt };
}

/** Seals a message to the request's key and posts it as the response. */
async function answer(r: Made, message = 'the answer', base = s.url): Promise<{ res: Raw; ciphertext: string }> {
  const ciphertext = await sealResponse(r.keys.publicKey, { message });
  return { res: await post(api(`/requests/${r.id}/response`, base), { ciphertext }), ciphertext };
}

function expectError(res: Raw, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.json).toMatchObject({ error: { code, message: expect.any(String) } });
}

function expectHeaders(res: Raw, what: string): void {
  expect(res.headers.get('cache-control'), what).toBe('no-store');
  expect(res.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
  expect(res.headers.get('content-security-policy'), what).toMatch(/default-src 'none'/);
  expect(res.headers.get('strict-transport-security'), what).toMatch(/max-age=/);
}

describe('POST /api/v1/requests', () => {
  it('creates a request: 201 {id, token, expiresAt}, 24 h by default, with the security headers', async () => {
    const keys = await generateRequesterKeys({ extractable: false });
    const before = Date.now();
    const res = await post(api('/requests'), { publicKey: b64uEncode(keys.publicKey) });
    expect(res.status).toBe(201);
    expectHeaders(res, 'create');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = res.json as Record<string, string>;
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'id', 'token']);
    expect(b64uDecode(body.id!)).toHaveLength(16);
    expect(b64uDecode(body.token!)).toHaveLength(32);
    const exp = Date.parse(body.expiresAt!);
    expect(exp).toBeGreaterThanOrEqual(before + 86_400_000 - 1000);
    expect(exp).toBeLessThanOrEqual(Date.now() + 86_400_000 + 1000);
    // No note: an empty one.
    expect((await req(api(`/requests/${body.id!}`))).json).toMatchObject({ note: '', state: 'open' });
  });

  it('honours ttl and keeps the note exactly', async () => {
    const note = 'Bitte den API-Schlüssel für staging 🔑\n\tthanks — A.';
    const r = await makeRequest(s.url, { note, ttl: 600 });
    expect(Date.parse(r.expiresAt) - Date.now()).toBeLessThan(601_000);
    expect((await req(api(`/requests/${r.id}`))).json).toMatchObject({ note, publicKey: r.publicKey });
    const long = await makeRequest(s.url, { note: '√'.repeat(500) });
    expect((await req(api(`/requests/${long.id}`))).json).toMatchObject({ note: '√'.repeat(500) });
  });

  const key = async (): Promise<Uint8Array> => (await generateRequesterKeys({ extractable: false })).publicKey;
  const offCurve = new Uint8Array(65);
  offCurve[0] = 4;
  offCurve[32] = 1;
  offCurve[64] = 1;
  const bad: [string, () => Promise<unknown>][] = [
    ['a public key of 64 bytes', async () => ({ publicKey: b64uEncode((await key()).slice(1)) })],
    ['a public key of 66 bytes', async () => ({ publicKey: b64uEncode(new Uint8Array([...(await key()), 0])) })],
    ['a compressed-point prefix (0x02)', async () => ({ publicKey: b64uEncode(new Uint8Array([2, ...(await key()).slice(1)])) })],
    ['a point that is not on the curve', () => Promise.resolve({ publicKey: b64uEncode(offCurve) })],
    ['an all-zero key', () => Promise.resolve({ publicKey: b64uEncode(new Uint8Array(65)) })],
    ['a non-canonical public key', async () => ({ publicKey: `${b64uEncode(await key()).slice(0, 86)}B` })],
    ['a missing public key', () => Promise.resolve({ note: 'x' })],
    ['a note of 501 characters', async () => ({ publicKey: b64uEncode(await key()), note: 'x'.repeat(501) })],
    ['a note with a control character', async () => ({ publicKey: b64uEncode(await key()), note: 'bell\u0007' })],
    ['a note with a lone surrogate', async () => ({ publicKey: b64uEncode(await key()), note: 'half \ud83d pair' })],
    ['a note that is not a string', async () => ({ publicKey: b64uEncode(await key()), note: 5 })],
    ['ttl below the minimum', async () => ({ publicKey: b64uEncode(await key()), ttl: 59 })],
    ['ttl above the maximum', async () => ({ publicKey: b64uEncode(await key()), ttl: 30 * 86_400 + 1 })],
    ['an unknown member', async () => ({ publicKey: b64uEncode(await key()), notes: 'x' })],
    ['null', () => Promise.resolve(null)],
  ];
  for (const [name, body] of bad) {
    it(`refuses ${name} with 400 invalid_request`, async () => {
      const res = await post(api('/requests'), await body());
      expectError(res, 400, 'invalid_request');
    });
  }

  it('creation passes the same policy, human check and rate limit as creating a secret', async () => {
    const body = async (): Promise<unknown> => ({ publicKey: b64uEncode(await key()) });
    const off = await startServer({ createPolicy: 'off' });
    try {
      const r = await post(api('/requests', off.url), await body());
      expectError(r, 401, 'unauthorized');
      expect((r.json as { error: { message: string } }).error.message).toMatch(/Creating requests is switched off/);
    } finally {
      await off.close();
    }
    const pow = await startServer({ challenge: 'pow', powCost: 2_000 });
    try {
      expectError(await post(api('/requests', pow.url), await body()), 403, 'challenge_required');
      const solution = await solvePow(await new HushApi(pow.url).challenge());
      const ok = await req(api('/requests', pow.url), { method: 'POST', json: await body(), headers: { 'x-hush-challenge': solution } });
      expect(ok.status).toBe(201);
      const replay = await req(api('/requests', pow.url), { method: 'POST', json: await body(), headers: { 'x-hush-challenge': solution } });
      expectError(replay, 403, 'challenge_failed');
    } finally {
      await pow.close();
    }
    const limited = await startServer({ rateLimit: true, rateCreate: parseRates('2/min') });
    try {
      const secret = await (await import('../src/protocol/index.js')).sealSecret({ message: 'x' });
      expect((await post(api('/secrets', limited.url), secret.body)).status).toBe(201);
      expect((await post(api('/requests', limited.url), await body())).status).toBe(201);
      const third = await post(api('/requests', limited.url), await body());
      expectError(third, 429, 'rate_limited');
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });

  it('counts requests in the quota: 503 quota_exceeded when the server is full', async () => {
    const full = await startServer({ maxSecrets: 1 });
    try {
      await makeRequest(full.url);
      const res = await post(api('/requests', full.url), { publicKey: b64uEncode(await key()) });
      expectError(res, 503, 'quota_exceeded');
      expect(res.headers.get('retry-after')).toBe('60');
    } finally {
      await full.close();
    }
  });
});

describe('the sender: GET /api/v1/requests/:id and POST …/response', () => {
  it('shows the public key, note, expiry and state', async () => {
    const r = await makeRequest();
    const res = await req(api(`/requests/${r.id}`));
    expect(res.status).toBe(200);
    expectHeaders(res, 'get request');
    expect(res.json).toEqual({ publicKey: r.publicKey, note: r.note, expiresAt: r.expiresAt, state: 'open' });
  });

  it('takes one response: 201 {}, a second is 404 and the state says answered', async () => {
    const r = await makeRequest();
    const first = await answer(r, 'first');
    expect(first.res.status).toBe(201);
    expect(first.res.json).toEqual({});
    expectHeaders(first.res, 'respond');
    const second = await answer(r, 'second');
    expect(second.res.status).toBe(404);
    expect(second.res.json).toEqual(notFoundBody);
    expect((await req(api(`/requests/${r.id}`))).json).toMatchObject({ state: 'answered' });
    const picked = await req(api(`/requests/${r.id}/pickup`), { method: 'POST', headers: bearer(r.token) });
    expect((await openResponse(r.keys, (picked.json as { ciphertext: string }).ciphertext)).message).toBe('first');
  });

  it('answers a missing id with 404 not_found, on both routes, and a malformed id with 400', async () => {
    const r = await makeRequest();
    const missing = randomId();
    const get = await req(api(`/requests/${missing}`));
    expect(get.status).toBe(404);
    expect(get.json).toEqual(notFoundBody);
    expectHeaders(get, 'get 404');
    const ciphertext = await sealResponse(r.keys.publicKey, { message: 'x' });
    const res = await post(api(`/requests/${missing}/response`), { ciphertext });
    expect(res.status).toBe(404);
    expect(res.json).toEqual(notFoundBody);
    expectError(await req(api('/requests/not-an-id')), 400, 'invalid_request');
    expectError(await post(api('/requests/not-an-id/response'), { ciphertext }), 400, 'invalid_request');
  });

  it('refuses a response that is too large with 413 and one that is not a response with 400', async () => {
    const r = await makeRequest();
    const big = await sealResponse(r.keys.publicKey, { message: 'x'.repeat(64 * 1024) });
    const tooLarge = await post(api(`/requests/${r.id}/response`), { ciphertext: big });
    expectError(tooLarge, 413, 'payload_too_large');
    expectHeaders(tooLarge, '413');
    const good = b64uDecode(await sealResponse(r.keys.publicKey, { message: 'x' }));
    const notAKey = Uint8Array.from(good);
    notAKey[0] = 2;
    for (const ciphertext of [b64uEncode(good.slice(0, 92)), b64uEncode(notAKey), `${b64uEncode(good)}=`, 'A'.repeat(123)]) {
      expectError(await post(api(`/requests/${r.id}/response`), { ciphertext }), 400, 'invalid_request');
    }
    expectError(await post(api(`/requests/${r.id}/response`), { ciphertext: b64uEncode(good), extra: 1 }), 400, 'invalid_request');
    // Nothing was stored by any of these.
    expect((await req(api(`/requests/${r.id}`))).json).toMatchObject({ state: 'open' });
  });
});

describe('the requester: status, pickup, cancel', () => {
  it('status says open, then answered; a wrong or missing token is 404 like a missing id', async () => {
    const r = await makeRequest();
    const open = await req(api(`/requests/${r.id}/status`), { headers: bearer(r.token) });
    expect(open.status).toBe(200);
    expectHeaders(open, 'status');
    expect(open.json).toEqual({ state: 'open', expiresAt: r.expiresAt });
    await answer(r);
    expect((await req(api(`/requests/${r.id}/status`), { headers: bearer(r.token) })).json).toEqual({ state: 'answered', expiresAt: r.expiresAt });
    const other = await makeRequest();
    for (const [what, url, headers] of [
      ['wrong token', api(`/requests/${r.id}/status`), bearer(other.token)],
      ['no token', api(`/requests/${r.id}/status`), {}],
      ['malformed token', api(`/requests/${r.id}/status`), bearer('nope')],
      ['missing id', api(`/requests/${randomId()}/status`), bearer(r.token)],
    ] as const) {
      const res = await req(url, { headers });
      expect(res.status, what).toBe(404);
      expect(res.json, what).toEqual(goneBody);
    }
  });

  it('pickup hands the response out once, decrypts with the private key only, and erases the request', async () => {
    const r = await makeRequest();
    const message = 'line 1\nzwei — ünïcødé 🔐 密码\n';
    const { ciphertext } = await answer(r, message);
    const wrong = await req(api(`/requests/${r.id}/pickup`), { method: 'POST', headers: bearer((await makeRequest()).token) });
    expect(wrong.status).toBe(404);
    expect(wrong.json).toEqual(goneBody);
    const missing = await req(api(`/requests/${randomId()}/pickup`), { method: 'POST', headers: bearer(r.token) });
    expect(missing.json).toEqual(wrong.json);
    const picked = await req(api(`/requests/${r.id}/pickup`), { method: 'POST', headers: bearer(r.token) });
    expect(picked.status).toBe(200);
    expectHeaders(picked, 'pickup');
    expect(picked.json).toEqual({ ciphertext });
    expect((await openResponse(r.keys, ciphertext)).message).toBe(message);
    // Another key pair — even another request's — cannot open it.
    await expect(openResponse((await makeRequest()).keys, ciphertext)).rejects.toMatchObject({ code: 'decryption_failed' });
    const again = await req(api(`/requests/${r.id}/pickup`), { method: 'POST', headers: bearer(r.token) });
    expect(again.status).toBe(404);
    expect(again.json).toEqual(goneBody);
    expect((await req(api(`/requests/${r.id}`))).json).toEqual(notFoundBody);
    expect((await req(api(`/requests/${r.id}/status`), { headers: bearer(r.token) })).status).toBe(404);
  });

  it('pickup before an answer is 404, and changes nothing', async () => {
    const r = await makeRequest();
    const early = await req(api(`/requests/${r.id}/pickup`), { method: 'POST', headers: bearer(r.token) });
    expect(early.status).toBe(404);
    expect(early.json).toEqual(goneBody);
    expect((await req(api(`/requests/${r.id}/status`), { headers: bearer(r.token) })).json).toMatchObject({ state: 'open' });
    expect((await answer(r)).res.status).toBe(201);
  });

  it('cancel: 204, then the request is gone for everyone; a wrong token is 404 and changes nothing', async () => {
    const r = await makeRequest();
    const wrong = await req(api(`/requests/${r.id}`), { method: 'DELETE', headers: bearer((await makeRequest()).token) });
    expect(wrong.status).toBe(404);
    expect(wrong.json).toEqual(goneBody);
    expect((await req(api(`/requests/${r.id}`))).json).toMatchObject({ state: 'open' });
    const ok = await req(api(`/requests/${r.id}`), { method: 'DELETE', headers: bearer(r.token) });
    expect(ok.status).toBe(204);
    expect(ok.text).toBe('');
    expectHeaders(ok, 'cancel');
    expect((await req(api(`/requests/${r.id}`))).json).toEqual(notFoundBody);
    expect((await answer(r)).res.json).toEqual(notFoundBody);
    expect((await req(api(`/requests/${r.id}/status`), { headers: bearer(r.token) })).json).toEqual(goneBody);
    expect((await req(api(`/requests/${r.id}`), { method: 'DELETE', headers: bearer(r.token) })).status).toBe(404);
  });

  it('an expired request is gone for the sender and the requester, and the purge erases it', async () => {
    const own = await startServer();
    try {
      const open = await makeRequest(own.url, { ttl: 60 });
      const answered = await makeRequest(own.url, { ttl: 60 });
      await answer(answered, 'late', own.url);
      own.advance(60_000);
      for (const r of [open, answered]) {
        expect((await req(api(`/requests/${r.id}`, own.url))).status).toBe(404);
        expect((await req(api(`/requests/${r.id}/status`, own.url), { headers: bearer(r.token) })).status).toBe(404);
        expect((await req(api(`/requests/${r.id}/pickup`, own.url), { method: 'POST', headers: bearer(r.token) })).status).toBe(404);
      }
      expect((await answer(open, 'too late', own.url)).res.status).toBe(404);
      expect(await own.store.stats()).toEqual({ liveSecrets: 2, storedBytes: expect.any(Number) });
      await own.app.purgeNow();
      expect(await own.store.stats()).toEqual({ liveSecrets: 0, storedBytes: 0 });
    } finally {
      await own.close();
    }
  });

  it('20 concurrent answers over HTTP: exactly one 201; 20 concurrent pickups: exactly one 200', async () => {
    const r = await makeRequest();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => answer(r, `answer ${String(i)}`)));
    expect(answers.filter((a) => a.res.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.res.status === 404)).toHaveLength(19);
    const pickups = await Promise.all(Array.from({ length: 20 }, () => req(api(`/requests/${r.id}/pickup`), { method: 'POST', headers: bearer(r.token) })));
    expect(pickups.filter((p) => p.status === 200)).toHaveLength(1);
    const won = answers.find((a) => a.res.status === 201)!;
    expect(pickups.find((p) => p.status === 200)!.json).toEqual({ ciphertext: won.ciphertext });
  });
});

describe('requests: no GET changes anything, and nothing secret is logged or left at rest', () => {
  it('GET and HEAD of a request and its status leave the database byte-identical', async () => {
    const r = await makeRequest();
    const answered = await makeRequest();
    await answer(answered);
    s.store.checkpoint();
    const before = readFileSync(s.dbPath);
    for (const x of [r, answered]) {
      for (const path of [`/api/v1/requests/${x.id}`, `/api/v1/requests/${x.id}/status`, `/api/v1/requests/${x.id}/pickup`, `/api/v1/requests/${x.id}/response`]) {
        for (const method of ['GET', 'HEAD']) {
          await req(`${s.url}${path}`, { method });
          await req(`${s.url}${path}`, { method, headers: bearer(x.token) });
        }
      }
    }
    s.store.checkpoint();
    expect(readFileSync(s.dbPath).equals(before)).toBe(true);
    expect((await req(api(`/requests/${answered.id}/pickup`), { method: 'POST', headers: bearer(answered.token) })).status).toBe(200);
  });

  it('logs hold no token, public key, note or ciphertext of a request', async () => {
    const own = await startServer({ logLevel: 'trace' });
    try {
      const a = await makeRequest(own.url, { note: 'log-scan-note-a' });
      const b = await makeRequest(own.url, { note: 'log-scan-note-b' });
      const { ciphertext } = await answer(a, 'log-scan-plain', own.url);
      await req(api(`/requests/${a.id}`, own.url));
      await req(api(`/requests/${a.id}/status`, own.url), { headers: bearer(a.token) });
      await req(api(`/requests/${a.id}/pickup`, own.url), { method: 'POST', headers: bearer(b.token) });
      await req(api(`/requests/${a.id}/pickup`, own.url), { method: 'POST', headers: bearer(a.token) });
      await req(api(`/requests/${b.id}`, own.url), { method: 'DELETE', headers: bearer(b.token) });
      await post(api('/requests', own.url), { publicKey: b.publicKey, note: 'log-scan-bad-\u0007' });
      const out = own.logs.join('\n');
      expect(own.logs.filter((l) => l.includes('"msg":"request"')).length).toBe(9);
      for (const route of ['/api/v1/requests', '/api/v1/requests/:id', '/api/v1/requests/:id/response', '/api/v1/requests/:id/status', '/api/v1/requests/:id/pickup']) {
        expect(out).toContain(`"route":"${route}"`);
      }
      for (const v of [a.token, b.token, a.publicKey, b.publicKey, a.id, b.id, ciphertext.slice(0, 40), ciphertext.slice(-40), 'log-scan-note', 'log-scan-plain', 'log-scan-bad']) {
        expect(out.includes(v), `log holds ${v.slice(0, 12)}…`).toBe(false);
      }
      expect(out).not.toMatch(/authorization/i);
    } finally {
      await own.close();
    }
  });

  it('after a pickup, a cancel or a purge, no byte sequence of the response remains in the .db or -wal file', async () => {
    const own = await startServer();
    try {
      const holds = (needle: Buffer): boolean =>
        [own.dbPath, `${own.dbPath}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(needle));
      const made = await Promise.all([makeRequest(own.url), makeRequest(own.url), makeRequest(own.url, { ttl: 60 }), makeRequest(own.url, { ttl: 3600 })]);
      const [picked, cancelled, expired, kept] = made;
      const windows = new Map<Made, Buffer[]>();
      for (const r of made) {
        const c = Buffer.from(b64uDecode((await answer(r, 'r'.repeat(3000), own.url)).ciphertext));
        windows.set(r, [c.subarray(0, 32), c.subarray(1000, 1032), c.subarray(c.length - 32)]);
      }
      for (const r of made) for (const w of windows.get(r)!) expect(holds(w)).toBe(true);
      await req(api(`/requests/${picked.id}/pickup`, own.url), { method: 'POST', headers: bearer(picked.token) });
      await req(api(`/requests/${cancelled.id}`, own.url), { method: 'DELETE', headers: bearer(cancelled.token) });
      own.advance(61_000);
      await own.app.purgeNow(); // deletes the expired one and checkpoints the WAL
      for (const r of [picked, cancelled, expired]) for (const w of windows.get(r)!) expect(holds(w)).toBe(false);
      for (const w of windows.get(kept)!) expect(holds(w)).toBe(true);
    } finally {
      await own.close();
    }
  });
});
