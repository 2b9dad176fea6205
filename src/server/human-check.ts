// The human check on creation (pluggable): an offline proof-of-work challenge (the ALTCHA
// protocol, altcha-lib), Cloudflare Turnstile verified server-side, or off. Clients send the
// solution or token in the `x-hush-challenge` header.
import { randomBytes } from 'node:crypto';
import { createChallenge, extractParams, verifySolution } from 'altcha-lib';
import type { Challenge } from 'altcha-lib/types';
import type { Config } from './config.js';
import { HttpError } from './errors.js';
import type { Store } from '../store/types.js';

export const CHALLENGE_HEADER = 'x-hush-challenge';
/** Seconds a proof-of-work challenge stays valid. */
export const POW_LIFETIME = 300;

export interface HumanCheckInfo {
  kind: Config['challenge'];
  /** Turnstile only: the public site key for the widget. */
  siteKey?: string;
}

export interface HumanCheck {
  readonly info: HumanCheckInfo;
  /** A fresh proof-of-work challenge (pow only). */
  issue(): Promise<Challenge>;
  /** Throws challenge_required, challenge_failed or unavailable; resolves when the check passed. */
  verify(solution: string | undefined, clientAddress: string): Promise<void>;
}

const required = (): HttpError =>
  new HttpError('challenge_required', `This server asks for a human check before creating a secret: send it in the ${CHALLENGE_HEADER} header.`);
const failed = (why: string): HttpError => new HttpError('challenge_failed', `The human check failed: ${why}. Get a new challenge and try again.`);

export function makeHumanCheck(config: Config, store: Store, fetchImpl: typeof fetch = fetch): HumanCheck {
  switch (config.challenge) {
    case 'off':
      return {
        info: { kind: 'off' },
        issue: () => Promise.reject(new HttpError('not_found', 'This server does not use proof-of-work challenges.')),
        verify: () => Promise.resolve(),
      };
    case 'pow':
      return powCheck(config, store);
    case 'turnstile':
      return turnstileCheck(config, fetchImpl);
  }
}

function powCheck(config: Config, store: Store): HumanCheck {
  // Without a configured key, each process signs with its own: fine for one instance.
  const hmacKey = config.powKey !== '' ? config.powKey : randomBytes(32).toString('hex');
  return {
    info: { kind: 'pow' },
    issue: () =>
      createChallenge({ hmacKey, maxNumber: config.powCost, algorithm: 'SHA-256', expires: new Date(Date.now() + POW_LIFETIME * 1000) }),
    async verify(solution) {
      if (solution === undefined || solution === '') throw required();
      if (solution.length > 2048) throw failed('the solution is malformed');
      let ok = false;
      try {
        ok = await verifySolution(solution, hmacKey, true);
      } catch {
        ok = false;
      }
      if (!ok) throw failed('the solution is wrong or has expired');
      const params = extractParams(solution);
      const expires = Number(params.expires ?? 0) * 1000;
      // One use per challenge, across every process sharing the store.
      if (!(await store.useOnce(`pow:${signatureOf(solution)}`, expires))) {
        throw failed('this challenge was already used');
      }
    },
  };
}

function signatureOf(solution: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(solution, 'base64').toString('utf8')) as { signature?: unknown };
    return typeof parsed.signature === 'string' ? parsed.signature : solution;
  } catch {
    return solution;
  }
}

function turnstileCheck(config: Config, fetchImpl: typeof fetch): HumanCheck {
  // A token names the site its widget was solved on; one solved on another site that uses the
  // same site key (or on a page that is not this server's) is refused. loadConfig requires the
  // public URL with Turnstile.
  const hostname = config.publicUrl === null ? null : new URL(config.publicUrl).hostname;
  return {
    info: { kind: 'turnstile', siteKey: config.turnstileSiteKey },
    issue: () => Promise.reject(new HttpError('not_found', 'This server uses Turnstile, not proof-of-work.')),
    async verify(token, clientAddress) {
      if (token === undefined || token === '') throw required();
      if (token.length > 2048) throw failed('the token is malformed');
      let answer: { success?: unknown; hostname?: unknown };
      try {
        const res = await fetchImpl(config.turnstileVerifyUrl, {
          method: 'POST',
          body: new URLSearchParams({ secret: config.turnstileSecret, response: token, remoteip: clientAddress }),
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) throw new Error(`siteverify answered ${String(res.status)}`);
        answer = (await res.json()) as { success?: unknown; hostname?: unknown };
      } catch {
        throw new HttpError('unavailable', 'The human check service could not be reached. Try again in a moment.', {}, { retryAfter: 5 });
      }
      if (answer.success !== true) throw failed('Turnstile did not accept the token');
      if (answer.hostname !== hostname) throw failed('the check was solved on another site');
    },
  };
}
