// How the sender's pages say a secret's state and the events of its history (docs/protocol.md §9),
// in the page's language: the manage page (one secret) and "My secrets" (a signed-in person's).
import type { ClientClassName, SecretHistoryEvent, StatusResponse } from '../protocol/api.js';
import type { manage } from './i18n/en.js';
import { formatWhen } from './format.js';

type Messages = typeof manage;

const STATE_TEXT: Record<StatusResponse['state'], 'pending' | 'consumed' | 'expiredUnread' | 'revoked' | 'burned'> = {
  pending: 'pending',
  consumed: 'consumed',
  expired: 'expiredUnread',
  revoked: 'revoked',
  burned: 'burned',
};

export function stateText(m: Messages, s: StatusResponse): string {
  const state = m[STATE_TEXT[s.state]];
  if (s.consumedAt === undefined) return state;
  return s.state === 'pending' ? m.openedLast(formatWhen(s.consumedAt)) : m.stateOn(state, formatWhen(s.consumedAt));
}

const BY = { browser: 'byBrowser', 'link-preview': 'byLinkPreview', scanner: 'byScanner', cli: 'byCli', api: 'byApi', unknown: 'byUnknown' } as const;

/** A word from the server we do not know, shown as data: no control or format characters, short. */
const clean = (v: unknown): string => String(v).replace(/[\p{Cc}\p{Cf}]/gu, '').slice(0, 40);

/** "in a browser", "by a link preview", … for the class the server gave (null: it did it itself). */
function by(m: Messages, client: unknown): string {
  if (typeof client === 'string' && Object.hasOwn(BY, client)) return m[BY[client as ClientClassName]];
  return client === null || client === undefined ? m.byUnknown : m.byOther(clean(client));
}

export function describeEvent(m: Messages, e: SecretHistoryEvent, wasRead: boolean): string {
  const type: unknown = e.type;
  switch (type) {
    case 'created':
      return m.evCreated(by(m, e.client));
    case 'opened':
      return m.evOpened(by(m, e.client));
    case 'read':
      return m.evRead(by(m, e.client));
    case 'passphrase_failed':
      return m.evPassphraseFailed(by(m, e.client));
    case 'burned':
      return m.burned;
    case 'revoked':
      return m.evRevoked(by(m, e.client));
    case 'expired':
      return wasRead ? m.expired : m.expiredUnread;
    default:
      return m.evOther(clean(type), by(m, e.client));
  }
}

