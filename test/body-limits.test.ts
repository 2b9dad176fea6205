// Regression tests for an outside review's finding: the body limit meant for a ciphertext applied
// to every route, so one 13.8 MB nested body sent to a peek held the event loop for seconds (a
// parallel /info waited 4.1 s) and took ~800 MB. Small routes now refuse a large body before
// reading it, and no route parses JSON nested deeper than the protocol uses.
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { b64uEncode, generateRequesterKeys } from '../src/protocol/index.js';
import { MAX_JSON_DEPTH, nestsDeeperThan, SMALL_BODY_LIMIT } from '../src/server/body.js';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret, post } from './helpers/api.js';

const id = (): string => b64uEncode(randomBytes(16));
const publicKey = async (): Promise<string> => b64uEncode((await generateRequesterKeys({ extractable: false })).publicKey);
const nested = (depth: number): string => `{"auth":${'['.repeat(depth)}${']'.repeat(depth)}}`;

/**
 * Sends the head of a request announcing `announced` body bytes, then only `sent` of them, and
 * waits for the answer. A server that reads the whole body before deciding never answers (the
 * rest never comes), so an answer proves the body was refused unread.
 */
function partialPost(url: string, path: string, announced: number, sent: string): Promise<{ status: number; head: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${String(announced)}\r\n\r\n${sent}`);
    });
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${path} while its body was incomplete`));
    }, 20_000);
    socket.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      const head = data.split('\r\n\r\n')[0]!;
      if (data.includes('\r\n\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head });
      }
    });
    socket.on('error', reject);
  });
}

describe('body limits per route', () => {
  let s: TestServer;
  let request: { id: string; token: string };
  beforeAll(async () => {
    s = await startServer();
    const res = await post(`${s.url}/api/v1/requests`, { publicKey: await publicKey() });
    request = res.json as { id: string; token: string };
  });
  afterAll(() => s.close());

  const small = (): [string, string][] => [
    ['peek', `/api/v1/secrets/${id()}/peek`],
    ['consume', `/api/v1/secrets/${id()}/consume`],
    ['request create', '/api/v1/requests'],
    ['pickup', `/api/v1/requests/${id()}/pickup`],
  ];

  it('a 13.8 MB body to a small route is refused with 413 before it is read', async () => {
    for (const [what, path] of small()) {
      const r = await partialPost(s.url, path, 13_800_000, nested(1000));
      expect(r.status, what).toBe(413);
      expect(r.head.toLowerCase(), what).toContain('connection: close');
    }
    // The server is fine afterwards.
    expect((await post(`${s.url}/api/v1/secrets/${id()}/peek`, { auth: b64uEncode(randomBytes(32)) })).status).toBe(404);
  });

  it('a small route takes its largest real body; one byte-limit past SMALL_BODY_LIMIT is 413', async () => {
    // The largest request create: a key and a note of 500 astral characters, each written as
    // two \u escapes (12 bytes of JSON for one character).
    const note = '😀'.repeat(500).split('').map((u) => `\\u${u.charCodeAt(0).toString(16)}`).join('');
    const body = `{"publicKey":"${await publicKey()}","note":"${note}","ttl":3600}`;
    expect(body.length).toBeLessThan(SMALL_BODY_LIMIT);
    const res = await fetch(`${s.url}/api/v1/requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(201);
    const over = await fetch(`${s.url}/api/v1/secrets/${id()}/peek`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: 'a'.repeat(SMALL_BODY_LIMIT) }),
    });
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('routes that carry a ciphertext still take HUSH_MAX_SIZE', async () => {
    const m = await makeSecret(s.url, { message: 'x'.repeat(2_000_000) });
    expect((await post(`${s.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth })).status).toBe(200);
    const bytes = randomBytes(2_000_000);
    bytes[0] = 4; // an ephemeral public key's first byte, then anything: the server cannot check the rest
    const answer = b64uEncode(bytes);
    expect((await post(`${s.url}/api/v1/requests/${request.id}/response`, { ciphertext: answer })).status).toBe(201);
  });

  it('JSON nested deeper than the protocol uses is refused before it is parsed, on every route', async () => {
    const deep = nested(3_400_000); // 13.6 MB, under the create route's limit
    for (const path of ['/api/v1/secrets', `/api/v1/requests/${request.id}/response`]) {
      const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: deep });
      expect(res.status, path).toBe(400);
      expect(await res.json(), path).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining(`deeper than ${String(MAX_JSON_DEPTH)}`) } });
    }
    const shallow = await fetch(`${s.url}/api/v1/secrets/${id()}/peek`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nested(MAX_JSON_DEPTH + 1) });
    expect(await shallow.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('deeper') } });
  });
});

describe('the JSON parser that replaced Fastify\'s', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  // The schema would refuse an unknown "__proto__" member too, but with its own message: this
  // shows the parser itself still refuses poisoning, as Fastify's did before it was replaced.
  it('still refuses prototype and constructor poisoning itself, before the schema sees the body', async () => {
    const auth = b64uEncode(randomBytes(32));
    for (const body of [`{"auth":"${auth}","__proto__":{"x":1}}`, `{"auth":"${auth}","constructor":{"prototype":{"x":1}}}`]) {
      const res = await fetch(`${s.url}/api/v1/secrets/${id()}/peek`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status, body).toBe(400);
      expect(await res.json(), body).toEqual({ error: { code: 'invalid_request', message: 'The request is not valid: send a well-formed JSON object.' } });
    }
  });
});

describe('nestsDeeperThan', () => {
  it('counts brackets outside strings only, escapes included', () => {
    expect(nestsDeeperThan('{"a":{"b":1}}', 2)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":[1]}}', 2)).toBe(true);
    expect(nestsDeeperThan('{"note":"[[[[[[{{{{{{"}', 1)).toBe(false);
    expect(nestsDeeperThan('{"note":"\\"[[[[[[\\\\"}', 1)).toBe(false);
    expect(nestsDeeperThan('{"note":"\\\\"}[[[', 2)).toBe(true);
    expect(nestsDeeperThan('{"unterminated":"[[[[', 1)).toBe(false);
  });

  it('agrees with the depth JSON.parse sees, for any JSON value', () => {
    const depthOf = (v: unknown): number => (typeof v === 'object' && v !== null ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 8 }), (value, max) => {
        const text = JSON.stringify(value);
        expect(nestsDeeperThan(text, max)).toBe(depthOf(JSON.parse(text)) > max);
      }),
      { numRuns: 2000 },
    );
  });
});
