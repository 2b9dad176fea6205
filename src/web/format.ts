// Human wording shared by the pages, in the page's language: times, durations, and what an
// error means for the user.
import { ApiError, PowError, ProtocolError } from '../client/errors.js';
import { c, lang, locale, unit } from './i18n/index.js';

/**
 * A duration: in English "23 h 45 min", "5 min", "3 days 2 h"; in German and Japanese as Intl
 * writes the units ("23 Std., 45 Min.", "3 日 2 時間"). Under a minute: "less than a minute".
 */
export function formatRemaining(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return c().lessThanMinute;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (lang() === 'en') {
    const dayWords = unit(days, 'day');
    if (days > 0) return hours > 0 ? `${dayWords} ${hours} h` : dayWords;
    if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
    return `${mins} min`;
  }
  const parts = days > 0 ? [unit(days, 'day'), hours > 0 ? unit(hours, 'hour', 'short') : ''] : [hours > 0 ? unit(hours, 'hour', 'short') : '', mins > 0 || hours === 0 ? unit(mins, 'minute', 'short') : ''];
  return new Intl.ListFormat(locale(), { type: 'unit', style: 'narrow' }).format(parts.filter((p) => p !== ''));
}

/** A local date and time in the page's language, e.g. "Mon, Nov 23, 2026, 02:05 PM", "Mo., 23. Nov. 2026, 14:05". */
export function formatWhen(date: Date | string | number): string {
  const d = date instanceof Date ? date : new Date(date);
  return d.toLocaleString(locale(), { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A local time of day as formatWhen writes it, without the date: "02:05 PM", "14:05". */
export function formatTime(date: Date | string | number): string {
  const d = date instanceof Date ? date : new Date(date);
  return d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
}

/** What to tell the user about an error, in words that say what to do next. */
export function describeError(err: unknown): string {
  const m = c();
  if (err instanceof ApiError) {
    switch (err.code) {
      case 'not_found':
        return m.notAvailable;
      case 'network_error':
        return m.network;
      case 'rate_limited':
        return m.rateLimited(err.retryAfter === undefined ? m.aMinute : unit(err.retryAfter, 'second'));
      case 'wrong_passphrase':
        return err.attemptsLeft === undefined ? m.wrongPassphrase : m.wrongPassphraseLeft(err.attemptsLeft);
      case 'wrong_code':
        return m.wrongCodeLeft(err.attemptsLeft ?? 0);
      case 'code_required':
        return m.codeRequired;
      case 'not_yet_available':
        return err.notBefore === undefined ? err.message : m.notYetAvailable(formatWhen(err.notBefore));
      case 'bad_response':
        return m.badResponse;
      default:
        return err.message;
    }
  }
  if (err instanceof ProtocolError) {
    switch (err.code) {
      case 'expired':
        return m.expired(formatWhen((err.expiredAt ?? 0) * 1000));
      case 'unsupported_version':
        return m.unsupportedVersion;
      case 'invalid_link':
        return m.invalidLink;
      case 'decryption_failed':
        return m.decryptionFailed;
      case 'unsafe_parameters':
        return m.unsafeParameters;
      default:
        return err.message;
    }
  }
  if (err instanceof PowError) return err.message;
  return m.somethingWrong;
}

/** A size in the page's language: "512 byte", "68.4 kB", "10 MB" (binary multiples, as the limit is set). */
export function formatSize(bytes: number): string {
  const [n, u] = bytes < 1024 ? [bytes, 'byte'] : bytes < 1024 ** 2 ? [bytes / 1024, 'kilobyte'] : [bytes / 1024 ** 2, 'megabyte'];
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 }).format(n);
}
