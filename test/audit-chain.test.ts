// The audit trail's format (docs/protocol.md §11, src/protocol/audit.ts): the vector in
// test/vectors/audit-v1.jsonl verifies, every hash in it is what an independent node:crypto
// reading of the spec computes, and no single change — any byte of the file, any line removed,
// any two lines swapped — goes unnoticed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS, auditHash, auditHashInput, auditLine, verifyAuditLines, type AuditEntry } from '../src/protocol/audit.js';

const VECTOR = readFileSync(new URL('./vectors/audit-v1.jsonl', import.meta.url), 'utf8');
const LINES = VECTOR.trimEnd().split('\n');
const ENTRIES = LINES.map((l) => JSON.parse(l) as AuditEntry);

/** The spec's steps with node:crypto, written apart from the module: keys in sorted order, no spaces. */
const independentHash = (e: AuditEntry): string =>
  createHash('sha256')
    .update(`{"at":${String(e.at)},"client":${e.client === null ? 'null' : `"${e.client}"`},"event":"${e.event}","prev":"${e.prev}","seq":${String(e.seq)}}`, 'utf8')
    .digest('hex');

/** A valid chain of `n` entries made with the module. */
async function chain(n: number): Promise<string[]> {
  let prev = AUDIT_GENESIS;
  const out: string[] = [];
  for (let seq = 1; seq <= n; seq++) {
    const e = { seq, at: 1_893_456_000_000 + seq * 1000, event: seq % 3 === 0 ? 'read' : 'opened', client: seq % 4 === 0 ? null : 'browser', prev };
    prev = await auditHash(e);
    out.push(auditLine({ ...e, hash: prev }));
  }
  return out;
}

describe('the audit vector (test/vectors/audit-v1.jsonl)', () => {
  it('verifies from the genesis, and each hash is the independent SHA-256 of the entry', async () => {
    expect(await verifyAuditLines(VECTOR)).toEqual({ ok: true, entries: 4, first: 1, last: 4, head: ENTRIES[3]!.hash });
    expect(ENTRIES[0]!.prev).toBe(AUDIT_GENESIS);
    for (const [i, e] of ENTRIES.entries()) {
      expect(independentHash(e)).toBe(e.hash);
      expect(await auditHash(e)).toBe(e.hash);
      expect(auditLine(e)).toBe(LINES[i]);
      expect(auditHashInput(e)).not.toContain('hash');
    }
  });

  it('every single byte changed makes it fail', async () => {
    const bytes = Buffer.from(VECTOR.trimEnd(), 'utf8');
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] = changed[i] === 0x30 ? 0x31 : 0x30; // '0' ↔ '1', else any byte becomes '0'
      const verdict = await verifyAuditLines(changed.toString('utf8'));
      expect(verdict.ok, `byte ${String(i)}`).toBe(false);
    }
  });

  it('docs/protocol.md §11 quotes its first hash input, first hash and head', () => {
    const doc = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## 11.'));
    expect(section).toContain(auditHashInput(ENTRIES[0]!));
    expect(section).toContain(ENTRIES[0]!.hash);
    expect(section).toContain(ENTRIES[3]!.hash);
  });

  it('continues a head only when given that head', async () => {
    const rest = LINES.slice(2).join('\n');
    expect(await verifyAuditLines(rest, { prev: ENTRIES[1]!.hash })).toMatchObject({ ok: true, first: 3 });
    expect(await verifyAuditLines(rest, { prev: ENTRIES[0]!.hash })).toMatchObject({ ok: false, problem: 'not_continued', line: 1 });
    // Without --prev a later start is taken as given (older entries pruned); seq 1 must be the genesis.
    expect(await verifyAuditLines(rest)).toMatchObject({ ok: true, first: 3 });
    expect(await verifyAuditLines('')).toMatchObject({ ok: true, entries: 0 });
  });
});

describe('the chain under changes', () => {
  it('any line removed, or any two lines swapped, from a chain of up to 30 entries is found', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 30 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }))),
        async ([n, a, b]) => {
          const lines = await chain(n);
          expect((await verifyAuditLines(lines.join('\n'))).ok).toBe(true);
          const removed = lines.filter((_, i) => i !== a);
          const verdictRemoved = await verifyAuditLines(removed.join('\n'));
          // Cut off either end, what is left is a valid shorter chain: only the heads kept elsewhere
          // show it — the one before it (--prev: here the genesis) and the last one.
          if (a === n - 1) expect(verdictRemoved).toMatchObject({ ok: true, last: n - 1 });
          else if (a === 0) {
            expect(verdictRemoved).toMatchObject({ ok: true, first: 2 });
            expect(await verifyAuditLines(removed.join('\n'), { prev: AUDIT_GENESIS })).toMatchObject({ ok: false, problem: 'not_continued' });
          } else expect(verdictRemoved.ok).toBe(false);
          if (a !== b) {
            const swapped = [...lines];
            [swapped[a], swapped[b]] = [lines[b]!, lines[a]!];
            expect((await verifyAuditLines(swapped.join('\n'))).ok).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
