// The library API for integrations (src/lib.ts) and the optional HTTP encrypt API.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import {
  ApiError,
  ClientError,
  HushError,
  PowError,
  ProtocolError,
  cancelRequest,
  createRequest,
  createSecret,
  exportRequesterKeys,
  importRequesterKeys,
  isHushError,
  openLink,
  pickupResponse,
  requestStatus,
  respondToRequest,
  revoke,
  sealLink,
  secretStatus,
  waitForAnswer,
  MAX_STATELESS_LINK,
  type ApiErrorCode,
  type ClientErrorCode,
  type HushErrorCode,
  type PowErrorCode,
  type ProtocolErrorCode,
} from '../src/lib.js';
import { sealSecret } from '../src/protocol/index.js';
import { HushApi } from '../src/client/api.js';
import { startServer, type TestServer } from './helpers/server.js';
import { http } from './helpers/http.js';

const token = 'hush_tok_' + randomBytes(24).toString('base64url');
const tokenHash = createHash('sha256').update(token).digest('hex');

describe('library', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('createSecret → secretStatus → openLink → secretStatus → a second openLink fails', async () => {
    const sent = await createSecret({ server: s.url, message: 'from the library', ttl: 600, views: 1 });
    expect(sent.link).toMatch(new RegExp(`^${s.url}/s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`));
    expect((await secretStatus(sent.manageLink)).state).toBe('pending');
    const opened = await openLink(sent.link);
    expect(opened).toMatchObject({ kind: 'stored', message: 'from the library', viewsLeft: 0 });
    expect(opened.sealedExpiresAt).toBeGreaterThan(Date.now() / 1000 + 590);
    expect((await secretStatus(sent.manageLink)).state).toBe('consumed');
    await expect(openLink(sent.link)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('revoke erases a secret; passphrases round-trip and are required', async () => {
    const sent = await createSecret({ server: s.url, message: 'm', passphrase: 'correct horse' });
    await expect(openLink(sent.link)).rejects.toMatchObject({ code: 'passphrase_required' });
    expect((await openLink(sent.link, { passphrase: 'correct horse' })).message).toBe('m');
    const other = await createSecret({ server: s.url, message: 'n' });
    await revoke(other.manageLink);
    expect((await secretStatus(other.manageLink)).state).toBe('revoked');
    await expect(openLink(other.link)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a stored secret whose sealed expiry has passed, and says when (fixed clock)', async () => {
    // Sealed with an expiry in the past as seen by the reader's clock, still stored on the server.
    const fixed = Date.parse('2030-06-01T12:00:00Z');
    const sent = await createSecret({ server: s.url, message: 'late', ttl: 3600, now: () => fixed - 7200_000 });
    await expect(openLink(sent.link, { now: () => fixed })).rejects.toMatchObject({ code: 'expired', expiredAt: Math.floor((fixed - 7200_000) / 1000) + 3600 });
  });

  it('sealLink makes stateless links that openLink opens with no server at all', async () => {
    const link = await sealLink({ origin: 'https://hush.example', message: 'stateless from code', ttl: 3600 });
    expect(link.startsWith('https://hush.example/l#1.')).toBe(true);
    expect(await openLink(link)).toMatchObject({ kind: 'stateless', message: 'stateless from code', viewsLeft: null });
    const pp = await sealLink({ origin: 'https://hush.example', message: 'pp', ttl: 3600, passphrase: 'pw' });
    await expect(openLink(pp)).rejects.toMatchObject({ code: 'passphrase_required' });
    expect((await openLink(pp, { passphrase: 'pw' })).message).toBe('pp');
    const expired = await sealLink({ origin: 'https://hush.example', message: 'x', expiresAt: 2_000_000_000, now: () => 1_999_999_000_000 });
    await expect(openLink(expired, { now: () => 2_000_000_001_000 })).rejects.toMatchObject({ code: 'expired' });
    await expect(sealLink({ origin: 'https://hush.example', message: 'x'.repeat(MAX_STATELESS_LINK), ttl: 60 })).rejects.toThrow(/Shorten the message/);
    await expect(sealLink({ origin: 'https://hush.example', message: 'x' })).rejects.toMatchObject({ code: 'invalid_option' });
  });

  it('makes links in bulk (200 stateless, 50 stored) that all open', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `user${String(i)},pw-${randomBytes(6).toString('hex')}`);
    const links = await Promise.all(rows.map((r) => sealLink({ origin: s.url, message: r.split(',')[1]!, ttl: 86_400 })));
    for (const [i, link] of links.entries()) expect((await openLink(link)).message).toBe(rows[i]!.split(',')[1]);
    const stored = await Promise.all(rows.slice(0, 50).map((r) => createSecret({ server: s.url, message: r })));
    expect(new Set(stored.map((x) => x.id)).size).toBe(50);
    for (const [i, x] of stored.entries()) expect((await openLink(x.link)).message).toBe(rows[i]);
  });
});

describe('library: requests (docs/protocol.md §7)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('createRequest → respondToRequest → waitForAnswer → pickupResponse, once; the key pair survives export and import', async () => {
    const request = await createRequest({ server: s.url, note: 'the staging key, please', ttl: 3600, extractable: true });
    expect(request.link).toMatch(new RegExp(`^${s.url}/r/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{22}$`));
    expect((await requestStatus(request)).state).toBe('open');
    // Stored and read back, as a job that restarts between asking and picking up would.
    const keys = await importRequesterKeys(await exportRequesterKeys(request.keys));
    const answered = await respondToRequest(request.link, 'sk_test_51H… café');
    expect(answered).toMatchObject({ id: request.id, note: 'the staging key, please', state: 'open' });
    expect(await waitForAnswer(request, { everyMs: 50, deadline: Date.now() + 5000 })).toBe(true);
    const got = await pickupResponse({ server: request.server, id: request.id, token: request.token, keys });
    expect(got).toMatchObject({ message: 'sk_test_51H… café', raw: false });
    expect(got.sealedExpiresAt).toBe(Math.floor(Date.parse(request.expiresAt) / 1000));
    // One pickup: the server erased the request with it.
    await expect(pickupResponse(request)).rejects.toMatchObject({ name: 'ApiError', code: 'not_found' });
    await expect(respondToRequest(request.link, 'again')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a link whose fingerprint does not match the key and note is refused with key_mismatch, and nothing is sent', async () => {
    const request = await createRequest({ server: s.url, note: 'A' });
    const [head, fingerprint] = request.link.split('#') as [string, string];
    const altered = `${head}#${(fingerprint.startsWith('A') ? 'B' : 'A') + fingerprint.slice(1)}`;
    const err = await respondToRequest(altered, 'must not leave').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err).toMatchObject({ code: 'key_mismatch' });
    expect((await requestStatus(request)).state).toBe('open');
    await cancelRequest(request);
    await expect(requestStatus(request)).rejects.toMatchObject({ code: 'not_found' });
    // A private key made non-extractable (the default) cannot be written out.
    await expect(exportRequesterKeys(request.keys)).rejects.toThrow();
  });
});

describe('library: every error it throws is a HushError with a code', () => {
  it('ApiError, ProtocolError, ClientError and PowError share the base class; isHushError narrows the code', async () => {
    const s = await startServer({ challenge: 'pow', powCost: 10_000_000 });
    try {
      const caught = async (p: Promise<unknown>): Promise<unknown> => p.then(() => null, (e: unknown) => e);
      const cases: [unknown, new (...args: never[]) => HushError, HushErrorCode][] = [
        [await caught(openLink(`${s.url}/s/AAAAAAAAAAAAAAAAAAAAAA#${'A'.repeat(43)}`)), ApiError, 'not_found'],
        [await caught(openLink('http://127.0.0.1:9/s/AAAAAAAAAAAAAAAAAAAAAA#' + 'A'.repeat(43))), ApiError, 'network_error'],
        [await caught(openLink(`${s.url}/s/short#key`)), ProtocolError, 'invalid_link'],
        [await caught(sealLink({ origin: s.url, message: 'x' })), ClientError, 'invalid_option'],
        // The server asks for more work than a client does (maxnumber 10 000 000 > 5 000 000).
        [await caught(createSecret({ server: s.url, message: 'x' })), PowError, 'pow_too_hard'],
      ];
      for (const [err, kind, code] of cases) {
        expect(err, code).toBeInstanceOf(kind);
        expect(err, code).toBeInstanceOf(HushError);
        expect(isHushError(err) ? err.code : null, code).toBe(code);
      }
      expect(isHushError(new Error('other'))).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('no code belongs to two classes, so narrowing on the code narrows the class (checked by the type check)', () => {
    // The codes each pair of classes shares: none.
    expectTypeOf<Extract<ApiErrorCode, ProtocolErrorCode>>().toBeNever();
    expectTypeOf<Extract<ApiErrorCode, ClientErrorCode>>().toBeNever();
    expectTypeOf<Extract<ApiErrorCode, PowErrorCode>>().toBeNever();
    expectTypeOf<Extract<ProtocolErrorCode, ClientErrorCode>>().toBeNever();
    expectTypeOf<Extract<ProtocolErrorCode, PowErrorCode>>().toBeNever();
    expectTypeOf<Extract<ClientErrorCode, PowErrorCode>>().toBeNever();
    // And the union is the four classes' codes, no more.
    expectTypeOf<HushErrorCode>().toEqualTypeOf<ApiErrorCode | ProtocolErrorCode | ClientErrorCode | PowErrorCode>();
  });
});

describe('POST /api/v1/encrypt', () => {
  it('is off by default: 404', async () => {
    const s = await startServer();
    try {
      expect((await http(`${s.url}/api/v1/encrypt`, { body: { message: 'x', mode: 'stored' }, headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    } finally {
      await s.close();
    }
  });

  it('when on: needs an API token; stored and stateless links it makes open; the message never reaches the logs', async () => {
    const s = await startServer({ encryptApi: true, apiTokens: [tokenHash], publicUrl: 'http://127.0.0.1:1' });
    try {
      const message = 'encrypt-api-plaintext-' + randomBytes(8).toString('hex');
      const no = await http(`${s.url}/api/v1/encrypt`, { body: { message, mode: 'stored' } });
      expect(no.status).toBe(401);
      const bad = await http(`${s.url}/api/v1/encrypt`, { body: { message, mode: 'stored' }, headers: { authorization: 'Bearer nope' } });
      expect(bad.status).toBe(401);
      const auth = { authorization: `Bearer ${token}` };
      // A Host header of the client's choosing never reaches a link.
      const stored = await http(`${s.url}/api/v1/encrypt`, { body: { message, mode: 'stored', ttl: 3600, views: 2 }, headers: { ...auth, host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
      expect(stored.status).toBe(200);
      const st = stored.json as { link: string; manageLink: string; views: number };
      expect(st.link.startsWith('http://127.0.0.1:1/s/')).toBe(true); // the public URL, not the request's
      expect(st.views).toBe(2);
      // Open it against the real server (the public URL in this test is a placeholder).
      expect((await openLink(st.link, { server: s.url })).message).toBe(message);
      const stateless = await http(`${s.url}/api/v1/encrypt`, { body: { message, mode: 'stateless', expiresAt: Math.floor(Date.now() / 1000) + 600 }, headers: auth });
      const sl = stateless.json as { link: string };
      expect(sl.link).toMatch(/^http:\/\/127\.0\.0\.1:1\/l#1\./);
      expect((await openLink(sl.link)).message).toBe(message);
      for (const [b, code] of [
        [{ message, mode: 'other' }, 400],
        [{ message, mode: 'stored', ttl: 10 }, 400],
        [{ message, mode: 'stored', ttl: 600, expiresAt: 1 }, 400],
        [{ message, mode: 'stateless', views: 3 }, 400],
        [{ message: 'x'.repeat(3000), mode: 'stateless' }, 413],
      ] as const) {
        expect((await http(`${s.url}/api/v1/encrypt`, { body: b, headers: auth })).status, JSON.stringify(b).slice(0, 60)).toBe(code);
      }
      expect(s.logs.join('\n')).not.toContain(message);
      expect(s.logs.join('\n')).not.toContain(token);
      // The ordinary create API still needs its own ciphertext: the encrypt API adds nothing there.
      expect((await new HushApi(s.url).create((await sealSecret({ message: 'x' })).body)).id).toHaveLength(22);
    } finally {
      await s.close();
    }
  });
});
