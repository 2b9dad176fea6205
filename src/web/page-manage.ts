// The sender's manage page: the secret's state from the manage token in the fragment, and revoke.
import { HushApi } from '../client/api.js';
import { ApiError } from '../client/errors.js';
import type { StatusResponse } from '../protocol/api.js';
import { apiBase, busy, byId, setAlert, setText, show, takeFragment } from './dom.js';
import { describeError, formatRemaining, formatWhen } from './format.js';
import { setMsg, startI18n, useMessages } from './i18n/index.js';
import { manage as en } from './i18n/en.js';
import { manage as de } from './i18n/de.js';
import { manage as ja } from './i18n/ja.js';

const t = useMessages({ en: { manage: en }, de: { manage: de }, ja: { manage: ja } });
const m = (): typeof en => t().manage;

const api = new HushApi(apiBase());
const id = location.pathname.split('/').pop() ?? '';
const errorBox = byId('manage-error');
const revokeButton = byId('revoke', HTMLButtonElement);
const confirmBox = byId('confirm');

const STATE_TEXT: Record<StatusResponse['state'], 'pending' | 'consumed' | 'expiredUnread' | 'revoked' | 'burned'> = {
  pending: 'pending',
  consumed: 'consumed',
  expired: 'expiredUnread',
  revoked: 'revoked',
  burned: 'burned',
};

function stateText(s: StatusResponse): string {
  const state = m()[STATE_TEXT[s.state]];
  if (s.consumedAt === undefined) return state;
  return s.state === 'pending' ? m().openedLast(formatWhen(s.consumedAt)) : m().stateOn(state, formatWhen(s.consumedAt));
}

function render(s: StatusResponse): void {
  setMsg(byId('state'), () => stateText(s));
  setText(byId('views-left'), String(s.viewsLeft));
  const expiresMs = Date.parse(s.expiresAt);
  const future = expiresMs > Date.now();
  // Once read or revoked, the expiry only says how long this record is kept.
  setMsg(byId('expires-label'), () => (s.state !== 'pending' && s.state !== 'expired' ? m().keptUntil : future ? m().expires : m().expired));
  setMsg(byId('expires'), () => (future ? m().expiresIn(formatWhen(expiresMs), formatRemaining(expiresMs - Date.now())) : formatWhen(expiresMs)));
  show(revokeButton, s.state === 'pending');
  show(confirmBox, false);
  show(byId('status'));
}

function fail(err: unknown): void {
  if (err instanceof ApiError && err.code === 'not_found') {
    show(byId('status'), false);
    setAlert(errorBox, () => m().unknown);
    return;
  }
  setAlert(errorBox, () => describeError(err));
}

const token = takeFragment();
startI18n();

// Live updates: while the secret waits, the page asks again every few seconds (and right after its
// expiry), only while it is visible; the status region is aria-live, so a change is announced.
const POLL_MS = 5_000;
let last: StatusResponse | null = null;
let timer: number | undefined;
let backoff = POLL_MS;

const changed = (a: StatusResponse | null, b: StatusResponse): boolean =>
  a === null || a.state !== b.state || a.viewsLeft !== b.viewsLeft || a.consumedAt !== b.consumedAt;

function schedule(): void {
  window.clearTimeout(timer);
  const live = last !== null && last.state === 'pending';
  show(byId('live'), live);
  if (last === null || !live || document.hidden) return;
  const untilExpiry = Date.parse(last.expiresAt) - Date.now() + 500;
  timer = window.setTimeout(() => {
    poll().catch(fail);
  }, Math.max(250, Math.min(backoff, untilExpiry)));
}

/** Asks for the status; re-renders only on a change, so an open confirmation stays open. */
async function poll(): Promise<void> {
  try {
    const s = await api.status(id, token);
    backoff = POLL_MS;
    if (changed(last, s)) render(s);
    last = s;
  } catch (err) {
    // A lost connection or a rate limit: keep the last state, ask again later.
    if (!(err instanceof ApiError) || err.code === 'not_found') throw err;
    backoff = Math.min(backoff * 2, 60_000);
  }
  schedule();
}

async function refresh(): Promise<void> {
  setAlert(errorBox, null);
  const s = await api.status(id, token);
  render(s);
  last = s;
  schedule();
}

if (token === '') {
  setAlert(errorBox, () => m().incomplete);
} else {
  refresh().catch(fail);
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && last?.state === 'pending') poll().catch(fail);
  });
  byId('refresh').addEventListener('click', () => {
    refresh().catch(fail);
  });
  revokeButton.addEventListener('click', () => {
    show(confirmBox);
    byId('confirm-no').focus();
  });
  byId('confirm-no').addEventListener('click', () => {
    show(confirmBox, false);
    revokeButton.focus();
  });
  const yes = byId('confirm-yes', HTMLButtonElement);
  yes.addEventListener('click', () => {
    busy(yes, m().revoking, async () => {
      await api.revoke(id, token);
      await refresh();
    }).catch(fail);
  });
}
