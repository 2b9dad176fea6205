// The sender's manage page: the secret's state from the manage token in the fragment, its history
// when the server keeps one (docs/protocol.md §9), and revoke.
import { HushApi } from '../client/api.js';
import { ApiError } from '../client/errors.js';
import type { SecretHistoryEvent, StatusResponse } from '../protocol/api.js';
import { apiBase, busy, byId, setAlert, setText, show, takeFragment } from './dom.js';
import { describeError, formatRemaining, formatTime, formatWhen } from './format.js';
import { setMsg, startI18n, useMessages } from './i18n/index.js';
import { describeEvent, stateText } from './history.js';
import { manage as en } from './i18n/en.js';

const t = useMessages({ manage: en });
const m = (): typeof en => t().manage;

const api = new HushApi(apiBase());
const id = location.pathname.split('/').pop() ?? '';
const errorBox = byId('manage-error');
const revokeButton = byId('revoke', HTMLButtonElement);
const confirmBox = byId('confirm');

function render(s: StatusResponse): void {
  setMsg(byId('state'), () => stateText(m(), s));
  setText(byId('views-left'), String(s.viewsLeft));
  show(byId('opens-for-label'), s.restricted === true);
  show(byId('opens-for'), s.restricted === true);
  const expiresMs = Date.parse(s.expiresAt);
  const future = expiresMs > Date.now();
  // Once read or revoked, the expiry only says how long this record is kept; unless the server
  // keeps a history, which outlives it (§9): then it is the expiry the secret had, no countdown.
  const ended = s.state !== 'pending' && s.state !== 'expired';
  const had = ended && s.events !== undefined;
  setMsg(byId('expires-label'), () => (had ? m().setToExpire : ended ? m().keptUntil : future ? m().expires : m().expired));
  setMsg(byId('expires'), () => (future && !had ? m().expiresIn(formatWhen(expiresMs), formatRemaining(expiresMs - Date.now())) : formatWhen(expiresMs)));
  show(revokeButton, s.state === 'pending');
  show(confirmBox, false);
  show(byId('status'));
  renderHistory(s);
}

// The history. Oldest first, as the server sends it: it reads as the story of the link (made,
// unfurled by a chat app, read), the summary above it gives the conclusion, and events the server
// did not keep are the latest ones, so the note about them comes last too.

const MACHINES: readonly unknown[] = ['link-preview', 'scanner'];

/** One line above the history when machines are all that touched the link (or all that read it). */
function summaryOf(s: StatusResponse, events: readonly SecretHistoryEvent[]): string | null {
  const reads = events.filter((e) => e.type === 'read');
  // consumedAt is there once anything read it, even when the server did not keep that event.
  if (reads.length > 0 || s.consumedAt !== undefined || s.state === 'consumed') {
    return reads.length > 0 && !(Number(s.dropped) > 0) && reads.every((e) => MACHINES.includes(e.client)) ? m().readByMachine : null;
  }
  const machines = events.filter((e) => e.type === 'opened' && MACHINES.includes(e.client)).length;
  if (machines === 0) return null;
  return s.state === 'pending' ? m().onlyMachines(machines) : m().onlyMachinesEnded(machines);
}

/** Renders the history (nothing when the server keeps none); again on a change or a language switch. */
function renderHistory(s: StatusResponse): void {
  // The server is checked, not trusted (docs/style.md): odd shapes are left out, not thrown on.
  const events = Array.isArray(s.events) ? s.events.filter((e: unknown) => typeof e === 'object' && e !== null) : undefined;
  const summary = byId('summary');
  show(byId('history'), events !== undefined);
  const say = events === undefined ? null : summaryOf(s, events);
  setText(summary, say ?? '');
  show(summary, say !== null);
  if (events === undefined) return;
  const wasRead = s.consumedAt !== undefined || events.some((e) => e.type === 'read');
  let day = '';
  byId('events').replaceChildren(
    ...events.map((e) => {
      const li = document.createElement('li');
      if (e.type === 'read') li.className = 'read';
      const time = document.createElement('time');
      const at = Date.parse(e.at);
      if (Number.isFinite(at)) {
        // The date on the first event of each day, the time of day on the others.
        const d = new Date(at);
        time.dateTime = d.toISOString();
        time.textContent = d.toDateString() === day ? formatTime(d) : formatWhen(d);
        day = d.toDateString();
      } else {
        time.textContent = '—';
      }
      const what = document.createElement('span');
      what.textContent = describeEvent(m(), e, wasRead);
      li.append(time, what);
      return li;
    }),
  );
  const dropped = typeof s.dropped === 'number' ? s.dropped : 0;
  setText(byId('dropped'), dropped > 0 ? m().dropped(dropped) : '');
  show(byId('dropped'), dropped > 0);
}

function fail(err: unknown): void {
  if (err instanceof ApiError && err.code === 'not_found') {
    show(byId('status'), false);
    show(byId('history'), false);
    setAlert(errorBox, () => m().unknown);
    return;
  }
  setAlert(errorBox, () => describeError(err));
}

// The manage link of a split secret (docs/protocol.md §15) carries its shares after the secret's
// own token: `{token}~{share id}.{share token}~…`, in share order. Their states are listed below.
const [token = '', ...shareParts] = takeFragment().split('~');
const shares = shareParts.map((part) => part.split('.')).filter((p): p is [string, string] => p.length === 2 && /^[\w-]{22}$/.test(p[0]!) && /^[\w-]+$/.test(p[1]!));
/** Each share's status; null where the server no longer knows it. */
let shareStates: (StatusResponse | null)[] | null = null;

/** Each share's state, one line each; a share the server no longer knows says so. */
async function refreshShares(): Promise<void> {
  if (shares.length === 0) return;
  shareStates = await Promise.all(shares.map(([sid, stoken]) => api.status(sid, stoken).catch((): null => null)));
  renderShares();
}
function renderShares(): void {
  if (shareStates === null) return;
  const states = shareStates;
  byId('share-states').replaceChildren(
    ...states.map((st, i) => {
      const li = document.createElement('li');
      if (st?.state === 'consumed') li.className = 'read';
      li.textContent = m().shareState(i + 1, states.length, st === null ? m().shareUnknown : stateText(m(), st));
      return li;
    }),
  );
  show(byId('shares'));
}
// The history's lines are built, not marked: a language switch builds them again.
startI18n(() => {
  if (last !== null) renderHistory(last);
  renderShares();
});

// Live updates: while the secret waits, the page asks again every few seconds (and right after its
// expiry), only while it is visible; the status region is aria-live, so a change is announced.
const POLL_MS = 5_000;
let last: StatusResponse | null = null;
let timer: number | undefined;
let backoff = POLL_MS;

const changed = (a: StatusResponse | null, b: StatusResponse): boolean =>
  a === null || a.state !== b.state || a.viewsLeft !== b.viewsLeft || a.consumedAt !== b.consumedAt;

/** A new event (a link preview opened the link: the state stays the same). */
const historyChanged = (a: StatusResponse | null, b: StatusResponse): boolean => {
  const [x, y] = [a?.events?.at(-1), b.events?.at(-1)];
  return a === null || a.events?.length !== b.events?.length || a.dropped !== b.dropped || x?.at !== y?.at || x?.type !== y?.type;
};

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
    // Only the history re-renders when only it changed, so an open confirmation stays open.
    if (changed(last, s)) render(s);
    else if (historyChanged(last, s)) renderHistory(s);
    last = s;
    await refreshShares();
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
  await refreshShares();
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
