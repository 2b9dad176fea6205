// Secrets and requests for the stores' own API (src/store/types.ts), as the store suites and the
// multi-instance tests make them: random id, ciphertext, auth and manage token (a request: its
// public key and requester's token).
import { createHash, randomBytes } from 'node:crypto';
import type { ClientClass, Evidence, NewRequest, NewSecret } from '../../src/store/types.js';

export const sha = (b: Uint8Array): Buffer => createHash('sha256').update(b).digest();
/** The contract's clock: a fixed moment, moved by the tests. */
export const T0 = 1_800_000_000_000;
export const HOUR = 3_600_000;
/** A quota no test reaches. */
export const Q = { maxSecrets: 1_000_000, maxBytes: 1024 ** 3 };
/** The evidence retention the tests use unless they say otherwise (HUSH_AUDIT_RETENTION's default). */
export const RETAIN = 7 * 24 * HOUR;
/** What a call is given when the evidence layer is on: the client's class and the retention. */
export const evidence = (client: ClientClass = 'browser', retainMs = RETAIN): Evidence => ({ client, retainMs });

/** A secret of 100 ciphertext bytes, created at T0 for an hour, with its auth and manage token. */
export function makeSecret(over: Partial<NewSecret> & { auth?: Uint8Array; manage?: Uint8Array } = {}): NewSecret & { auth: Uint8Array; manage: Uint8Array } {
  const auth = over.auth ?? randomBytes(32);
  const manage = over.manage ?? randomBytes(32);
  return {
    id: randomBytes(16).toString('base64url'),
    ciphertext: randomBytes(100),
    verifier: sha(auth),
    manageHash: sha(manage),
    passphrase: null,
    views: 1,
    createdAt: T0,
    expiresAt: T0 + HOUR,
    notBefore: null,
    ...over,
    auth,
    manage,
  };
}

/** An open request made at T0 for an hour, with its requester's token. */
export function makeRequest(over: Partial<NewRequest> & { token?: Uint8Array } = {}): NewRequest & { token: Uint8Array } {
  const token = over.token ?? randomBytes(32);
  return {
    id: randomBytes(16).toString('base64url'),
    publicKey: Buffer.concat([Buffer.from([4]), randomBytes(64)]),
    note: 'the staging API key, please — ünïcødé 🔑',
    tokenHash: sha(token),
    createdAt: T0,
    expiresAt: T0 + HOUR,
    ...over,
    token,
  };
}
