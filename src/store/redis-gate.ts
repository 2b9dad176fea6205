// Verified recipients (docs/protocol.md §12) in the Redis store: the script that stores a
// restricted secret's code (requestCode), and the decoding of CONSUME's answers, the gate's two
// among them. The gate's fields (rc, ka, kn, kh, ke) are listed with the secret's others at the top
// of redis-scripts.ts, with the rules every script follows; consume's check of the code is in
// CONSUME there, beside the passphrase check it comes before.
import type { CodeResult, ConsumeResult } from './types.js';
import { StoreUnavailableError } from './types.js';
import { LATE } from './redis-scripts.js';

/**
 * KEYS: secret. ARGV: verifier, dummy hash, now, deadline (Redis clock, ms), code hash, code
 * expires at, maxSends, then the candidates (32-byte hashes). Returns {'late'} | {'none'} |
 * {'too_many'} | {'not_listed'} | {'listed'}.
 *
 * The token check is consume's, on the same path for a missing secret (the dummy hash); a secret
 * without a gate (no kn) is 'none' too, so the answer does not tell a gate apart from a wrong
 * token. 'too_many' comes before the list is read: once the sends are spent, nothing more is
 * learnt about who is listed. 'listed' replaces any earlier code, so only the last one sent works.
 * 'late' (see CONSUME): a code stored after the caller gave up would replace the current one with
 * one nobody was sent.
 */
export const REQUEST_CODE = `${LATE(4)}
local f = redis.call('HMGET', KEYS[1], 'v', 'st', 'ex', 'nb', 'kn')
local stored = f[1] or ARGV[2]
local match = stored == ARGV[1] and f[1] ~= false
local now = tonumber(ARGV[3])
if not match or f[2] ~= 'pending' or tonumber(f[3]) <= now then return {'none'} end
if (f[4] and now < tonumber(f[4])) or not f[5] then return {'none'} end
if tonumber(f[5]) >= tonumber(ARGV[7]) then return {'too_many'} end
local rc = redis.call('HGET', KEYS[1], 'rc') or ''
for i = 8, #ARGV do
  for j = 1, #rc, 32 do
    if string.sub(rc, j, j + 31) == ARGV[i] then
      redis.call('HSET', KEYS[1], 'kh', ARGV[5], 'ke', ARGV[6])
      redis.call('HINCRBY', KEYS[1], 'kn', 1)
      return {'listed'}
    end
  end
end
return {'not_listed'}
`;

const str = (b: Buffer | null | undefined): string | null => (b == null ? null : b.toString('utf8'));
const int = (b: Buffer | null | undefined): number => (b == null ? 0 : Number(b.toString('utf8')));

/** CONSUME's answer (its Buffer form) as a ConsumeResult; 'late' throws: nothing was changed. */
export function consumeResult(r: Buffer[]): ConsumeResult {
  switch (str(r[0])) {
    case 'late':
      throw new StoreUnavailableError('Redis answered too late; nothing was changed');
    case 'ok':
      return { ok: true, ciphertext: r[1]!, viewsLeft: int(r[2]) };
    case 'early':
      return { ok: false, reason: 'not_yet_available', notBefore: int(r[1]) };
    case 'wrong':
      return { ok: false, reason: 'wrong_passphrase', attemptsLeft: int(r[1]) };
    case 'code_required':
      return { ok: false, reason: 'code_required' };
    case 'wrong_code':
      return { ok: false, reason: 'wrong_code', attemptsLeft: int(r[1]) };
    default:
      return { ok: false, reason: 'not_found' };
  }
}

/** REQUEST_CODE's answer as a CodeResult; 'late' throws: nothing was changed. */
export function codeResult(r: string[]): CodeResult {
  switch (r[0]) {
    case 'late':
      throw new StoreUnavailableError('Redis answered too late; nothing was changed');
    case 'listed':
    case 'not_listed':
    case 'too_many':
      return r[0];
    default:
      return 'not_found';
  }
}
