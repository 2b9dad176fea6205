// Ids and tokens come from a pool refilled from the CSPRNG (src/server/random.ts): every byte is
// handed out once, across refills, and what is handed out is a copy.
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../src/server/random.js';

describe('pooled random bytes', () => {
  it('never hands out the same bytes twice, across many refills of the pool', () => {
    const seen = new Set<string>();
    // 20 000 × (16 + 32) bytes ≈ 234 pool refills; any reuse of pool bytes would repeat a value.
    for (let i = 0; i < 20_000; i++) {
      for (const n of [16, 32]) {
        const hex = randomBytes(n).toString('hex');
        expect(hex).toHaveLength(2 * n);
        expect(seen.has(hex)).toBe(false);
        seen.add(hex);
      }
    }
  });

  it('returns copies: what a caller keeps survives the pool being refilled', () => {
    const kept = randomBytes(32);
    const before = Buffer.from(kept);
    // Draw more than the pool holds, so it is refilled (and what was handed out zeroed) at least once.
    for (let i = 0; i < 300; i++) randomBytes(32);
    expect(kept.equals(before)).toBe(true);
    expect(kept.equals(Buffer.alloc(32))).toBe(false);
    expect(randomBytes(8192)).toHaveLength(8192); // larger than the pool: drawn directly
  });
});
