// Hostile input over the HTTP API: random JSON shapes, types, sizes, unicode, duplicate keys,
// huge numbers, deep nesting, wrong content types, slow bodies. Always a clean 4xx with a
// protocol error body, never a 5xx, a crash or a hang — and the server still serves afterwards.
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64uEncode, generateRequesterKeys, sealSecret } from '../src/protocol/index.js';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret, type Made } from './helpers/api.js';

const token = 'hostile-token-' + randomBytes(8).toString('hex');
let s: TestServer;
let live: Made;
let liveRequest: { id: string; token: string };
const codes = new Set(['invalid_request', 'unauthorized', 'not_found', 'payload_too_large', 'wrong_passphrase', 'not_yet_available']);

beforeAll(async () => {
  s = await startServer({ maxSize: 64 * 1024, encryptApi: true, publicUrl: 'http://127.0.0.1:1', apiTokens: [createHash('sha256').update(token).digest('hex')] });
  live = await makeSecret(s.url, { views: 100 });
  const publicKey = b64uEncode((await generateRequesterKeys({ extractable: false })).publicKey);
  const res = await fetch(`${s.url}/api/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ publicKey }) });
  liveRequest = (await res.json()) as { id: string; token: string };
});
afterAll(() => s.close());

async function send(path: string, body: string, contentType = 'application/json', headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': contentType, ...headers }, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

function expectClean(r: { status: number; json: unknown }, what: string): void {
  expect(r.status, what).toBeGreaterThanOrEqual(400);
  expect(r.status, what).toBeLessThan(500);
  const err = (r.json as { error?: { code?: unknown; message?: unknown } }).error;
  expect(typeof err?.message, what).toBe('string');
  expect(codes.has(err?.code as string), `${what}: ${String(err?.code)}`).toBe(true);
}

const paths = (): string[] => [
  '/api/v1/secrets',
  `/api/v1/secrets/${live.id}/peek`,
  `/api/v1/secrets/${live.id}/consume`,
  '/api/v1/encrypt',
  '/api/v1/requests',
  `/api/v1/requests/${liveRequest.id}/response`,
  `/api/v1/requests/${liveRequest.id}/pickup`,
];

describe('hostile input never makes a 5xx', () => {
  it('random JSON values of any shape, to every POST route', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 6 }), fc.constantFrom(...paths()), async (value, path) => {
        const r = await send(path, JSON.stringify(value), 'application/json', path.endsWith('encrypt') ? { authorization: `Bearer ${token}` } : {});
        // A random value is never a valid request body for these routes, except by vanishing chance.
        if (r.status < 400) return;
        expectClean(r, `${path} ${JSON.stringify(value).slice(0, 80)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('objects with the right keys and wrong types, sizes and unicode', async () => {
    const anyValue = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }),
      fc.string({ minLength: 40, maxLength: 50, unit: fc.constantFrom(...'AZaz09-_=+/'.split('')) }),
    );
    const keys = ['ciphertext', 'verifier', 'ttl', 'views', 'passphrase', 'notBefore', 'auth', 'passphraseProof', 'message', 'mode', 'expiresAt', 'publicKey', 'note', '__proto__', 'constructor'];
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), anyValue, { maxKeys: 6 }), fc.constantFrom(...paths()), async (obj, path) => {
        const r = await send(path, JSON.stringify(obj), 'application/json', path.endsWith('encrypt') ? { authorization: `Bearer ${token}` } : {});
        if (r.status < 400) return;
        expectClean(r, `${path} ${JSON.stringify(obj).slice(0, 120)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('raw bytes, broken JSON and wrong content types', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.json().map((j) => j.slice(0, Math.max(0, j.length - 1)))),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/octet-stream'),
        fc.constantFrom(...paths()),
        async (body, type, path) => {
          const r = await send(path, body, type);
          if (r.status < 400) return;
          expectClean(r, `${type} ${body.slice(0, 60)}`);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('duplicate keys, huge numbers, deep nesting, lone surrogates, an oversized body', async () => {
    const sealed = (await sealSecret({ message: 'x' })).body;
    const cases: [string, string][] = [
      ['duplicate keys', `{"ciphertext":"${sealed.ciphertext}","ciphertext":"AAAA","verifier":"${sealed.verifier}"}`],
      ['huge number', `{"ciphertext":"${sealed.ciphertext}","verifier":"${sealed.verifier}","ttl":1e400}`],
      ['big integer', `{"ciphertext":"${sealed.ciphertext}","verifier":"${sealed.verifier}","views":123456789012345678901234567890}`],
      ['negative zero', `{"ciphertext":"${sealed.ciphertext}","verifier":"${sealed.verifier}","views":-0}`],
      ['deep arrays', '['.repeat(50_000) + ']'.repeat(50_000)],
      ['deep objects', '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)],
      ['lone surrogate', '{"auth":"\\ud800\\udc00\\ud800"}'],
      ['NUL bytes', '{"auth":"\u0000\u0000"}'],
      ['oversized', `{"ciphertext":"${'A'.repeat(200_000)}","verifier":"${sealed.verifier}"}`],
      ['proto pollution', '{"__proto__":{"polluted":true},"auth":"x"}'],
    ];
    for (const path of paths()) {
      for (const [what, body] of cases) {
        const r = await send(path, body, 'application/json', path.endsWith('encrypt') ? { authorization: `Bearer ${token}` } : {});
        if (r.status === 201 || r.status === 200) continue; // duplicate keys may resolve to a valid body: fine
        expectClean(r, `${path}: ${what}`);
      }
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a slow body is served normally, not hung', async () => {
    const body = JSON.stringify((await sealSecret({ message: 'slow' })).body);
    const port = Number(new URL(s.url).port);
    const response = await new Promise<string>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write(`POST /api/v1/secrets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${String(Buffer.byteLength(body))}\r\nConnection: close\r\n\r\n`);
        let i = 0;
        const step = Math.ceil(body.length / 10);
        const timer = setInterval(() => {
          sock.write(body.slice(i, i + step));
          i += step;
          if (i >= body.length) clearInterval(timer);
        }, 150);
      });
      let data = '';
      sock.on('data', (d: Buffer) => (data += d.toString()));
      sock.on('end', () => resolve(data));
      sock.on('error', reject);
    });
    expect(response).toMatch(/^HTTP\/1\.1 201/);
  });

  it('still serves normally afterwards, and the live secret is intact', async () => {
    expect((await fetch(`${s.url}/api/v1/info`)).status).toBe(200);
    const r = await fetch(`${s.url}/api/v1/secrets/${live.id}/consume`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: live.auth }) });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { ciphertext: string }).ciphertext).toBe(live.ciphertext);
    const status = await fetch(`${s.url}/api/v1/requests/${liveRequest.id}/status`, { headers: { authorization: `Bearer ${liveRequest.token}` } });
    expect(await status.json()).toMatchObject({ state: 'open' });
  });
});
