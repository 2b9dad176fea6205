// Output formats shared by the commands.
import type { StatusResponse } from '../protocol/api.js';
import { oneLine } from './terminal.js';

/** `2025-06-01 12:00:00 UTC`: unambiguous, and the same on every machine. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return 'an unknown time';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

const STATE_TEXT: Record<StatusResponse['state'], string> = {
  pending: 'pending (not read yet)',
  consumed: 'consumed',
  expired: 'expired (never read)',
  revoked: 'revoked',
  burned: 'burned (too many wrong passphrases)',
};

/**
 * The lines `hush status` prints. The state and views left are the server's words, taken as they
 * come (nothing checks their types): a state we do not know and the views left are cleaned.
 */
export function formatStatus(s: StatusResponse): string {
  const raw: unknown = s.state;
  let state = Object.hasOwn(STATE_TEXT, s.state) ? STATE_TEXT[s.state] : oneLine(String(raw));
  if (s.state === 'consumed' && s.consumedAt !== undefined) state = `consumed (read at ${formatTime(Date.parse(s.consumedAt))})`;
  return [`state:      ${state}`, `views left: ${oneLine(String(s.viewsLeft))}`, `expires:    ${formatTime(Date.parse(s.expiresAt))}`, ''].join('\n');
}
