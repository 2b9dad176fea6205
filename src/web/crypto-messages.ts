// Messages between the pages and their crypto worker: one job is one call of the runner
// interface (src/client/runner.ts) — its name and its arguments, as they are — and one reply is its
// result or its error. The arguments and results are structured-cloned: bytes stay bytes (the link
// key crosses as its 32 bytes), CryptoKeys stay keys.
import type { CryptoRunner } from '../client/runner.js';
import type { HushErrorCode } from '../client/errors.js';

export type Op = keyof CryptoRunner;

/** One call: `{ op: 'seal', args: [options] }`. */
export type Job = { [K in Op]: { op: K; args: Parameters<CryptoRunner[K]> } }[Op];

/** An error crossing the worker boundary; the page turns it back into the same class (crypto.ts). */
export interface WireError {
  name: 'ProtocolError' | 'PowError' | 'Error';
  message: string;
  code?: HushErrorCode;
  expiredAt?: number;
}

export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };
