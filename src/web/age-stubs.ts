// Stand-ins for three modules age-encryption imports, put in their place in the pages' bundles only
// (scripts/build.mjs, the esbuild plugin `ageStubs`): @noble/post-quantum/hybrid.js (ML-KEM-768
// hybrids: AGE-SECRET-KEY-PQ-1… identities, age1pq1… and age1tagpq1… recipients),
// @noble/curves/nist.js (P-256: age1tag1… recipients) and @noble/hashes/scrypt.js (passphrase-
// encrypted age files). The /a page (page-age.ts) unwraps link keys with X25519 identities only,
// and the library's Decrypter bundles to about half its size without them (docs/protocol.md §14).
// The /a page refuses those identities before the library sees them; should one of these be used
// anyway, it throws an Error that says so instead of doing anything. The CLI and the library run
// the real modules (compiled by tsc, not bundled by this build).

export const UNSUPPORTED_IN_BROWSER = 'post-quantum/passphrase age identities open with hush open, not in the browser';

function fail(): never {
  throw new Error(UNSUPPORTED_IN_BROWSER);
}

/** A module export that throws at any use: reading a property of it, calling it, constructing it. */
const unsupported = (): unknown => new Proxy(fail, { get: fail, apply: fail, construct: fail });

// @noble/post-quantum/hybrid.js
export const MLKEM768X25519 = unsupported();
export const MLKEM768P256 = unsupported();
// @noble/curves/nist.js
export const p256 = unsupported();
// @noble/hashes/scrypt.js
export const scrypt = unsupported();
