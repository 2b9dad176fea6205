// Protocol v1 (docs/protocol.md §1–5): vectors in both directions, checked by the protocol module (WebCrypto)
// and independently by node:crypto; every malformed container gives the one same error.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, pbkdf2Sync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as p from '../src/protocol/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the vector file is data; each field is checked by use
const V: any = JSON.parse(readFileSync(new URL('./vectors/v1.json', import.meta.url), 'utf8'));
const hex = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const k = hex(V.inputs.k);
const iv = hex(V.inputs.iv);
const salt = hex(V.inputs.salt);

// An implementation written from PROTOCOL.md with node:crypto only, to cross-check the module.
const node = {
  hkdf: (ikm: Uint8Array, info: string) => new Uint8Array(hkdfSync('sha256', ikm, new Uint8Array(0), info, 32)),
  sha256: (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest()),
  seal(enc: Uint8Array, ivBytes: Uint8Array, plain: Uint8Array): string {
    const c = createCipheriv('aes-256-gcm', enc, ivBytes);
    c.setAAD(Buffer.from('hush/v1'));
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([ivBytes, body, c.getAuthTag()]).toString('base64url');
  },
  open(enc: Uint8Array, b64u: string): string {
    const all = Buffer.from(b64u, 'base64url');
    const d = createDecipheriv('aes-256-gcm', enc, all.subarray(0, 12));
    d.setAAD(Buffer.from('hush/v1'));
    d.setAuthTag(all.subarray(all.length - 16));
    return Buffer.concat([d.update(all.subarray(12, all.length - 16)), d.final()]).toString('utf8');
  },
};

describe('test vectors: protocol module → vectors', () => {
  it('derives enc, auth and verifier from k (§2)', async () => {
    const keys = await p.deriveLinkKeys(k);
    expect(toHex(keys.enc)).toBe(V.keys.enc);
    expect(toHex(keys.auth)).toBe(V.keys.auth);
    expect(toHex(keys.verifier)).toBe(V.keys.verifier);
    expect(p.b64uEncode(keys.auth)).toBe(V.keys.auth_b64u);
  });

  it('derives the passphrase keys, normalising the passphrase to NFC (§2)', async () => {
    expect(V.inputs.passphrase).not.toBe(V.inputs.passphrase_nfc);
    const pk = await p.derivePassphraseKey(V.inputs.passphrase, salt, V.inputs.iterations);
    expect(toHex(pk)).toBe(V.keys.pk);
    expect(toHex(await p.derivePassphraseKey(V.inputs.passphrase_nfc, salt, V.inputs.iterations))).toBe(V.keys.pk);
    const pp = await p.derivePassphraseKeys(k, pk);
    expect(toHex(pp.enc)).toBe(V.keys.enc_passphrase);
    expect(toHex(pp.proof)).toBe(V.keys.proof);
    expect(toHex(pp.proofVerifier)).toBe(V.keys.proof_verifier);
    expect(toHex((await p.deriveStatelessPassphraseKey(pk)).enc)).toBe(V.keys.enc_stateless_passphrase);
  });

  it('encodes the envelope and seals the container with the fixed IV (§3, §4)', async () => {
    const env = p.encodeEnvelope({ message: V.inputs.message, expiresAt: V.inputs.expiresAt });
    expect(new TextDecoder().decode(env)).toBe(V.envelopes.stored);
    const keys = await p.deriveLinkKeys(k);
    expect(p.b64uEncode(await p.sealContainer(keys.encKey, env, iv))).toBe(V.containers.stored_b64u);
  });

  it('formats and parses every link kind (§5)', () => {
    expect(p.formatSecretLink(V.inputs.origin, V.inputs.id, k)).toBe(V.links.stored);
    const parsed = p.parseSecretLink(V.links.stored);
    expect(parsed.origin).toBe(V.inputs.origin);
    expect(parsed.id).toBe(V.inputs.id);
    expect(toHex(parsed.key)).toBe(V.inputs.k);
    const manage = p.parseManageLink(V.links.manage);
    expect(p.formatManageLink(manage.origin, manage.id, manage.manageToken)).toBe(V.links.manage);
    for (const name of ['stateless_key', 'stateless_passphrase'] as const) {
      const link = V.links[name] as string;
      const fragment = link.slice(link.indexOf('#') + 1);
      expect(p.formatStatelessFragment(p.parseStatelessFragment(fragment))).toBe(fragment);
    }
  });
});

describe('test vectors: vectors → independent node:crypto implementation', () => {
  it('matches every derived value', () => {
    expect(toHex(node.hkdf(k, 'hush/v1 encryption'))).toBe(V.keys.enc);
    const auth = node.hkdf(k, 'hush/v1 read-auth');
    expect(toHex(auth)).toBe(V.keys.auth);
    expect(toHex(node.sha256(auth))).toBe(V.keys.verifier);
    const pk = new Uint8Array(pbkdf2Sync(Buffer.from((V.inputs.passphrase as string).normalize('NFC'), 'utf8'), salt, V.inputs.iterations, 32, 'sha256'));
    expect(toHex(pk)).toBe(V.keys.pk);
    const ikm = new Uint8Array([...k, ...pk]);
    expect(toHex(node.hkdf(ikm, 'hush/v1 encryption+passphrase'))).toBe(V.keys.enc_passphrase);
    const proof = node.hkdf(ikm, 'hush/v1 passphrase-proof');
    expect(toHex(proof)).toBe(V.keys.proof);
    expect(toHex(node.sha256(proof))).toBe(V.keys.proof_verifier);
    expect(toHex(node.hkdf(pk, 'hush/v1 stateless-passphrase'))).toBe(V.keys.enc_stateless_passphrase);
  });

  it('seals and opens the same containers', () => {
    const plain = Buffer.from(V.envelopes.stored, 'utf8');
    expect(node.seal(hex(V.keys.enc), iv, plain)).toBe(V.containers.stored_b64u);
    expect(node.seal(hex(V.keys.enc_passphrase), iv, plain)).toBe(V.containers.stored_passphrase_b64u);
    expect(node.open(hex(V.keys.enc), V.containers.stored_b64u)).toBe(V.envelopes.stored);
    const stateless = V.links.stateless_passphrase as string;
    const container = stateless.split('.').at(-1)!;
    expect(node.open(hex(V.keys.enc_stateless_passphrase), container)).toBe(V.envelopes.stateless);
  });
});

describe('reading the vectors back with the protocol module', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('opens the stored container to the message and its sealed expiry', async () => {
    const keys = await p.readerKeys(k);
    expect(keys.auth).toBe(V.keys.auth_b64u);
    const opened = await p.openSecret(keys.encKey, V.containers.stored_b64u, now);
    expect(opened).toEqual({ message: V.inputs.message, expiresAt: V.inputs.expiresAt, files: [], raw: false });
  });

  it('opens the passphrase container with the right passphrase and server parameters', async () => {
    const keys = await p.readerKeys(k, {
      passphrase: V.inputs.passphrase_nfc,
      params: { salt: p.b64uEncode(salt), iterations: V.inputs.iterations },
    });
    expect(keys.passphraseProof).toBe(V.keys.proof_b64u);
    expect((await p.openSecret(keys.encKey, V.containers.stored_passphrase_b64u, now)).message).toBe(V.inputs.message);
  });

  it('shows a non-envelope plaintext as raw text', async () => {
    const keys = await p.deriveLinkKeys(k);
    expect(await p.openSecret(keys.encKey, V.containers.raw_b64u, now)).toEqual({ message: V.containers.raw_text, expiresAt: undefined, files: [], raw: true });
  });

  it('says clearly that a newer version made the secret', async () => {
    const keys = await p.deriveLinkKeys(k);
    await expect(p.openSecret(keys.encKey, V.containers.future_version_b64u, now)).rejects.toMatchObject({ code: 'unsupported_version' });
  });

  it('refuses an envelope whose sealed expiry has passed, and says when', async () => {
    const keys = await p.deriveLinkKeys(k);
    await expect(p.openSecret(keys.encKey, V.containers.expired_b64u, now)).rejects.toMatchObject({
      code: 'expired',
      expiredAt: V.containers.expired_at,
    });
    // The same envelope one second before its expiry opens.
    expect((await p.openSecret(keys.encKey, V.containers.expired_b64u, V.containers.expired_at * 1000 - 1000)).message).toBe('too late');
  });

  it('gives the one error decryption_failed for every malformed container', async () => {
    const keys = await p.deriveLinkKeys(k);
    expect(V.bad_containers.length).toBeGreaterThanOrEqual(10);
    for (const bad of V.bad_containers as { why: string; b64u: string }[]) {
      const err = await p.openContainer(keys.encKey, bad.b64u).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, bad.why).toBeInstanceOf(p.ProtocolError);
      expect((err as p.ProtocolError).code, bad.why).toBe('decryption_failed');
      expect((err as p.ProtocolError).message, bad.why).toBe('the secret could not be decrypted: the link is incomplete or wrong, or the data was altered');
    }
  });
});

describe('base64url (§1)', () => {
  it('round-trips any bytes and agrees with Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = p.b64uEncode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(p.b64uDecode(text)).toEqual(new Uint8Array(bytes));
      }),
    );
  });

  it('encodes large inputs (the buffered path, from 1 024 bytes) exactly as Node does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1000, maxLength: 5000 }), (bytes) => {
        expect(p.b64uEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
      { numRuns: 50 },
    );
    // Both sides of the switch between the two paths, and the largest input of the small one.
    for (const length of [1021, 1022, 1023, 1024, 1025, 1026]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
      expect(p.b64uEncode(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    }
    const big = Uint8Array.from({ length: 3 * 1024 * 1024 + 2 }, (_, i) => (i * 7919 + 13) & 0xff);
    expect(p.b64uEncode(big)).toBe(Buffer.from(big).toString('base64url'));
  });

  it('accepts only canonical input: any string either decodes to bytes that re-encode to it, or throws invalid_input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: fc.constantFrom(...'AQgw-_+/= \n\u00e9A'.split('')) }), (text) => {
        try {
          expect(p.b64uEncode(p.b64uDecode(text))).toBe(text);
        } catch (e) {
          expect(p.isProtocolError(e, 'invalid_input')).toBe(true);
        }
      }),
    );
    // padding, bad length, standard alphabet, whitespace, newline, non-zero trailing bits
    for (const bad of ['AA==', 'A', '+/8', 'AB C', 'AB\n', 'AB']) {
      expect(() => p.b64uDecode(bad), JSON.stringify(bad)).toThrow(p.ProtocolError);
    }
    expect(p.b64uDecode('AA')).toEqual(new Uint8Array([0]));
  });
});

describe('files in the envelope (§4 "f")', () => {
  const F = V.envelopes.files;
  const files = (F.files as { name: string; type: string; content: string }[]).map((f) => ({ name: f.name, type: f.type, content: hex(f.content) }));
  const now = Date.parse('2026-01-01T00:00:00Z');
  const enc = (s: string) => new TextEncoder().encode(s);

  it('encodes the vector: compact JSON header, a newline, the contents in order', () => {
    const env = p.encodeEnvelope({ message: F.message, expiresAt: V.inputs.expiresAt, files });
    expect(toHex(env)).toBe(F.plaintext);
    expect(p.envelopeSize({ message: F.message, expiresAt: V.inputs.expiresAt, files })).toBe(env.length);
  });

  it('reads the vector container back with an independent node:crypto reader', () => {
    const all = Buffer.from(V.containers.files_b64u, 'base64url');
    const d = createDecipheriv('aes-256-gcm', hex(V.keys.enc), all.subarray(0, 12));
    d.setAAD(Buffer.from('hush/v1'));
    d.setAuthTag(all.subarray(all.length - 16));
    const plain = Buffer.concat([d.update(all.subarray(12, all.length - 16)), d.final()]);
    expect(plain.toString('hex')).toBe(F.plaintext);
    const cut = plain.indexOf(0x0a);
    const head = JSON.parse(plain.subarray(0, cut).toString('utf8')) as { m: string; f: { n: string; t: string; s: number }[] };
    expect(plain.subarray(0, cut).toString('utf8')).toBe(F.header);
    let offset = cut + 1;
    head.f.forEach((entry, i) => {
      expect(entry).toEqual({ n: files[i]!.name, t: files[i]!.type, s: files[i]!.content.length });
      expect(toHex(plain.subarray(offset, offset + entry.s))).toBe(toHex(files[i]!.content));
      offset += entry.s;
    });
    expect(offset).toBe(plain.length);
    expect(node.seal(hex(V.keys.enc), iv, plain)).toBe(V.containers.files_b64u);
  });

  it('opens the vector container to the message and both files', async () => {
    const keys = await p.deriveLinkKeys(k);
    const opened = await p.openSecret(keys.encKey, V.containers.files_b64u, now);
    expect(opened.message).toBe(F.message);
    expect(opened.files.map((f) => ({ name: f.name, type: f.type, content: toHex(f.content) }))).toEqual(F.files);
  });

  it('fails closed when the file list and the bytes disagree', () => {
    const bad: [string, Uint8Array][] = [
      ['sizes add up to more than the bytes', p.concatBytes(enc('{"v":1,"m":"","f":[{"n":"a","t":"","s":3}]}\n'), Uint8Array.of(1, 2))],
      ['sizes add up to less than the bytes', p.concatBytes(enc('{"v":1,"m":"","f":[{"n":"a","t":"","s":1}]}\n'), Uint8Array.of(1, 2))],
      ['data after the header but no list', p.concatBytes(enc('{"v":1,"m":"x"}\n'), Uint8Array.of(0xff, 0))],
      ['a list but no data section', enc('{"v":1,"m":"x","f":[{"n":"a","t":"","s":1}]}')],
      ['list not an array', enc('{"v":1,"m":"x","f":{"n":"a"}}\n')],
      ['empty name', enc('{"v":1,"m":"x","f":[{"n":"","t":"","s":0}]}\n')],
      ['negative size', enc('{"v":1,"m":"x","f":[{"n":"a","t":"","s":-1}]}\n')],
      ['fractional size', enc('{"v":1,"m":"x","f":[{"n":"a","t":"","s":0.5}]}\n')],
      ['huge size', enc('{"v":1,"m":"x","f":[{"n":"a","t":"","s":1e300}]}\n')],
      ['type missing', enc('{"v":1,"m":"x","f":[{"n":"a","s":0}]}\n')],
      ['entry not an object', enc('{"v":1,"m":"x","f":["a"]}\n')],
    ];
    for (const [why, plaintext] of bad) {
      expect(() => p.decodeEnvelope(plaintext, now), why).toThrow(expect.objectContaining({ code: 'malformed_envelope' }) as Error);
    }
  });

  it('enforces the sealed expiry before handing out any file', () => {
    const env = p.encodeEnvelope({ message: '', expiresAt: 100, files });
    expect(() => p.decodeEnvelope(env, 100_000)).toThrow(expect.objectContaining({ code: 'expired', expiredAt: 100 }) as Error);
    expect(() => p.decodeEnvelope(p.encodeEnvelope({ message: '', expiresAt: 2, files }), 0)).not.toThrow();
  });

  it('says a newer version made an envelope with files', () => {
    expect(() => p.decodeEnvelope(p.concatBytes(enc('{"v":2,"m":"","f":[{"n":"a","t":"","s":1}]}\n'), Uint8Array.of(7)))).toThrow(
      expect.objectContaining({ code: 'unsupported_version' }) as Error,
    );
  });

  it('still reads a JSON envelope that another client ended with a newline, or wrote over several lines', () => {
    expect(p.decodeEnvelope(enc('{"v":1,"m":"x"}\n'))).toEqual({ message: 'x', expiresAt: undefined, files: [], raw: false });
    expect(p.decodeEnvelope(enc('{\n  "v": 1,\n  "m": "x"\n}\n'))).toEqual({ message: 'x', expiresAt: undefined, files: [], raw: false });
  });

  it('refuses a file without a name when encoding', () => {
    expect(() => p.encodeEnvelope({ message: '', files: [{ name: '', type: '', content: new Uint8Array(1) }] })).toThrow(expect.objectContaining({ code: 'invalid_input' }) as Error);
  });

  it('carries at most MAX_FILES (100) files: 100 round-trip, 101 are refused when sealing and when reading', async () => {
    expect(p.MAX_FILES).toBe(100);
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${String(i)}`, type: '', content: Uint8Array.of(i) }));
    expect(p.decodeEnvelope(p.encodeEnvelope({ message: '', files: many(100) }), 0).files).toHaveLength(100);
    const invalidInput = expect.objectContaining({ code: 'invalid_input', message: 'a secret carries at most 100 files' }) as Error;
    expect(() => p.encodeEnvelope({ message: '', files: many(101) })).toThrow(invalidInput);
    expect(() => p.envelopeSize({ message: '', files: many(101) })).toThrow(invalidInput);
    await expect(p.sealSecret({ message: '', files: many(101) })).rejects.toThrow(invalidInput);
    // Written by another client: 101 well-formed entries whose sizes match the bytes exactly.
    const list = many(101).map((f) => ({ n: f.name, t: '', s: 1 }));
    const plaintext = p.concatBytes(enc(`${JSON.stringify({ v: 1, m: '', f: list })}\n`), new Uint8Array(101));
    const malformed = expect.objectContaining({ code: 'malformed_envelope', message: 'the envelope lists more than 100 files' }) as Error;
    expect(() => p.decodeEnvelope(plaintext, 0)).toThrow(malformed);
    // Refused on the count, before any entry is looked at (these entries are not even objects).
    expect(() => p.decodeEnvelope(enc(`${JSON.stringify({ v: 1, m: '', f: Array.from({ length: 101 }, () => 0) })}\n`), 0)).toThrow(malformed);
    // And through the whole reader's path: decrypt, then decode.
    const keys = await p.deriveLinkKeys(k);
    const container = p.b64uEncode(await p.sealContainer(keys.encKey, plaintext));
    await expect(p.openSecret(keys.encKey, container, 0)).rejects.toThrow(malformed);
  });

  it('round-trips any message and files, whatever bytes and names they hold', () => {
    const file = fc.record({ name: fc.string({ minLength: 1, unit: 'binary' }), type: fc.string(), content: fc.uint8Array({ maxLength: 300 }) });
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.array(file, { maxLength: 5 }), (message, list) => {
        const env = p.encodeEnvelope({ message, files: list });
        expect(p.envelopeSize({ message, files: list })).toBe(env.length);
        const opened = p.decodeEnvelope(env, 0);
        expect(opened.message).toBe(message);
        expect(opened.raw).toBe(false);
        expect(opened.files.map((f) => ({ name: f.name, type: f.type, content: Array.from(f.content) }))).toEqual(
          list.map((f) => ({ name: f.name, type: f.type, content: Array.from(f.content) })),
        );
      }),
    );
  });
});

describe('envelope (§4)', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('treats anything that is not a versioned JSON object as raw text', () => {
    for (const text of ['hello', '[1,2]', '"str"', '42', 'null', '{"m":"no version"}', '{"v":"1","m":"string version"}', '']) {
      expect(p.decodeEnvelope(enc(text))).toEqual({ message: text, expiresAt: undefined, files: [], raw: true });
    }
    expect(p.decodeEnvelope(new Uint8Array([0xff, 0xfe, 0x41])).raw).toBe(true);
  });
  it('fails closed on a v1 envelope with wrong member types', () => {
    for (const text of ['{"v":1}', '{"v":1,"m":5}', '{"v":1,"m":"x","e":"soon"}', '{"v":1,"m":"x","e":1.5}', '{"v":0,"m":"x"}', '{"v":1.5,"m":"x"}']) {
      expect(() => p.decodeEnvelope(enc(text)), text).toThrow(expect.objectContaining({ code: 'malformed_envelope' }) as Error);
    }
  });
  it('ignores unknown members', () => {
    expect(p.decodeEnvelope(enc('{"v":1,"m":"x","zz":[1]}'))).toEqual({ message: 'x', expiresAt: undefined, files: [], raw: false });
  });
  it('round-trips any message and expiry', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.integer({ min: 2_000_000_000, max: 4_000_000_000 }), { nil: undefined }), (message, expiresAt) => {
        const opened = p.decodeEnvelope(p.encodeEnvelope({ message, ...(expiresAt === undefined ? {} : { expiresAt }) }), 0);
        expect(opened).toEqual({ message, expiresAt, files: [], raw: false });
      }),
    );
  });
});

describe('sealing and reading round trip', () => {
  it('any message survives sealSecret → readerKeys → openSecret', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), async (message) => {
        const sealed = await p.sealSecret({ message });
        const keys = await p.readerKeys(sealed.key);
        expect(p.b64uEncode(p.b64uDecode(sealed.body.verifier))).toBe(sealed.body.verifier);
        expect((await p.openSecret(keys.encKey, sealed.body.ciphertext)).message).toBe(message);
      }),
      { numRuns: 50 },
    );
  });

  it('uses a fresh key and IV every time', async () => {
    const a = await p.sealSecret({ message: 'same' });
    const b = await p.sealSecret({ message: 'same' });
    expect(a.body.ciphertext.slice(0, 16)).not.toBe(b.body.ciphertext.slice(0, 16));
    expect(p.b64uEncode(a.key)).not.toBe(p.b64uEncode(b.key));
  });
});

describe('parameters a reader refuses (the server is the adversary)', () => {
  const params = (iterations: number, saltB64u = p.b64uEncode(salt)) => ({ passphrase: 'x', params: { salt: saltB64u, iterations } });
  it('refuses too few or absurdly many iterations, and short or long salts', async () => {
    for (const bad of [params(599_999), params(10_000_001), params(1e12), params(Number.NaN), params(600_000, p.b64uEncode(salt.slice(0, 8))), params(600_000, p.b64uEncode(new Uint8Array(32))), params(600_000, 'not b64u!')]) {
      await expect(p.readerKeys(k, bad)).rejects.toMatchObject({ code: 'unsafe_parameters' });
    }
  });
  it('lets a caller lower the cap', () => {
    expect(() => p.checkPassphraseParams(salt, 2_000_000, 1_000_000)).toThrow(expect.objectContaining({ code: 'unsafe_parameters' }) as Error);
  });
});

describe('links: any input gives a parsed link or the one clean error', () => {
  it('parseSecretLink, parseManageLink, parseStatelessFragment, parseKeyFragment never throw anything else', () => {
    const parsers = [p.parseSecretLink, p.parseManageLink, p.parseStatelessFragment, p.parseKeyFragment];
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.webUrl({ withFragments: true }), fc.constantFrom(V.links.stored, V.links.manage, '1.', '1p.AA.600000.AA', '1..', '#', 'https://h/s/x#y')),
        (text) => {
          for (const parse of parsers) {
            try {
              parse(text);
            } catch (e) {
              expect(p.isProtocolError(e, 'invalid_link')).toBe(true);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
  it('accepts an origin with a path prefix and rejects other kinds of links', () => {
    const link = p.formatSecretLink('https://example.com/hush/', V.inputs.id, k);
    expect(link).toBe(`https://example.com/hush/s/${V.inputs.id}#${p.b64uEncode(k)}`);
    expect(p.parseSecretLink(link).origin).toBe('https://example.com/hush');
    expect(() => p.parseSecretLink(V.links.manage)).toThrow(p.ProtocolError);
    expect(() => p.parseSecretLink((V.links.stored as string).split('#')[0]!)).toThrow(/part after #/);
    expect(() => p.parseSecretLink(`javascript:alert(1)//s/${V.inputs.id}#x`)).toThrow(p.ProtocolError);
  });
});

describe('module boundary', () => {
  it('src/protocol imports only its own files and no platform-specific API', () => {
    const dir = new URL('../src/protocol/', import.meta.url);
    for (const file of readdirSync(dir)) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      for (const m of text.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/g)) {
        expect(m[1], `${file} imports ${m[1]!}`).toMatch(/^\.\/[a-z0-9-]+\.js$/);
      }
      expect(text, file).not.toMatch(/\b(document|window|process|Buffer|require|fetch)\s*[.(]/);
    }
  });
});

describe('stateless links (§5)', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const fragmentOf = (link: string): string => link.slice(link.indexOf('#') + 1);

  it('opens both vector links: keyed, and keyed by a passphrase alone', async () => {
    expect((await p.openStatelessFragment(fragmentOf(V.links.stateless_key as string), { nowMs: now })).message).toBe('stateless hello');
    const pp = fragmentOf(V.links.stateless_passphrase as string);
    expect(p.parseStatelessFragment(pp)).toMatchObject({ kind: 'passphrase', salt, iterations: 600_000 });
    expect((await p.openStatelessFragment(pp, { passphrase: V.inputs.passphrase_nfc as string, nowMs: now })).message).toBe('stateless hello');
    await expect(p.openStatelessFragment(pp, { passphrase: 'wrong', nowMs: now })).rejects.toMatchObject({ code: 'decryption_failed' });
    await expect(p.openStatelessFragment(fragmentOf(V.links.stateless_key as string), { nowMs: Date.parse('2031-01-01T00:00:00Z') })).rejects.toMatchObject({ code: 'expired', expiredAt: 1893456000 });
  });

  it('round-trips through sealStatelessLink, and refuses links over the stated limit', async () => {
    const link = await p.sealStatelessLink('https://hush.example/', { message: 'hi there', expiresAt: 1893456000 });
    expect(link).toMatch(/^https:\/\/hush\.example\/l#1\.[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]+$/);
    expect((await p.openStatelessFragment(fragmentOf(link), { nowMs: now })).message).toBe('hi there');
    const withPp = await p.sealStatelessLink('https://hush.example', { message: 'pp', expiresAt: 1893456000, passphrase: 'pw', iterations: 600_000 });
    expect(withPp).toContain('/l#1p.');
    expect((await p.openStatelessFragment(fragmentOf(withPp), { passphrase: 'pw', nowMs: now })).message).toBe('pp');
    await expect(p.sealStatelessLink('https://hush.example', { message: 'x'.repeat(2000), expiresAt: 1893456000 })).rejects.toThrow(/more than the 2000/);
  });

  it('any fragment gives success or one clean protocol error, never a crash', async () => {
    const codes = new Set(['invalid_link', 'decryption_failed', 'unsafe_parameters', 'invalid_input', 'expired', 'malformed_envelope', 'unsupported_version']);
    const vectorFragment = fragmentOf(V.links.stateless_key as string);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.tuple(fc.constantFrom('1', '1p', '2', ''), fc.array(fc.string({ unit: fc.constantFrom(...'AQgw-_9.'.split('')), maxLength: 60 }), { maxLength: 4 })).map(([h, parts]) => [h, ...parts].join('.')),
          fc.nat({ max: vectorFragment.length }).map((i) => vectorFragment.slice(0, i)),
          fc.nat({ max: vectorFragment.length - 1 }).map((i) => vectorFragment.slice(0, i) + (vectorFragment[i] === 'A' ? 'B' : 'A') + vectorFragment.slice(i + 1)),
        ),
        async (fragment) => {
          try {
            await p.openStatelessFragment(fragment, { passphrase: 'x', nowMs: now, maxIterations: 600_000 });
          } catch (e) {
            expect(e).toBeInstanceOf(p.ProtocolError);
            expect(codes.has((e as p.ProtocolError).code)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
