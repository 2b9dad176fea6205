// Constant-time comparison of the hashes a store keeps (verifiers, manage and token hashes),
// shared by every store. `hashComparer` is also sent as source text to the SQLite writer thread
// (sqlite-engine.ts), so it must stay self-contained: nothing from outside its body but its parameter.
import { hash, timingSafeEqual } from 'node:crypto';

/** A comparison of fixed-length hashes; a missing one compares against a dummy, on the same path. */
export function hashComparer(equalBytes: (a: Uint8Array, b: Uint8Array) => boolean): (stored: Uint8Array | null | undefined, given: Uint8Array) => boolean {
  const dummy = new Uint8Array(32);
  return (stored, given) => {
    const a = stored ?? dummy;
    const equal = a.length === given.length && equalBytes(a, given);
    return equal && stored !== null && stored !== undefined;
  };
}

export const sameHash = hashComparer(timingSafeEqual);

/** SHA-256 in one call: no Hash object (createHash, update, digest) per request. */
export const sha256 = (data: Uint8Array | string): Buffer => hash('sha256', data, 'buffer');

/**
 * The key an evidence record is filed under: SHA-256 of the id (its UTF-8 text), 32 bytes. The
 * records outlive the secrets, and must not hold the id in clear (docs/protocol.md §9).
 */
export const evidenceRef = (id: string): Buffer => sha256(id);

/** The ref of the stand-in evidence record (SQLite, PostgreSQL): no id hashes to 32 zero bytes. */
export const STANDIN_REF = Buffer.alloc(32);
