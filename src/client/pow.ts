// Solves the server's proof-of-work challenge (the ALTCHA format: find n ≤ maxnumber with
// hex(SHA-256(salt + n)) = challenge), in the CLI, the library and the page's Web Worker alike.
// altcha-lib's own solver awaits one WebCrypto digest at a time; hashing a batch of candidates
// at once is several times faster (WebCrypto runs digests in parallel), so this solves it here.
// The client caps the work it accepts: a server must not be able to make its clients spin without end.
import { PowError } from './errors.js';

export interface PowChallenge {
  algorithm: string;
  challenge: string;
  maxnumber?: number;
  salt: string;
  signature: string;
}

/** Most work a client agrees to (ALTCHA maxnumber); Hush's default server asks for 50 000. */
export const MAX_POW_NUMBER = 5_000_000;

/** Finds the number and returns the solution payload for the `x-hush-challenge` header. */
export async function solvePow(ch: PowChallenge, maxNumber = MAX_POW_NUMBER): Promise<string> {
  const max = ch.maxnumber ?? 1_000_000;
  if (ch.algorithm !== 'SHA-256' || typeof ch.challenge !== 'string' || typeof ch.salt !== 'string' || typeof ch.signature !== 'string') {
    throw new PowError('pow_unsupported', 'The server sent a challenge this client does not understand.');
  }
  if (!Number.isSafeInteger(max) || max < 1 || max > maxNumber) {
    throw new PowError('pow_too_hard', `The server asked for too much work (${String(max)}); refusing.`);
  }
  const number = await findNumber(ch.challenge, ch.salt, max);
  if (number === null) throw new PowError('pow_unsolved', 'The challenge could not be solved; get a new one and try again.');
  const payload = { algorithm: ch.algorithm, challenge: ch.challenge, number, salt: ch.salt, signature: ch.signature };
  return btoa(JSON.stringify(payload));
}

const BATCH = 512;

async function findNumber(challenge: string, salt: string, max: number): Promise<number | null> {
  const encoder = new TextEncoder();
  const hex = (digest: ArrayBuffer): string => Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  for (let start = 0; start <= max; start += BATCH) {
    const count = Math.min(BATCH, max - start + 1);
    const digests = await Promise.all(Array.from({ length: count }, (_, i) => crypto.subtle.digest('SHA-256', encoder.encode(salt + String(start + i)))));
    const found = digests.findIndex((d) => hex(d) === challenge);
    if (found !== -1) return start + found;
  }
  return null;
}
