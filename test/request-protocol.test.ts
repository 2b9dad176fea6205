// Requests (docs/protocol.md §7): the vectors in both directions — with the protocol module
// (WebCrypto) and with an independent re-implementation over node:crypto — the fingerprint check
// that catches a swapped key or note, and every malformed response giving one clean error.
import { createCipheriv, createDecipheriv, createECDH, createHash, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as p from '../src/protocol/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the vector file is data; each field is checked by use
const V: any = JSON.parse(readFileSync(new URL('./vectors/v1.json', import.meta.url), 'utf8'));
const R = V.request;
const hex = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const now = Date.parse('2026-01-01T00:00:00Z');
const DECRYPTION_FAILED = 'the response could not be decrypted: it was made for another key, or the data was altered';

/** node:crypto only, written from docs/protocol.md §7. */
const node = {
  ecdh(jwk: { d: string }): ReturnType<typeof createECDH> {
    const e = createECDH('prime256v1');
    e.setPrivateKey(Buffer.from(jwk.d, 'base64url'));
    return e;
  },
  enc(shared: Uint8Array, ePub: Uint8Array, rPub: Uint8Array): Uint8Array {
    return new Uint8Array(hkdfSync('sha256', Buffer.concat([shared, ePub, rPub]), new Uint8Array(0), 'hush/v1 request-response', 32));
  },
  seal(enc: Uint8Array, iv: Uint8Array, plain: Uint8Array): Buffer {
    const c = createCipheriv('aes-256-gcm', enc, iv);
    c.setAAD(Buffer.from('hush/v1'));
    return Buffer.concat([iv, c.update(plain), c.final(), c.getAuthTag()]);
  },
  open(enc: Uint8Array, container: Buffer): string {
    const d = createDecipheriv('aes-256-gcm', enc, container.subarray(0, 12));
    d.setAAD(Buffer.from('hush/v1'));
    d.setAuthTag(container.subarray(container.length - 16));
    return Buffer.concat([d.update(container.subarray(12, container.length - 16)), d.final()]).toString('utf8');
  },
};

describe('request vectors: protocol module → vectors', () => {
  it('imports the fixed keys, and computes the fingerprint and the link', async () => {
    const requester = await p.importRequesterKeys(R.inputs.requester_jwk);
    expect(toHex(requester.publicKey)).toBe(R.requester_public);
    expect(toHex((await p.importRequesterKeys(R.inputs.ephemeral_jwk)).publicKey)).toBe(R.ephemeral_public);
    const fingerprint = await p.requestFingerprint(requester.publicKey, R.inputs.note);
    expect(toHex(fingerprint)).toBe(R.fingerprint);
    expect(p.b64uEncode(await p.requestFingerprint(requester.publicKey, ''))).toBe(R.fingerprint_without_note_b64u);
    expect(p.formatRequestLink(R.inputs.origin, R.inputs.id, fingerprint)).toBe(R.link);
    const parsed = p.parseRequestLink(R.link);
    expect(parsed).toEqual({ origin: R.inputs.origin, id: R.inputs.id, fingerprint });
  });

  it('derives the shared secret and the response key, and seals the vector response', async () => {
    const requester = await p.importRequesterKeys(R.inputs.requester_jwk);
    const ephemeral = await p.importRequesterKeys(R.inputs.ephemeral_jwk);
    const key = await p.deriveResponseKey(ephemeral.privateKey, await p.importPublicKey(requester.publicKey), ephemeral.publicKey, requester.publicKey);
    expect(toHex(key.shared)).toBe(R.shared);
    expect(toHex(key.enc)).toBe(R.enc);
    // The requester's side derives the same key.
    const mirror = await p.deriveResponseKey(requester.privateKey, await p.importPublicKey(ephemeral.publicKey), ephemeral.publicKey, requester.publicKey);
    expect(toHex(mirror.enc)).toBe(R.enc);
    expect(new TextDecoder().decode(p.encodeEnvelope({ message: R.inputs.message, expiresAt: R.inputs.expiresAt }))).toBe(R.envelope);
    const sealed = await p.sealResponse(requester.publicKey, { message: R.inputs.message, expiresAt: R.inputs.expiresAt }, { ephemeral, iv: hex(R.inputs.iv) });
    expect(sealed).toBe(R.response_b64u);
  });

  it('opens the vector response with the requester key pair', async () => {
    const requester = await p.importRequesterKeys(R.inputs.requester_jwk);
    expect(await p.openResponse(requester, R.response_b64u, now)).toEqual({ message: R.inputs.message, expiresAt: R.inputs.expiresAt, files: [], raw: false });
    await expect(p.openResponse(requester, R.response_b64u, (R.inputs.expiresAt as number) * 1000)).rejects.toMatchObject({ code: 'expired' });
  });
});

describe('request vectors: vectors → independent node:crypto implementation', () => {
  it('computes the same public keys, fingerprint, shared secret and response key', () => {
    const r = node.ecdh(R.inputs.requester_jwk);
    const e = node.ecdh(R.inputs.ephemeral_jwk);
    expect(r.getPublicKey('hex')).toBe(R.requester_public);
    expect(e.getPublicKey('hex')).toBe(R.ephemeral_public);
    const fp = createHash('sha256').update(r.getPublicKey()).update(Buffer.from(R.inputs.note as string, 'utf8')).digest().subarray(0, 16);
    expect(fp.toString('base64url')).toBe(R.fingerprint_b64u);
    const shared = e.computeSecret(r.getPublicKey());
    expect(shared.toString('hex')).toBe(R.shared);
    expect(r.computeSecret(e.getPublicKey()).toString('hex')).toBe(R.shared);
    expect(toHex(node.enc(shared, e.getPublicKey(), r.getPublicKey()))).toBe(R.enc);
  });

  it('seals the same response and opens it', () => {
    const r = node.ecdh(R.inputs.requester_jwk);
    const e = node.ecdh(R.inputs.ephemeral_jwk);
    const enc = node.enc(e.computeSecret(r.getPublicKey()), e.getPublicKey(), r.getPublicKey());
    const response = Buffer.concat([e.getPublicKey(), node.seal(enc, hex(R.inputs.iv), Buffer.from(R.envelope, 'utf8'))]);
    expect(response.toString('base64url')).toBe(R.response_b64u);
    // Opening as the requester: the ephemeral key comes from the response.
    const got = Buffer.from(R.response_b64u as string, 'base64url');
    const ePub = got.subarray(0, 65);
    const enc2 = node.enc(r.computeSecret(ePub), ePub, r.getPublicKey());
    expect(node.open(enc2, got.subarray(65))).toBe(R.envelope);
  });

  it('a response sealed by node:crypto to a fresh key opens with the protocol module', async () => {
    const requester = await p.generateRequesterKeys({ extractable: false });
    const e = createECDH('prime256v1');
    e.generateKeys();
    const enc = node.enc(e.computeSecret(requester.publicKey), e.getPublicKey(), requester.publicKey);
    const response = Buffer.concat([e.getPublicKey(), node.seal(enc, new Uint8Array(12).fill(7), Buffer.from('{"v":1,"m":"from node"}'))]);
    expect((await p.openResponse(requester, response.toString('base64url'))).message).toBe('from node');
  });
});

describe('a response opens only with its own key pair', () => {
  it('another key pair gets decryption_failed, the one clean error', async () => {
    const other = await p.importRequesterKeys(R.inputs.other_jwk);
    await expect(p.openResponse(other, R.response_b64u, now)).rejects.toMatchObject({ code: 'decryption_failed', message: DECRYPTION_FAILED });
    // The right private key with another public key mixed into the HKDF fails too.
    const requester = await p.importRequesterKeys(R.inputs.requester_jwk);
    await expect(p.openResponse({ privateKey: requester.privateKey, publicKey: other.publicKey }, R.response_b64u, now)).rejects.toMatchObject({
      code: 'decryption_failed',
    });
    const fresh = await p.generateRequesterKeys({ extractable: false });
    const sealed = await p.sealResponse(fresh.publicKey, { message: 'only for fresh' });
    await expect(p.openResponse(requester, sealed)).rejects.toMatchObject({ code: 'decryption_failed' });
    expect((await p.openResponse(fresh, sealed)).message).toBe('only for fresh');
  });

  it('every malformed response in the vectors gives decryption_failed with the same message', async () => {
    const requester = await p.importRequesterKeys(R.inputs.requester_jwk);
    expect(R.bad_responses.length).toBeGreaterThanOrEqual(10);
    for (const bad of R.bad_responses as { why: string; b64u: string }[]) {
      const err = await p.openResponse(requester, bad.b64u, now).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, bad.why).toBeInstanceOf(p.ProtocolError);
      expect((err as p.ProtocolError).code, bad.why).toBe('decryption_failed');
      expect((err as p.ProtocolError).message, bad.why).toBe(DECRYPTION_FAILED);
    }
  });

  it('any response string gives success or one clean protocol error, never a crash', async () => {
    const requester = await p.importRequesterKeys(R.inputs.requester_jwk);
    const good = R.response_b64u as string;
    const codes = new Set(['decryption_failed', 'expired', 'malformed_envelope', 'unsupported_version']);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 200 }).map((b) => p.b64uEncode(b)),
          fc.uint8Array({ minLength: 64, maxLength: 64 }).map((b) => p.b64uEncode(new Uint8Array([4, ...b, ...p.b64uDecode(good).slice(65)]))),
          fc.nat({ max: good.length }).map((i) => good.slice(0, i)),
          fc.nat({ max: good.length - 1 }).map((i) => good.slice(0, i) + (good[i] === 'A' ? 'B' : 'A') + good.slice(i + 1)),
        ),
        async (response) => {
          try {
            await p.openResponse(requester, response, now);
          } catch (e) {
            expect(e).toBeInstanceOf(p.ProtocolError);
            expect(codes.has((e as p.ProtocolError).code), (e as p.ProtocolError).code).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any message survives generate → seal → open, with a fresh ephemeral key and IV each time', async () => {
    const keys = await p.generateRequesterKeys({ extractable: true });
    const restored = await p.importRequesterKeys(await p.exportRequesterKeys(keys));
    expect(toHex(restored.publicKey)).toBe(toHex(keys.publicKey));
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (message) => {
        const a = await p.sealResponse(keys.publicKey, { message });
        const b = await p.sealResponse(keys.publicKey, { message });
        expect(a.slice(0, 100)).not.toBe(b.slice(0, 100));
        expect((await p.openResponse(restored, a)).message).toBe(message);
      }),
      { numRuns: 30 },
    );
  });
});

describe('the fingerprint catches a swapped key or note (the server is the adversary)', () => {
  it('accepts the key and note that match the link', async () => {
    const { fingerprint } = p.parseRequestLink(R.link);
    expect(toHex(await p.checkRequestKey(fingerprint, R.requester_public_b64u, R.inputs.note))).toBe(R.requester_public);
  });

  it('refuses another public key, an altered note, a damaged key, with key_mismatch', async () => {
    const { fingerprint } = p.parseRequestLink(R.link);
    const other = await p.importRequesterKeys(R.inputs.other_jwk);
    const cases: [string, string, string][] = [
      ['another public key', p.b64uEncode(other.publicKey), R.inputs.note],
      ['the note altered', R.requester_public_b64u, `${R.inputs.note as string}!`],
      ['the note dropped', R.requester_public_b64u, ''],
      ['not base64url', '%%%', R.inputs.note],
      ['truncated key', (R.requester_public_b64u as string).slice(0, 40), R.inputs.note],
    ];
    for (const [why, key, note] of cases) {
      await expect(p.checkRequestKey(fingerprint, key, note), why).rejects.toMatchObject({ code: 'key_mismatch' });
    }
  });

  it('refuses keys that are not uncompressed points on P-256', async () => {
    const offCurve = new Uint8Array(65);
    offCurve[0] = 4;
    offCurve[32] = 1;
    offCurve[64] = 1;
    for (const raw of [offCurve, new Uint8Array(65), hex(R.requester_public).slice(0, 33), new Uint8Array([3, ...hex(R.requester_public).slice(1, 33)])]) {
      await expect(p.importPublicKey(raw)).rejects.toMatchObject({ code: 'invalid_input' });
      // Even with a matching fingerprint, such a key is refused.
      const fp = await p.requestFingerprint(raw, '');
      await expect(p.checkRequestKey(fp, p.b64uEncode(raw), '')).rejects.toMatchObject({ code: 'invalid_input' });
      await expect(p.sealResponse(raw, { message: 'x' })).rejects.toMatchObject({ code: 'invalid_input' });
    }
  });

  it('request links: any input gives a parsed link or invalid_link', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl({ withFragments: true }), fc.constantFrom(R.link, `${R.link as string}A`, 'https://h/r/x#y', (R.link as string).replace('/r/', '/s/'))), (text) => {
        try {
          const parsed = p.parseRequestLink(text);
          expect(parsed.fingerprint).toHaveLength(16);
        } catch (e) {
          expect(p.isProtocolError(e, 'invalid_link')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
    expect(p.parseRequestLink(p.formatRequestLink('https://example.com/hush/', R.inputs.id, hex(R.fingerprint))).origin).toBe('https://example.com/hush');
  });

  it('refuses key files that are not P-256 private keys', async () => {
    for (const jwk of [{}, { ...R.inputs.requester_jwk, crv: 'P-384' }, { ...R.inputs.requester_jwk, x: 'AA' }, { ...R.inputs.requester_jwk, d: 'not base64!' }]) {
      await expect(p.importRequesterKeys(jwk as JsonWebKey)).rejects.toMatchObject({ code: 'invalid_input' });
    }
  });
});
