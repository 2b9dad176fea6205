// The decoding of the Redis store's request scripts' answers (redis-request-scripts.ts), as
// redis-gate.ts decodes CONSUME's: kept out of redis.ts, which holds what the store does.
import { StoreUnavailableError } from './types.js';

/** ANSWER_REQUEST's answer; 'late' throws: nothing was changed. */
export function answerResult(r: string[]): 'answered' | 'not_found' | 'quota_exceeded' {
  switch (r[0]) {
    case 'late':
      throw new StoreUnavailableError('Redis answered too late; nothing was changed');
    case 'ok':
      return 'answered';
    case 'full':
      return 'quota_exceeded';
    default:
      return 'not_found';
  }
}

/** PICKUP_REQUEST's answer (its Buffer form): the response, or null; 'late' throws: nothing was changed. */
export function pickupResult(r: Buffer[]): { ciphertext: Uint8Array } | null {
  switch (r[0]?.toString('utf8')) {
    case 'late':
      throw new StoreUnavailableError('Redis answered too late; nothing was changed');
    case 'ok':
      return { ciphertext: r[1]! };
    default:
      return null;
  }
}
