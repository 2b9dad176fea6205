// Human wording shared by the pages: times, durations, and what an error means for the user.
import { ApiError } from '../client/api.js';
import { ProtocolError } from '../protocol/errors.js';
import { PowError } from '../client/pow.js';

/** "23 h 45 min", "5 min", "less than a minute", "3 days 2 h". */
export function formatRemaining(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'less than a minute';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${plural(days, 'day')} ${hours} h` : plural(days, 'day');
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A local date and time, e.g. "Mon, 23 Nov 2026, 14:05". */
export function formatWhen(date: Date | string | number): string {
  const d = date instanceof Date ? date : new Date(date);
  return d.toLocaleString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export const NOT_AVAILABLE =
  'This secret is not available. It has already been read, it has expired, or the link is incomplete. Ask the sender to share a new one.';

/** What to tell the user about an error, in words that say what to do next. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    switch (err.code) {
      case 'not_found':
        return NOT_AVAILABLE;
      case 'network_error':
        return 'Could not reach the Hush server. Check your connection and try again.';
      case 'rate_limited':
        return `Too many attempts from your network. Try again in ${err.retryAfter === undefined ? 'a minute' : plural(err.retryAfter, 'second')}.`;
      case 'wrong_passphrase':
        return err.attemptsLeft === undefined
          ? 'Wrong passphrase.'
          : `Wrong passphrase. ${plural(err.attemptsLeft, 'attempt')} left before the secret is destroyed.`;
      case 'not_yet_available':
        return err.notBefore === undefined ? err.message : `This secret can be opened from ${formatWhen(err.notBefore)}.`;
      case 'bad_response':
        return 'The server gave an answer this page does not understand. Try again later.';
      default:
        return err.message;
    }
  }
  if (err instanceof ProtocolError) {
    switch (err.code) {
      case 'expired':
        return `This secret expired on ${formatWhen((err.expiredAt ?? 0) * 1000)}.`;
      case 'unsupported_version':
        return 'This secret was made by a newer version of Hush. Open it with an up-to-date Hush.';
      case 'invalid_link':
        return 'This link is incomplete or damaged. Copy the whole link, including the part after “#”, and open it again.';
      case 'decryption_failed':
        return 'This secret could not be decrypted: the link or the passphrase is wrong, or the data was damaged.';
      case 'unsafe_parameters':
        return 'The server sent passphrase parameters this page refuses to use. Ask the sender to share a new link.';
      default:
        return err.message;
    }
  }
  if (err instanceof PowError) return err.message;
  return 'Something went wrong. Reload the page and try again.';
}
