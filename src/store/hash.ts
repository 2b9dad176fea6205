// Constant-time comparison of the hashes a store keeps (verifiers, manage and token hashes),
// shared by every store. `hashComparer` is also sent as source text to the SQLite writer thread
// (sqlite-engine.ts), so it must stay self-contained: nothing from outside its body but its parameter.
import { timingSafeEqual } from 'node:crypto';

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
