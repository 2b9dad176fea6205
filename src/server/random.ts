// Random bytes for ids and tokens, drawn from a pool refilled from the CSPRNG in 4 KiB blocks:
// one call into OpenSSL per ~85 creates instead of two per create (each call costs more than the
// bytes; docs/performance.md). Every byte is handed out once; the pool never leaves this module.
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let used = POOL_BYTES;

/** `n` fresh random bytes (a copy: callers may keep them). */
export function randomBytes(n: number): Buffer {
  if (n > POOL_BYTES) return randomFillSync(Buffer.alloc(n));
  if (used + n > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const out = Buffer.from(pool.subarray(used, used + n));
  pool.fill(0, used, used + n); // what was handed out is not kept
  used += n;
  return out;
}
