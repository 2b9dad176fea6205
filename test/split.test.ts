// Split secrets, k of n (docs/protocol.md §15), without a server: the vector both ways (parsed, and
// reproduced wherever it is deterministic: commitment, records, links, envelope, container with a
// fixed IV), property tests over 2 ≤ k ≤ n ≤ 10 (any k shares rebuild the key, k − 1 never do),
// and the binding of a share to its secret.
import { hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { combine } from 'shamir-secret-sharing';
import { describe, expect, it } from 'vitest';
import { recoverKey, splitKey } from '../src/client/split.js';
import * as p from '../src/protocol/index.js';

interface SplitVectors {
  inputs: { vault_key_hex: string; origin: string; vault_id: string; k: number; n: number; expiresAt: number; iv_hex: string };
  commitment_hex: string;
  vault_link: string;
  shares: { index: number; share_hex: string; record: string; id: string; key_hex: string; link: string; plaintext_hex: string; container_b64u: string }[];
  invalid_links: { link: string; why: string }[];
}
const V = JSON.parse(readFileSync(new URL('./vectors/split-v1.json', import.meta.url), 'utf8')) as SplitVectors;
const hex = (s: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const K = hex(V.inputs.vault_key_hex);
const C = hex(V.commitment_hex);
const record = (i: number): p.ShareRecord => ({ vault: V.inputs.vault_id, k: 2, n: 3, index: i + 1, share: hex(V.shares[i]!.share_hex), commitment: C });

/** A fresh split of a random key: its records, as the sender seals them. */
async function freshSplit(k: number, n: number, vault = p.b64uEncode(p.randomBytes(16))): Promise<{ key: Uint8Array; records: p.ShareRecord[] }> {
  const key = p.randomBytes(32);
  const commitment = await p.splitCommitment(key);
  const shares = await splitKey(key, k, n);
  return { key, records: shares.map((share, i) => ({ vault, k, n, index: i + 1, share, commitment })) };
}

describe('split vector (test/vectors/split-v1.json), both ways', () => {
  it('the commitment is HKDF(K, "hush/v1 split-commitment"), checked with node:crypto too', async () => {
    expect(toHex(await p.splitCommitment(K))).toBe(V.commitment_hex);
    expect(toHex(new Uint8Array(hkdfSync('sha256', K, new Uint8Array(0), 'hush/v1 split-commitment', 32)))).toBe(V.commitment_hex);
    expect(p.formatSecretLink(V.inputs.origin, V.inputs.vault_id, K)).toBe(V.vault_link);
  });

  it('records, links, envelopes and containers are reproduced byte for byte', async () => {
    for (const [i, s] of V.shares.entries()) {
      expect(new TextDecoder().decode(p.encodeShareRecord(record(i)))).toBe(s.record);
      const key = hex(s.key_hex);
      expect(p.formatShareLink(V.inputs.origin, s.id, key, 2, V.inputs.vault_id)).toBe(s.link);
      const plaintext = p.encodeEnvelope({ ...p.shareEnvelopeInput(record(i)), expiresAt: V.inputs.expiresAt });
      expect(toHex(plaintext)).toBe(s.plaintext_hex);
      expect(p.b64uEncode(await p.sealContainer((await p.deriveLinkKeys(key)).encKey, plaintext, hex(V.inputs.iv_hex)))).toBe(s.container_b64u);
    }
  });

  it('each share link and container parse back to its record, and any 2 of the 3 shares rebuild K', async () => {
    const records: p.ShareRecord[] = [];
    for (const s of V.shares) {
      const link = p.parseShareLink(s.link);
      expect(link).toMatchObject({ origin: V.inputs.origin, id: s.id, k: 2, vault: V.inputs.vault_id });
      const opened = await p.openSecret((await p.deriveLinkKeys(link.key)).encKey, s.container_b64u, 0);
      expect(opened.message).toMatch(new RegExp(`^This is share ${String(s.index)} of 3 of a secret split with Hush\\.`));
      const r = p.shareFromEnvelope(opened);
      expect(toHex(p.encodeShareRecord(r))).toBe(toHex(new TextEncoder().encode(s.record)));
      records.push(r);
    }
    for (const pair of [[0, 1], [0, 2], [1, 2], [2, 0]]) {
      const { key, used } = await recoverKey(pair.map((i) => records[i]!));
      expect(toHex(key)).toBe(V.inputs.vault_key_hex);
      expect(used).toHaveLength(2);
    }
  });

  it('malformed share links are invalid_link; a v1 key parser and hush open refuse a share link without reading a key from it', () => {
    for (const { link, why } of V.invalid_links) expect(() => p.parseShareLink(link), why).toThrow(expect.objectContaining({ code: 'invalid_link' }));
    const link = V.shares[0]!.link;
    expect(() => p.parseKeyFragment(link.slice(link.indexOf('#') + 1))).toThrow(expect.objectContaining({ code: 'invalid_link', message: 'the key in the link is damaged' }));
    expect(() => p.parseSecretLink(link)).toThrow(expect.objectContaining({ code: 'invalid_link', message: expect.stringMatching(/one share of a split secret.*hush combine/) }));
    expect(() => p.parseShareLink(V.vault_link)).toThrow(expect.objectContaining({ code: 'invalid_link' }));
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (text) => {
        for (const candidate of [text, `${V.inputs.origin}/s/${V.shares[0]!.id}#share.${text}`]) {
          try {
            p.parseShareLink(candidate);
          } catch (e) {
            expect(p.isProtocolError(e, 'invalid_link')).toBe(true);
          }
        }
      }),
    );
  });
});

describe('k of n, property tests over 2 ≤ k ≤ n ≤ 10', () => {
  const counts = fc.integer({ min: 2, max: 10 }).chain((n) => fc.tuple(fc.integer({ min: 2, max: n }), fc.constant(n)));

  it('any k shares rebuild the key; any k − 1 do not (too few, and the commitment refuses their interpolation)', async () => {
    await fc.assert(
      fc.asyncProperty(counts, fc.infiniteStream(fc.nat()), async ([k, n], picks) => {
        const { key, records } = await freshSplit(k, n);
        // A random choice of k of the n shares, in a random order.
        const order = records.map((r, i) => ({ r, w: picks.next().value as number, i })).sort((a, b) => a.w - b.w || a.i - b.i);
        const chosen = order.slice(0, k).map((o) => o.r);
        expect(toHex((await recoverKey(chosen)).key)).toBe(toHex(key));
        const fewer = chosen.slice(1);
        await expect(recoverKey(fewer)).rejects.toMatchObject({ code: 'not_enough_shares' });
        if (fewer.length >= 2) {
          // What Shamir gives from k − 1 shares is another key, which the commitment refuses…
          const wrong = await combine(fewer.map((r) => r.share));
          expect(toHex(wrong)).not.toBe(toHex(key));
          expect(toHex(await p.splitCommitment(new Uint8Array(wrong)))).not.toBe(toHex(records[0]!.commitment));
          // …so k − 1 records that claim a lower k are refused, not misread.
          await expect(recoverKey(fewer.map((r) => ({ ...r, k: k - 1 })))).rejects.toMatchObject({ code: 'share_mismatch' });
        }
      }),
      { numRuns: 60 },
    );
  });

  it('records survive their encoding, and a share given twice counts once', async () => {
    await fc.assert(
      fc.asyncProperty(counts, async ([k, n]) => {
        const { records } = await freshSplit(k, n);
        for (const r of records) expect(p.decodeShareRecord(p.encodeShareRecord(r))).toEqual(r);
        const twice = [...records.slice(0, k - 1), ...records.slice(0, k - 1)];
        await expect(recoverKey(twice)).rejects.toMatchObject({ code: 'not_enough_shares' });
      }),
      { numRuns: 30 },
    );
  });
});

describe('a share is bound to its secret', () => {
  it('a share of another secret is refused, and says which secrets', async () => {
    const a = await freshSplit(2, 3);
    const b = await freshSplit(2, 3);
    await expect(recoverKey([a.records[0]!, b.records[1]!])).rejects.toMatchObject({ code: 'share_mismatch', message: expect.stringMatching(/different secrets/) });
    // The same vault id, another split (a forged record naming this vault): the commitment differs.
    const forged = await freshSplit(2, 3, a.records[0]!.vault);
    await expect(recoverKey([a.records[0]!, forged.records[1]!])).rejects.toMatchObject({ code: 'share_mismatch' });
  });

  it('a tampered share is refused by the commitment; with a spare, the true shares still rebuild the key', async () => {
    const { key, records } = await freshSplit(2, 3);
    const share = new Uint8Array(records[1]!.share);
    share[0]! ^= 1;
    const tampered = { ...records[1]!, share };
    await expect(recoverKey([records[0]!, tampered])).rejects.toMatchObject({ code: 'share_mismatch', message: expect.stringMatching(/do not rebuild the key/) });
    const { key: rebuilt, used } = await recoverKey([records[0]!, tampered, records[2]!]);
    expect(toHex(rebuilt)).toBe(toHex(key));
    expect(used.map((r) => r.index)).toEqual([1, 3]);
  });

  it('damaged records are malformed_envelope, a newer one unsupported_version, and a plain secret holds no share', () => {
    const good = JSON.parse(V.shares[0]!.record) as Record<string, unknown>;
    const bad: [string, Record<string, unknown>][] = [
      ['no vault', { ...good, vault: undefined }],
      ['k above n', { ...good, k: 4 }],
      ['n above 10', { ...good, n: 11, k: 2 }],
      ['index 0', { ...good, i: 0 }],
      ['index above n', { ...good, i: 4 }],
      ['a short share', { ...good, x: p.b64uEncode(new Uint8Array(32)) }],
      ['x coordinate 0', { ...good, x: p.b64uEncode(new Uint8Array(33)) }],
      ['a short commitment', { ...good, c: p.b64uEncode(new Uint8Array(31)) }],
      ['a padded share', { ...good, x: `${String(good.x)}=` }],
      ['k as text', { ...good, k: '2' }],
    ];
    for (const [why, r] of bad) expect(() => p.decodeShareRecord(new TextEncoder().encode(JSON.stringify(r))), why).toThrow(expect.objectContaining({ code: 'malformed_envelope' }));
    expect(() => p.decodeShareRecord(new TextEncoder().encode(JSON.stringify({ ...good, v: 2 })))).toThrow(expect.objectContaining({ code: 'unsupported_version' }));
    const plain = p.decodeEnvelope(p.encodeEnvelope({ message: 'not a share' }), 0);
    expect(() => p.shareFromEnvelope(plain)).toThrow(expect.objectContaining({ code: 'malformed_envelope' }));
  });
});
