// Read notifications to operator-configured webhooks: a real receiver on a real port gets signed
// events for read, burn and revoke; a failing receiver is retried with back-off; nothing secret
// is ever in an event; a user cannot name an endpoint.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/server/config.js';
import { b64uEncode } from '../src/protocol/index.js';
import { startServer, type TestServer } from './helpers/server.js';
import { makeSecret, post, req, bearer } from './helpers/api.js';

const SECRET = 'webhook-test-secret-0123456789-abcdef';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A receiver that answers 500 to the first `failures` deliveries, then 204. */
async function receiver(failures = 0): Promise<{ url: string; got: Received[]; attempts: () => number; ids: string[]; close: () => Promise<void> }> {
  const got: Received[] = [];
  /** x-hush-event-id of every attempt, failed ones included. */
  const ids: string[] = [];
  let attempts = 0;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (d: string) => (body += d));
    request.on('end', () => {
      attempts++;
      ids.push(String(request.headers['x-hush-event-id']));
      if (attempts <= failures) {
        response.writeHead(500).end();
        return;
      }
      got.push({ headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${String(port)}/hooks/hush?token=receiver-side`,
    got,
    attempts: () => attempts,
    ids,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** What a receiver must do: recompute the HMAC over `t.body` and compare in constant time. */
function verify(r: Received): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(r.headers['x-hush-signature']));
  if (!m) return false;
  const expected = createHmac('sha256', SECRET).update(`${m[1]!}.${r.body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex')) && Math.abs(Date.now() / 1000 - Number(m[1])) < 300;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('webhooks', () => {
  let rx: Awaited<ReturnType<typeof receiver>>;
  let s: TestServer;
  beforeAll(async () => {
    rx = await receiver();
    s = await startServer({ webhooks: [rx.url], webhookSecret: SECRET, passphraseAttempts: 2 });
  });
  afterAll(async () => {
    await s.close();
    await rx.close();
  });
  afterEach(() => {
    rx.got.length = 0;
  });

  it('a read is delivered, signed, with the id and views left — and nothing secret', async () => {
    const m = await makeSecret(s.url, { views: 2 });
    expect((await post(`${s.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth })).status).toBe(200);
    await until(() => rx.got.length === 1);
    const [r] = rx.got;
    expect(verify(r!)).toBe(true);
    expect(r!.headers['x-hush-event']).toBe('secret.read');
    expect(r!.headers['content-type']).toBe('application/json');
    const event = JSON.parse(r!.body) as Record<string, unknown>;
    expect(Object.keys(event).sort()).toEqual(['at', 'id', 'type', 'viewsLeft']);
    expect(event).toMatchObject({ type: 'secret.read', id: m.id, viewsLeft: 1 });
    for (const v of [m.auth, m.keyB64u, m.verifier, m.ciphertext, m.manageToken, m.message]) expect(r!.body).not.toContain(v);
    // A tampered body fails the check a receiver makes.
    expect(verify({ ...r!, body: r!.body.replace('"viewsLeft":1', '"viewsLeft":9') })).toBe(false);
  });

  it('burn and revoke are delivered; failed reads and peeks are not events', async () => {
    const b = await makeSecret(s.url, { passphrase: 'right' });
    const wrong = b64uEncode(new Uint8Array(32).fill(1));
    await post(`${s.url}/api/v1/secrets/${b.id}/peek`, { auth: b.auth });
    await post(`${s.url}/api/v1/secrets/${b.id}/consume`, { auth: b.auth, passphraseProof: wrong });
    await post(`${s.url}/api/v1/secrets/${b.id}/consume`, { auth: b.auth, passphraseProof: wrong });
    const r = await makeSecret(s.url);
    await post(`${s.url}/api/v1/secrets/${r.id}/consume`, { auth: b.auth }); // wrong auth: nothing happens
    expect((await req(`${s.url}/api/v1/secrets/${r.id}`, { method: 'DELETE', headers: bearer(r.manageToken) })).status).toBe(204);
    await until(() => rx.got.length === 2);
    await new Promise((res) => setTimeout(res, 200));
    // No order between events (several instances deliver at once): receivers order by `at`.
    const events = rx.got.map((g) => JSON.parse(g.body) as { type: string; id: string; viewsLeft: number });
    expect(events).toHaveLength(2);
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'secret.burned', id: b.id, viewsLeft: 0 }),
        expect.objectContaining({ type: 'secret.revoked', id: r.id, viewsLeft: 0 }),
      ]),
    );
    expect(rx.got.every(verify)).toBe(true);
  });

  it('a read does not wait for a receiver that never answers', async () => {
    // A receiver that takes the request and never answers; delivery would wait 10 minutes for it.
    let pending = 0;
    const silent = createServer(() => {
      pending++;
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const slow = await startServer({ webhooks: [`http://127.0.0.1:${String(port)}/`], webhookSecret: SECRET }, { webhookOptions: { timeoutMs: 600_000 } });
    try {
      const m = await makeSecret(slow.url);
      // Had the read waited for delivery, this would hang past the test's timeout.
      expect((await post(`${slow.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth })).status).toBe(200);
      await until(() => pending === 1);
      expect(slow.app.webhooks.stats.delivered).toBe(0);
    } finally {
      silent.closeAllConnections();
      await slow.close();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});

describe('webhook retries', () => {
  it('a receiver failing twice gets the event on the third attempt, after back-off', async () => {
    const rx = await receiver(2);
    const s = await startServer({ webhooks: [rx.url], webhookSecret: SECRET }, { webhookOptions: { baseDelayMs: 50 } });
    try {
      const m = await makeSecret(s.url);
      await post(`${s.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth });
      await until(() => rx.got.length === 1);
      expect(rx.attempts()).toBe(3);
      // The receiver has the event before its 204 reaches Hush: wait for Hush to count it.
      await until(() => s.app.webhooks.stats.delivered === 1);
      expect(s.app.webhooks.stats).toMatchObject({ delivered: 1, failedAttempts: 2 });
      expect(verify(rx.got[0]!)).toBe(true);
      // The idempotency key is the same on every attempt.
      expect(rx.ids).toHaveLength(3);
      expect(new Set(rx.ids).size).toBe(1);
      expect(rx.ids[0]).toMatch(/^\S+$/);
      expect(await s.store.outboxStats()).toEqual({ pending: 0, dead: 0 });
      // The log names the endpoint without its query string (which may hold a receiver's token).
      const logs = s.logs.join('\n');
      expect(logs).toContain('webhook refused');
      expect(logs).not.toContain('receiver-side');
    } finally {
      await s.close();
      await rx.close();
    }
  });

  it('gives up after the configured attempts and says so', async () => {
    const rx = await receiver(100);
    const s = await startServer({ webhooks: [rx.url], webhookSecret: SECRET }, { webhookOptions: { baseDelayMs: 10, attempts: 3 } });
    try {
      const m = await makeSecret(s.url);
      await post(`${s.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth });
      await until(() => s.logs.some((l) => l.includes('webhook event given up')));
      expect(rx.attempts()).toBe(3);
      // Dead-lettered: kept (without the secret's id) and counted, never tried again.
      await until(() => s.app.webhooks.stats.dead === 1);
      expect(await s.store.outboxStats()).toEqual({ pending: 0, dead: 1 });
      expect(await s.app.metrics.registry.getSingleMetricAsString('hush_webhooks_dead')).toContain('hush_webhooks_dead 1');
      await new Promise((r) => setTimeout(r, 300));
      expect(rx.attempts()).toBe(3);
    } finally {
      await s.close();
      await rx.close();
    }
  });
});

describe('webhook events from the outbox', () => {
  it('a secret that expires unread produces secret.expired after the purge', async () => {
    const rx = await receiver();
    const s = await startServer({ webhooks: [rx.url], webhookSecret: SECRET });
    try {
      const m = await makeSecret(s.url);
      const read = await makeSecret(s.url);
      await post(`${s.url}/api/v1/secrets/${read.id}/consume`, { auth: read.auth });
      await until(() => rx.got.length === 1);
      s.advance(8 * 24 * 3_600_000);
      await s.app.purgeNow();
      await until(() => rx.got.length === 2);
      const event = JSON.parse(rx.got[1]!.body) as { type: string; id: string; viewsLeft: number; at: string };
      expect(event).toMatchObject({ type: 'secret.expired', id: m.id, viewsLeft: 0 });
      expect(rx.got[1]!.headers['x-hush-event']).toBe('secret.expired');
      expect(verify(rx.got[1]!)).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(rx.got).toHaveLength(2); // the read one did not expire unread
    } finally {
      await s.close();
      await rx.close();
    }
  });

  it('notifies with HUSH_AUDIT=off too, and each event has its own id', async () => {
    const rx = await receiver();
    const s = await startServer({ webhooks: [rx.url], webhookSecret: SECRET, audit: false });
    try {
      for (let i = 0; i < 3; i++) {
        const m = await makeSecret(s.url);
        await post(`${s.url}/api/v1/secrets/${m.id}/consume`, { auth: m.auth });
      }
      await until(() => rx.got.length === 3);
      expect(new Set(rx.got.map((g) => g.headers['x-hush-event-id'])).size).toBe(3);
    } finally {
      await s.close();
      await rx.close();
    }
  });
});

describe('webhook configuration', () => {
  it('endpoints come only from the operator: HUSH_WEBHOOKS needs a signing secret, and the API takes no URL', async () => {
    expect(() => loadConfig({ HUSH_WEBHOOKS: 'https://hooks.example/x' })).toThrow(/HUSH_WEBHOOK_SECRET/);
    expect(() => loadConfig({ HUSH_WEBHOOKS: 'ftp://hooks.example/x', HUSH_WEBHOOK_SECRET: SECRET })).toThrow(/http\(s\) URL/);
    expect(() => loadConfig({ HUSH_WEBHOOKS: 'https://hooks.example/x', HUSH_WEBHOOK_SECRET: 'short' })).toThrow(/at least 32/);
    expect(loadConfig({ HUSH_WEBHOOKS: 'https://a.example/x, https://b.example/y', HUSH_WEBHOOK_SECRET: SECRET }).webhooks).toEqual(['https://a.example/x', 'https://b.example/y']);
    const s = await startServer();
    try {
      const res = await post(`${s.url}/api/v1/secrets`, { ciphertext: 'AAAA', verifier: 'AAAA', webhook: 'http://127.0.0.1:1/' });
      expect(res.status).toBe(400);
    } finally {
      await s.close();
    }
  });
});
