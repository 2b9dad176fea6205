// Signed receipts (docs/protocol.md §10): the canonical JSON, the vector, signing with the
// server's ReceiptSigner and verifying both with our protocol module (WebCrypto) and with an
// independent verifier written here against node:crypto from the steps the document lists; every
// single changed byte of a receipt failing both; the key kept beside a SQLite file; and the real
// `hush receipt verify` offline (--key) and against a server's well-known document (--server).
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify as nodeVerify } from 'node:crypto';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  canonicalJson,
  decodeReceiptText,
  findReceiptKey,
  keyIdOf,
  parseReceiptFile,
  receiptIdHash,
  ReceiptError,
  verifyReceipt,
  type ReceiptFile,
  type ReceiptKeySet,
  type ReceiptPayload,
  type ReceiptSource,
} from '../src/protocol/receipt.js';
import { parseReceiptKey, parseRetiredKeys, ReceiptSigner } from '../src/server/receipts.js';
import { hush } from './helpers/cli.js';
import { tempDir } from './helpers/server.js';

interface Vector {
  seed_hex: string;
  retired_seed_hex: string;
  public_key_hex: string;
  public_key_b64u: string;
  public_key_sha256_hex: string;
  kid: string;
  id: string;
  id_hash_b64u: string;
  ciphertext_hash_b64u: string;
  history: Omit<ReceiptSource, 'ciphertextHash'>;
  issuer: string;
  issued_at_ms: number;
  payload: ReceiptPayload;
  payload_text: string;
  payload_utf8_bytes: number;
  signature_b64u: string;
  signature_hex: string;
  file_text: string;
  well_known: ReceiptKeySet;
  canonical_json: { input_text: string; canonical: string }[];
  canonical_json_refuses: string[];
}
const V = JSON.parse(readFileSync(new URL('./vectors/receipt-v1.json', import.meta.url), 'utf8')) as Vector;
const V1 = JSON.parse(readFileSync(new URL('./vectors/v1.json', import.meta.url), 'utf8')) as { containers: { stored_b64u: string } };
const hex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));

const dirs: string[] = [];
const dir = (): string => {
  const d = tempDir('hush-receipts-');
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The vector's history, with the ciphertext hash the vector names (SHA-256 of v1.json's stored container). */
const vectorHistory = (): ReceiptSource => ({
  ...V.history,
  ciphertextHash: createHash('sha256').update(Buffer.from(V1.containers.stored_b64u, 'base64url')).digest(),
});

// An independent verifier: docs/protocol.md §10 "Verifying", step by step, with node:crypto only.
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const b64uCanonical = (s: string, bytes: number): Buffer | null => {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) return null;
  const b = Buffer.from(s, 'base64url');
  return b.length === bytes && b.toString('base64url') === s ? b : null;
};
function independentVerify(fileBytes: Uint8Array, publicKeyRaw: Uint8Array): boolean {
  let text: string;
  let file: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(fileBytes); // 1. UTF-8 JSON object…
    file = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof file !== 'object' || file === null || Array.isArray(file)) return false;
  const f = file as Record<string, unknown>;
  if (Object.keys(f).sort().join() !== 'kid,receipt,signature') return false; // …with exactly these members, strings
  if (typeof f.receipt !== 'string' || typeof f.signature !== 'string' || typeof f.kid !== 'string') return false;
  const signature = b64uCanonical(f.signature, 64); // 2. canonical base64url of 64 bytes
  if (signature === null) return false;
  const kid = `ed25519:${createHash('sha256').update(publicKeyRaw).digest().subarray(0, 16).toString('base64url')}`;
  if (kid !== f.kid) return false; // 3. the key is the one named
  const key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, publicKeyRaw]), format: 'der', type: 'spki' });
  if (!nodeVerify(null, Buffer.from(f.receipt, 'utf8'), key, signature)) return false; // 4. Ed25519 over UTF-8(receipt)
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(f.receipt) as Record<string, unknown>; // 5. a v1 receipt naming the same key
  } catch {
    return false;
  }
  return payload.v === 1 && payload.type === 'hush.receipt' && payload.kid === f.kid;
}

/** Our verifier, as the CLI runs it: strict UTF-8, JSON, then verifyReceipt. */
async function ours(fileBytes: Uint8Array, publicKeyRaw: Uint8Array): Promise<ReceiptPayload> {
  let file: unknown;
  try {
    file = JSON.parse(decodeReceiptText(fileBytes));
  } catch (e) {
    throw e instanceof ReceiptError ? e : new ReceiptError('malformed_receipt', 'not JSON');
  }
  return verifyReceipt(file, publicKeyRaw);
}
const codeOf = async (p: Promise<unknown>): Promise<string> =>
  p.then(
    () => 'verified',
    (e: unknown) => (e instanceof ReceiptError ? e.code : `not a ReceiptError: ${String(e)}`),
  );

describe('canonical JSON', () => {
  it('gives the vector cases, and refuses what it cannot write', () => {
    for (const c of V.canonical_json) expect(canonicalJson(JSON.parse(c.input_text)), c.input_text).toBe(c.canonical);
    for (const t of V.canonical_json_refuses) expect(() => canonicalJson(JSON.parse(t)), t).toThrow(/whole numbers/);
    const refused: unknown[] = [undefined, NaN, Infinity, 0.5, 2 ** 53, 10n, () => 1, Symbol('s'), new Date(0), new Uint8Array(2), new Map(), { a: undefined }, [undefined]];
    refused.forEach((bad, i) => {
      expect(() => canonicalJson(bad), `value #${String(i)}`).toThrow();
    });
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(() => canonicalJson(deep)).toThrow(/too deeply/);
  });

  it('is deterministic: the same value in any member order gives the same text, which parses back to it', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.maxSafeInteger(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), { maxKeys: 5 }),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(value);
        const reversed = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
        ) as unknown;
        expect(canonicalJson(reversed)).toBe(text);
        expect(text).not.toMatch(/^\s|\s$|[:,]\s/);
      }),
      { numRuns: 300 },
    );
  });

  it('the server signs the same bytes for the same history every time', async () => {
    const signer = await ReceiptSigner.fromSeed(hex(V.seed_hex));
    const input = { id: V.id, history: vectorHistory(), issuer: V.issuer, issuedAt: V.issued_at_ms };
    const texts = new Set<string>();
    for (let i = 0; i < 5; i++) texts.add((await signer.issue({ ...input, history: { ...input.history, events: [...input.history.events] } })).text);
    expect([...texts]).toEqual([V.file_text]);
  });
});

describe('the vector (test/vectors/receipt-v1.json, docs/protocol.md §10)', () => {
  it('seed → public key (RFC 8032 TEST 1) → kid → payload → signature → file, in both directions', async () => {
    const signer = await ReceiptSigner.fromSeed(hex(V.seed_hex), [await publicKeyOf(V.retired_seed_hex)]);
    expect(Buffer.from(signer.publicKeyRaw).toString('hex')).toBe(V.public_key_hex);
    expect(V.public_key_hex).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'); // RFC 8032 §7.1, TEST 1
    expect(Buffer.from(signer.publicKeyRaw).toString('base64url')).toBe(V.public_key_b64u);
    expect(createHash('sha256').update(signer.publicKeyRaw).digest('hex')).toBe(V.public_key_sha256_hex);
    expect(signer.kid).toBe(V.kid);
    expect(await keyIdOf(hex(V.public_key_hex))).toBe(`ed25519:${Buffer.from(V.public_key_sha256_hex, 'hex').subarray(0, 16).toString('base64url')}`);
    expect(await receiptIdHash(V.id)).toBe(V.id_hash_b64u);
    expect(createHash('sha256').update(V.id, 'utf8').digest('base64url')).toBe(V.id_hash_b64u);

    const { file, text } = await signer.issue({ id: V.id, history: vectorHistory(), issuer: V.issuer, issuedAt: V.issued_at_ms });
    expect(file.receipt).toBe(V.payload_text);
    expect(canonicalJson(V.payload)).toBe(V.payload_text);
    expect(Buffer.byteLength(V.payload_text, 'utf8')).toBe(V.payload_utf8_bytes);
    expect(file.signature).toBe(V.signature_b64u);
    expect(Buffer.from(V.signature_b64u, 'base64url').toString('hex')).toBe(V.signature_hex);
    expect(text).toBe(V.file_text);
    expect(signer.wellKnown()).toEqual(V.well_known);

    expect(await ours(Buffer.from(V.file_text), hex(V.public_key_hex))).toEqual(V.payload);
    expect(independentVerify(Buffer.from(V.file_text), hex(V.public_key_hex))).toBe(true);
    // And with node:crypto's own sign from the PKCS#8 seed, the very same signature (Ed25519 is deterministic).
    const { createPrivateKey, sign } = await import('node:crypto');
    const key = createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(V.seed_hex, 'hex')]), format: 'der', type: 'pkcs8' });
    expect(sign(null, Buffer.from(V.payload_text, 'utf8'), key).toString('base64url')).toBe(V.signature_b64u);
  });
});

describe('docs/protocol.md §10 and other Ed25519 implementations', () => {
  it('the section shows the vector as it is: key, kid, hashes, the payload (its lines joined) and the signature', () => {
    const doc = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## 10. Receipts'));
    expect(section.length).toBeGreaterThan(1000);
    for (const value of [V.seed_hex, V.public_key_hex, V.public_key_b64u, V.public_key_sha256_hex, V.kid, V.id, V.id_hash_b64u, V.ciphertext_hash_b64u, V.signature_b64u, V.well_known.keys[1]!.kid]) {
      expect(section, value).toContain(value);
    }
    const blocks = [...section.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
    expect(blocks.map((b) => b.replaceAll('\n', ''))).toContain(V.payload_text);
    expect(section).toContain(`${String(V.payload_utf8_bytes)} bytes of UTF-8`);
  });

  it('OpenSSL verifies the vector with the recipe of the section, and refuses a changed payload', async () => {
    const { spawnSync } = await import('node:child_process');
    if (spawnSync('openssl', ['version']).status !== 0) return; // no openssl here: nothing to compare with
    const d = dir();
    const file = JSON.parse(V.file_text) as ReceiptFile;
    writeFileSync(join(d, 'payload.txt'), file.receipt);
    writeFileSync(join(d, 'changed.txt'), file.receipt.replace('"read"', '"reed"'));
    writeFileSync(join(d, 'sig.bin'), Buffer.from(file.signature, 'base64url'));
    writeFileSync(join(d, 'pub.der'), Buffer.concat([SPKI_ED25519_PREFIX, Buffer.from(V.public_key_b64u, 'base64url')]));
    const run = (input: string): ReturnType<typeof spawnSync> =>
      spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-keyform', 'DER', '-inkey', 'pub.der', '-rawin', '-in', input, '-sigfile', 'sig.bin'], { cwd: d, encoding: 'utf8' });
    const ok = run('payload.txt');
    expect(ok.status, String(ok.stderr)).toBe(0);
    expect(ok.stdout).toContain('Signature Verified Successfully');
    expect(run('changed.txt').status).not.toBe(0);
  });
});

async function publicKeyOf(seedHex: string): Promise<Uint8Array> {
  return (await ReceiptSigner.fromSeed(hex(seedHex))).publicKeyRaw;
}

describe('sign, verify, and every changed byte', () => {
  it('a receipt from a fresh key verifies with verifyReceipt and with the independent node:crypto verifier', async () => {
    const signer = await ReceiptSigner.fromSeed(randomBytes(32));
    const history: ReceiptSource = { ...vectorHistory(), state: 'pending', endedAt: null, events: [{ type: 'created', at: V.history.createdAt, client: 'browser' }], dropped: 3 };
    const { text } = await signer.issue({ id: 'AAAAAAAAAAAAAAAAAAAAAA', history, issuer: null, issuedAt: Date.now() });
    const payload = await ours(Buffer.from(text), signer.publicKeyRaw);
    expect(payload.secret).toMatchObject({ state: 'pending', endedAt: null, dropped: 3 });
    expect(payload.issuer).toBeNull();
    expect(independentVerify(Buffer.from(text), signer.publicKeyRaw)).toBe(true);
    // Another key: both refuse.
    const other = await ReceiptSigner.fromSeed(randomBytes(32));
    expect(await codeOf(ours(Buffer.from(text), other.publicKeyRaw))).toBe('unknown_key');
    expect(independentVerify(Buffer.from(text), other.publicKeyRaw)).toBe(false);
  });

  it('changing any single byte of the vector file fails both verifiers (every position, two changes each, and a random byte at 200)', async () => {
    const bytes = Buffer.from(V.file_text, 'utf8');
    const pub = hex(V.public_key_hex);
    const codes = new Map<string, number>();
    let tried = 0;
    const check = async (changed: Buffer): Promise<void> => {
      tried++;
      const code = await codeOf(ours(changed, pub));
      codes.set(code, (codes.get(code) ?? 0) + 1);
      expect(code, `byte changed at ${String(tried)}`).not.toBe('verified');
      expect(independentVerify(changed, pub)).toBe(false);
    };
    for (let i = 0; i < bytes.length; i++) {
      for (const mask of [0x01, 0x20]) {
        const changed = Buffer.from(bytes);
        changed[i]! ^= mask;
        await check(changed);
      }
    }
    for (let n = 0; n < 200; n++) {
      const changed = Buffer.from(bytes);
      const i = Math.floor(Math.random() * bytes.length);
      changed[i] = (changed[i]! + 1 + Math.floor(Math.random() * 255)) % 256;
      await check(changed);
    }
    console.log(`receipt tamper test: ${String(tried)} single-byte changes of a ${String(bytes.length)}-byte receipt, all refused by both verifiers: ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(codes.get('bad_signature')).toBeGreaterThan(bytes.length); // most changes are in the signed payload
    expect([...codes.keys()].every((c) => ['bad_signature', 'malformed_receipt', 'unknown_key'].includes(c))).toBe(true);
  });

  it('a signature spelled with other trailing bits decodes to the same bytes in lenient decoders, and still fails', async () => {
    const file = JSON.parse(V.file_text) as ReceiptFile;
    const last = file.signature.at(-1)!;
    const sibling = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').find((c) => c !== last && Buffer.from(file.signature.slice(0, -1) + c, 'base64url').equals(Buffer.from(file.signature, 'base64url')))!;
    expect(sibling).toBeDefined();
    const respelled = Buffer.from(JSON.stringify({ ...file, signature: file.signature.slice(0, -1) + sibling }));
    expect(await codeOf(ours(respelled, hex(V.public_key_hex)))).toBe('malformed_receipt');
    expect(independentVerify(respelled, hex(V.public_key_hex))).toBe(false);
  });

  it('each kind of damage has its code', async () => {
    const file = JSON.parse(V.file_text) as ReceiptFile;
    const pub = hex(V.public_key_hex);
    const signer = await ReceiptSigner.fromSeed(hex(V.seed_hex));
    const verifyObj = (f: unknown, key = pub): Promise<string> => codeOf(verifyReceipt(f, key));
    expect(await verifyObj(file)).toBe('verified');
    expect(await verifyObj({ ...file, receipt: file.receipt.replace('"consumed"', '"pending"') })).toBe('bad_signature');
    expect(await verifyObj({ ...file, signature: signer.sign(`${file.receipt} `) })).toBe('bad_signature');
    expect(await verifyObj({ ...file, kid: 'ed25519:AAAAAAAAAAAAAAAAAAAAAA' })).toBe('unknown_key');
    expect(await verifyObj(file, await publicKeyOf(V.retired_seed_hex))).toBe('unknown_key');
    expect(await verifyObj({ ...file, extra: 1 })).toBe('malformed_receipt');
    expect(await verifyObj({ receipt: file.receipt, signature: file.signature })).toBe('malformed_receipt');
    expect(await verifyObj([file])).toBe('malformed_receipt');
    expect(await verifyObj(null)).toBe('malformed_receipt');
    expect(await verifyObj({ ...file, signature: file.signature.slice(0, -2) })).toBe('malformed_receipt');
    expect(await verifyObj({ ...file, signature: `${file.signature.slice(0, -1)}=` })).toBe('malformed_receipt');
    expect(await verifyObj(file, pub.subarray(0, 31))).toBe('unknown_key');
    // Signed correctly but not a receipt we read: a server bug, not an attacker; still refused.
    const signed = (receipt: string): ReceiptFile => signer.file(receipt);
    const payload = JSON.parse(file.receipt) as Record<string, unknown>;
    expect(await verifyObj(signed(JSON.stringify(payload, null, 1)))).toBe('malformed_receipt'); // not canonical
    expect(await verifyObj(signed(canonicalJson({ ...payload, v: 2 })))).toBe('malformed_receipt');
    expect(await verifyObj(signed(canonicalJson({ ...payload, kid: 'ed25519:AAAAAAAAAAAAAAAAAAAAAA' })))).toBe('malformed_receipt');
    expect(await verifyObj(signed(canonicalJson({ ...payload, issuedAt: '2030-01-01' })))).toBe('malformed_receipt');
    expect(await verifyObj(signed('not json'))).toBe('malformed_receipt');
    expect(await verifyObj(signed(canonicalJson({ ...payload, future: 'ignored' })))).toBe('verified'); // unknown members are fine
    expect(() => decodeReceiptText(Uint8Array.of(0x7b, 0xff, 0x7d))).toThrow(ReceiptError);
    expect(parseReceiptFile(file)).toEqual(file);
  });
});

describe('keys: the well-known document, rotation, where the key lives', () => {
  it('findReceiptKey picks current and retired keys by kid and refuses a key filed under another id', async () => {
    const doc = V.well_known;
    expect(await findReceiptKey(doc, V.kid)).toEqual({ publicKey: hex(V.public_key_hex), status: 'current' });
    const retired = await findReceiptKey(doc, doc.keys[1]!.kid);
    expect(retired.status).toBe('retired');
    expect(Buffer.from(retired.publicKey)).toEqual(Buffer.from(await publicKeyOf(V.retired_seed_hex)));
    expect(await codeOf(findReceiptKey(doc, 'ed25519:AAAAAAAAAAAAAAAAAAAAAA'))).toBe('unknown_key');
    const swapped = { keys: [{ ...doc.keys[0]!, publicKey: doc.keys[1]!.publicKey }] };
    expect(await codeOf(findReceiptKey(swapped, V.kid))).toBe('unknown_key');
    expect(await codeOf(findReceiptKey({ keys: [{ ...doc.keys[0]!, alg: 'RS256' }] }, V.kid))).toBe('malformed_receipt');
    expect(await codeOf(findReceiptKey({}, V.kid))).toBe('malformed_receipt');
    expect(await codeOf(findReceiptKey('nope', V.kid))).toBe('malformed_receipt');
  });

  it('a rotated server still verifies what its retired key signed', async () => {
    const old = await ReceiptSigner.fromSeed(randomBytes(32));
    const signed = await old.issue({ id: V.id, history: vectorHistory(), issuer: null, issuedAt: Date.now() });
    const rotated = await ReceiptSigner.fromSeed(randomBytes(32), [old.publicKeyRaw, old.publicKeyRaw]);
    const doc = rotated.wellKnown();
    expect(doc.keys.map((k) => k.status)).toEqual(['current', 'retired']);
    const found = await findReceiptKey(doc, signed.file.kid);
    expect(found.status).toBe('retired');
    expect((await verifyReceipt(signed.file, found.publicKey)).kid).toBe(old.kid);
    // The current key is never listed as retired too.
    const same = await ReceiptSigner.fromSeed(hex(V.seed_hex), [hex(V.public_key_hex)]);
    expect(same.wellKnown().keys).toHaveLength(1);
  });

  it('the settings: HUSH_RECEIPT_KEY as 32 bytes of base64url, retired keys as a comma list', () => {
    const seed = randomBytes(32).toString('base64url');
    expect(parseReceiptKey(` ${seed} `)).toBe(seed);
    expect(parseReceiptKey('')).toBe('');
    expect(() => parseReceiptKey(randomBytes(31).toString('base64url'))).toThrow(/32 bytes/);
    expect(() => parseReceiptKey(randomBytes(32).toString('base64'))).toThrow();
    expect(parseRetiredKeys(` ${V.public_key_b64u}, ,${V.well_known.keys[1]!.publicKey} `)).toEqual([V.public_key_b64u, V.well_known.keys[1]!.publicKey]);
    expect(parseRetiredKeys('')).toEqual([]);
    expect(() => parseRetiredKeys('abc')).toThrow(/32 bytes/);
  });

  it('fromConfig: the setting; else receipt.key beside a SQLite file (0600, made once, kept); else one key per process', async () => {
    const retired = [V.well_known.keys[1]!.publicKey];
    const fromSetting = await ReceiptSigner.fromConfig({ receiptKey: Buffer.from(V.seed_hex, 'hex').toString('base64url'), receiptRetiredKeys: retired, store: { kind: 'sqlite', path: join(dir(), 'hush.db') } });
    expect(fromSetting.kid).toBe(V.kid);
    expect(fromSetting.source).toEqual({ kind: 'setting' });
    expect(fromSetting.wellKnown()).toEqual(V.well_known);

    const d = dir();
    const store = { kind: 'sqlite' as const, path: join(d, 'hush.db') };
    const first = await ReceiptSigner.fromConfig({ receiptKey: '', receiptRetiredKeys: [], store });
    expect(first.source).toEqual({ kind: 'file', path: join(d, 'receipt.key'), created: true });
    expect(statSync(join(d, 'receipt.key')).mode & 0o777).toBe(0o600);
    const again = await ReceiptSigner.fromConfig({ receiptKey: '', receiptRetiredKeys: [], store });
    expect(again.kid).toBe(first.kid);
    expect(again.source).toEqual({ kind: 'file', path: join(d, 'receipt.key'), created: false });
    const signed = await first.issue({ id: V.id, history: vectorHistory(), issuer: null, issuedAt: Date.now() });
    expect((await verifyReceipt(signed.file, again.publicKeyRaw)).kid).toBe(first.kid); // a restart verifies what was signed before it

    writeFileSync(join(d, 'receipt.key'), 'this is not a 32-byte seed at all\n');
    await expect(ReceiptSigner.fromConfig({ receiptKey: '', receiptRetiredKeys: [], store })).rejects.toThrow(/receipt\.key/);

    const memory = await ReceiptSigner.fromConfig({ receiptKey: '', receiptRetiredKeys: [], store: { kind: 'sqlite', path: ':memory:' } });
    const pg = await ReceiptSigner.fromConfig({ receiptKey: '', receiptRetiredKeys: [], store: { kind: 'postgres', url: 'postgres://h/db', schema: 'hush' } });
    const pg2 = await ReceiptSigner.fromConfig({ receiptKey: '', receiptRetiredKeys: [], store: { kind: 'redis', url: 'redis://h', prefix: 'hush:' } });
    expect(memory.source).toEqual({ kind: 'process' });
    expect(pg.source).toEqual({ kind: 'process' });
    expect(new Set([memory.kid, pg.kid, pg2.kid]).size).toBe(3);
  });

  it('a seed made by node:crypto itself signs as the signer does', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
    const signer = await ReceiptSigner.fromSeed(seed);
    expect(Buffer.from(signer.publicKeyRaw).toString('base64url')).toBe(publicKey.export({ format: 'jwk' }).x);
  });
});

describe('hush receipt verify (the built CLI)', () => {
  const files = (): { good: string; changed: string; d: string } => {
    const d = dir();
    const good = join(d, 'receipt.json');
    writeFileSync(good, `${V.file_text}\n`);
    const changed = join(d, 'changed.json');
    writeFileSync(changed, V.file_text.replace('link-preview', 'link-preveiw'));
    return { good, changed, d };
  };

  it('--key: valid → exit 0 with the state and every event; one changed byte → exit 1; --json prints the payload', async () => {
    const { good, changed } = files();
    const ok = await hush(['receipt', 'verify', good, '--key', V.public_key_b64u]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain(`valid receipt, signed by ${V.kid} (the key given with --key)`);
    expect(ok.stdout).toMatch(/^state: +consumed$/m);
    expect(ok.stdout).toMatch(/^ended: +2030-01-01 00:01:15 UTC$/m);
    expect(ok.stdout).toMatch(/^ {2}2030-01-01 00:00:04 UTC {2}opened +link-preview$/m);
    expect(ok.stdout).toMatch(/^ {2}2030-01-01 00:01:15 UTC {2}read +browser$/m);
    expect(ok.stdout.match(/^ {2}2030-/gm)).toHaveLength(5);

    const bad = await hush(['receipt', 'verify', changed, '--key', V.public_key_b64u]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toBe('hush: receipt NOT valid: the signature does not match: the receipt was changed after it was signed, or was not signed by this key.\n');

    const json = await hush(['receipt', 'verify', '--json', '-', '--key', V.public_key_b64u], { input: V.file_text });
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(V.payload);

    const wrongKey = await hush(['receipt', 'verify', good, '--key', V.well_known.keys[1]!.publicKey]);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^hush: receipt NOT valid: the receipt was signed with key ed25519:If4x36FUomFia_hUBG_SJw, not with the key given/);
    const notJson = await hush(['receipt', 'verify', '-', '--key', V.public_key_b64u], { input: 'hello' });
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toBe('hush: receipt NOT valid: the file is not JSON.\n');
  });

  it('usage: no key (never the one in the file), a bad key, both ways, no file → exit 2', async () => {
    const { good, d } = files();
    const noKey = await hush(['receipt', 'verify', good]);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('give the server\'s public key with --key, or --server ORIGIN to fetch its keys; a key inside the file is not trusted.');
    expect(noKey.stderr).toContain('issued by https://hush.example: hush receipt verify FILE --server https://hush.example.');
    expect((await hush(['receipt', 'verify', good, '--key', 'abc'])).code).toBe(2);
    expect((await hush(['receipt', 'verify', good, '--key', V.public_key_b64u, '--server', 'http://127.0.0.1:1'])).code).toBe(2);
    expect((await hush(['receipt', 'verify', '--key', V.public_key_b64u])).code).toBe(2);
    expect((await hush(['receipt', 'verify', join(d, 'missing.json'), '--key', V.public_key_b64u])).code).toBe(2);
    expect((await hush(['receipt'])).code).toBe(2);
    const help = await hush(['receipt', 'verify', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: hush receipt get MANAGE-LINK > receipt.json\n {7}hush receipt verify \[options\] FILE\n/);
    expect((await hush(['--help'])).stdout).toContain('receipt verify FILE');
  });

  it('--server: fetches the well-known keys, picks the receipt\'s key (retired ones too), refuses an unlisted key, exit 3 when unreachable', async () => {
    const { good } = files();
    let doc: unknown = V.well_known;
    let requests = 0;
    const server: Server = createServer((req, res) => {
      requests++;
      if (req.url !== '/.well-known/hush-receipts.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${String((server.address() as { port: number }).port)}`;
    try {
      const ok = await hush(['receipt', 'verify', good, '--server', origin]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain(`valid receipt, signed by ${V.kid} (the current key of ${origin})`);
      // The receipt names https://hush.example; the key came from elsewhere: said, not fatal.
      expect(ok.stderr).toBe(`hush: note: the receipt names https://hush.example as its issuer; its key came from ${origin}.\n`);

      // After a rotation the old key is listed as retired, and still verifies.
      const rotated = await ReceiptSigner.fromSeed(randomBytes(32), [hex(V.public_key_hex)]);
      doc = rotated.wellKnown();
      const retired = await hush(['receipt', 'verify', good, '--server', origin]);
      expect(retired.code, retired.stderr).toBe(0);
      expect(retired.stdout).toContain(`(a retired key of ${origin}: it signed receipts before the server's key was rotated, and still verifies them)`);

      doc = { keys: [rotated.wellKnown().keys[0]] };
      const unlisted = await hush(['receipt', 'verify', good, '--server', origin]);
      expect(unlisted.code).toBe(1);
      expect(unlisted.stderr).toContain(`hush: receipt NOT valid: the server does not list key ${V.kid}`);
      expect(requests).toBe(3);
    } finally {
      await new Promise((r) => server.close(r));
    }
    const down = await hush(['receipt', 'verify', good, '--server', origin]);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/^hush: could not fetch http:\/\/127\.0\.0\.1:\d+\/\.well-known\/hush-receipts\.json \(ECONNREFUSED\)\.\n$/);
  });
});
