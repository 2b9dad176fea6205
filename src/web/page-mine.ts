// "My secrets" (docs/protocol.md §13): the secrets the signed-in person created, newest first —
// state, views left, expiry, who they are restricted to, and their history — with a revoke for
// those still waiting. The server shows each person only their own; this page holds no link, key
// or token, only what GET /api/v1/me/secrets answers and the session's CSRF value for revoking.
import { ApiError } from '../client/errors.js';
import type { StatusResponse } from '../protocol/api.js';
import { apiBase, busy, byId, setAlert, setText, show } from './dom.js';
import { describeError, formatWhen } from './format.js';
import { describeEvent, stateText } from './history.js';
import { setMsg, startI18n, useMessages } from './i18n/index.js';
import { manage as enManage, mine as enMine } from './i18n/en.js';

const t = useMessages({ manage: enManage, mine: enMine });
const base = apiBase();
const list = byId('mine-list');
const note = byId('mine-note');
const errorBox = byId('mine-error');

type Mine = StatusResponse & { id: string; createdAt: string };

async function call<T>(method: string, path: string, csrf?: string): Promise<T> {
  let res: Response;
  try {
    res = await fetch(base + path, { method, credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json', ...(csrf ? { 'x-hush-csrf': csrf } : {}) } });
  } catch {
    throw new ApiError(0, 'network_error', 'network');
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  if (!res.ok) throw new ApiError(res.status, (body?.error?.code ?? 'bad_response') as never, body?.error?.message ?? '');
  return body as T;
}

function button(className: string, label: () => string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  setMsg(b, label);
  return b;
}

function item(s: Mine, csrf: string): HTMLLIElement {
  const li = document.createElement('li');
  const title = document.createElement('h2');
  setMsg(title, () => t().mine.created(formatWhen(s.createdAt)));
  const facts = document.createElement('dl');
  facts.className = 'facts';
  const fact = (label: () => string, value: () => string): void => {
    const dt = document.createElement('dt');
    const dd = document.createElement('dd');
    setMsg(dt, label);
    setMsg(dd, value);
    facts.append(dt, dd);
  };
  fact(() => t().manage.state, () => stateText(t().manage, s));
  fact(() => t().manage.viewsLeft, () => String(s.viewsLeft));
  fact(() => t().mine.expires, () => formatWhen(s.expiresAt));
  if (s.restricted === true) fact(() => t().manage.opensFor, () => t().manage.onlyNamed);
  li.append(title, facts);
  if (Array.isArray(s.events) && s.events.length > 0) {
    const events = document.createElement('ol');
    events.className = 'events';
    const wasRead = s.events.some((e) => e.type === 'read');
    for (const e of s.events) {
      const row = document.createElement('li');
      const time = document.createElement('time');
      time.dateTime = e.at;
      setText(time, formatWhen(e.at));
      const what = document.createElement('span');
      setMsg(what, () => describeEvent(t().manage, e, wasRead));
      row.append(time, what);
      events.append(row);
    }
    li.append(events);
  }
  if (s.state === 'pending') {
    // Revoking cannot be undone: a first press asks, as the manage page does.
    const revoke = button('danger', () => t().manage.revoke);
    const confirmBox = document.createElement('div');
    confirmBox.className = 'confirm';
    confirmBox.setAttribute('role', 'group');
    confirmBox.hidden = true;
    const question = document.createElement('p');
    setMsg(question, () => t().manage.confirm);
    const yes = button('danger', () => t().manage.yes);
    const no = button('', () => t().manage.no);
    confirmBox.append(question, yes, no);
    revoke.addEventListener('click', () => {
      show(confirmBox);
      show(revoke, false);
      no.focus();
    });
    no.addEventListener('click', () => {
      show(confirmBox, false);
      show(revoke);
      revoke.focus();
    });
    yes.addEventListener('click', () => {
      busy(yes, t().manage.revoking, () => call<undefined>('DELETE', `/api/v1/me/secrets/${encodeURIComponent(s.id)}`, csrf))
        .then(load)
        .catch((err: unknown) => setAlert(errorBox, () => describeError(err)));
    });
    li.append(revoke, confirmBox);
  }
  return li;
}

async function load(): Promise<void> {
  setAlert(errorBox, null);
  let session: { signedIn: boolean; csrf?: string };
  try {
    session = await call('GET', '/api/v1/session');
  } catch (err) {
    // No sign-in on this server (the route is not there) or it cannot be reached.
    setMsg(note, () => (err instanceof ApiError && err.status === 404 ? t().mine.noSignIn : describeError(err)));
    show(note);
    return;
  }
  if (!session.signedIn || session.csrf === undefined) {
    const link = document.createElement('a');
    link.href = `${base}/auth/login`;
    setMsg(link, () => t().mine.signIn);
    note.replaceChildren(link);
    show(note);
    return;
  }
  const csrf = session.csrf;
  const { secrets } = await call<{ secrets: Mine[] }>('GET', '/api/v1/me/secrets');
  show(note, secrets.length === 0);
  if (secrets.length === 0) setMsg(note, () => t().mine.none);
  list.replaceChildren(...secrets.map((s) => item(s, csrf)));
  show(list, secrets.length > 0);
}

startI18n();
load().catch((err: unknown) => setAlert(errorBox, () => describeError(err)));
