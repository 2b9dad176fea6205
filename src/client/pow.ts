// Solves the server's proof-of-work challenge (the ALTCHA protocol, via altcha-lib), in the CLI,
// the library and the page's Web Worker alike. The client caps the work it accepts: a server
// must not be able to make its clients spin without end.
import { solveChallenge } from 'altcha-lib';

export interface PowChallenge {
  algorithm: string;
  challenge: string;
  maxnumber?: number;
  salt: string;
  signature: string;
}

/** Most work a client agrees to (ALTCHA maxnumber); Hush's default server asks for 50 000. */
export const MAX_POW_NUMBER = 5_000_000;

export class PowError extends Error {
  override readonly name = 'PowError';
}

/** Finds the number and returns the solution payload for the `x-hush-challenge` header. */
export async function solvePow(ch: PowChallenge, maxNumber = MAX_POW_NUMBER): Promise<string> {
  const max = ch.maxnumber ?? 1_000_000;
  if (ch.algorithm !== 'SHA-256' || typeof ch.challenge !== 'string' || typeof ch.salt !== 'string' || typeof ch.signature !== 'string') {
    throw new PowError('The server sent a challenge this client does not understand.');
  }
  if (!Number.isSafeInteger(max) || max < 1 || max > maxNumber) {
    throw new PowError(`The server asked for too much work (${String(max)}); refusing.`);
  }
  const solution = await solveChallenge(ch.challenge, ch.salt, ch.algorithm, max).promise;
  if (solution === null) throw new PowError('The challenge could not be solved; get a new one and try again.');
  const payload = { algorithm: ch.algorithm, challenge: ch.challenge, number: solution.number, salt: ch.salt, signature: ch.signature };
  return btoa(JSON.stringify(payload));
}
