// Output formats shared by the commands.
import type { ClientClassName, SecretEventType, SecretHistoryEvent, StatusResponse } from '../protocol/api.js';
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
  burned: 'burned (too many wrong passphrases or codes)',
};

/**
 * The lines `hush status` prints. The state and views left are the server's words, taken as they
 * come (nothing checks their types): a state we do not know and the views left are cleaned.
 */
export function formatStatus(s: StatusResponse): string {
  const raw: unknown = s.state;
  let state = Object.hasOwn(STATE_TEXT, s.state) ? STATE_TEXT[s.state] : oneLine(String(raw));
  if (s.state === 'consumed' && s.consumedAt !== undefined) state = `consumed (read at ${formatTime(Date.parse(s.consumedAt))})`;
  const lines = [`state:      ${state}`, `views left: ${oneLine(String(s.viewsLeft))}`, `expires:    ${formatTime(Date.parse(s.expiresAt))}`];
  if (s.restricted === true) lines.push('opens for:  only the people you named, with a code mailed to them');
  if (s.events !== undefined) {
    const summary = touchedNotRead(s);
    if (summary !== null) lines.push(`note:       ${summary}`);
    lines.push('history:');
    for (const e of s.events) lines.push(`  ${formatTime(Date.parse(e.at))}  ${describeEvent(e)}`);
    if (s.dropped !== undefined && s.dropped > 0) lines.push(`  … and ${oneLine(String(s.dropped))} more event(s) the server did not keep`);
  }
  lines.push('');
  return lines.join('\n');
}

const EVENT_TEXT: Record<SecretEventType, string> = {
  created: 'created',
  opened: 'opened',
  read: 'read',
  passphrase_failed: 'wrong passphrase',
  burned: 'burned (too many wrong passphrases or codes)',
  revoked: 'revoked',
  expired: 'expired unread',
};

const CLIENT_TEXT: Record<ClientClassName, string> = {
  browser: 'in a browser',
  'link-preview': 'by a link preview (chat or mail unfurler)',
  scanner: 'by an automated scanner',
  cli: 'with the hush CLI',
  api: 'through the API',
  unknown: 'by an unknown client',
};

/** One line of history, from the server's words: unknown types and classes are shown cleaned, not trusted. */
function describeEvent(e: SecretHistoryEvent): string {
  const rawType: unknown = e.type;
  const rawClient: unknown = e.client;
  const type = Object.hasOwn(EVENT_TEXT, e.type) ? EVENT_TEXT[e.type] : oneLine(String(rawType));
  if (e.client === null) return type;
  const client = Object.hasOwn(CLIENT_TEXT, e.client) ? CLIENT_TEXT[e.client] : oneLine(String(rawClient));
  return `${type} ${client}`;
}

/** When only machines touched the link so far: say so, so a sender can tell a scanner from the recipient. */
function touchedNotRead(s: StatusResponse): string | null {
  const events = s.events ?? [];
  if (events.some((e) => e.type === 'read')) return null;
  const machines = events.filter((e) => e.type === 'opened' && (e.client === 'link-preview' || e.client === 'scanner'));
  if (machines.length === 0) return null;
  return `the link was opened ${String(machines.length)} time(s) by link previews or scanners, but not read by them`;
}
