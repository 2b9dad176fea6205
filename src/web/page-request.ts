// The requester's page (/request): makes a key pair here (the private key cannot be read out,
// even by this page), a request link to send, and then waits for the answer, which only this
// browser can decrypt. Pending requests survive a reload in IndexedDB, and only there.
import { HushApi } from '../client/api.js';
import { ApiError, ClientError } from '../client/errors.js';
import { createSecretRequest, pickupResponse, requestStatus, cancelSecretRequest } from '../client/requests.js';
import { useWorker, workerRunner } from './crypto.js';
import { apiBase, busy, byId, setAlert, show, wireCopyButton } from './dom.js';
import { describeError, formatRemaining } from './format.js';
import { deleteRequest, listRequests, saveRequest, type StoredRequest } from './request-store.js';
import { setMsg, startI18n, useMessages } from './i18n/index.js';
import { request as en } from './i18n/en.js';

useWorker(new URL('./worker-request.js', import.meta.url));

const t = useMessages({ request: en });
const m = (): typeof en => t().request;

const base = apiBase();
const form = byId('request-form', HTMLFormElement);
const errorBox = byId('request-error');
const POLL_MS = 4_000;

/** One line per pending request: what it asked, its state, and a cancel button. */
function renderPending(list: StoredRequest[], states: Map<string, () => string>): void {
  const ul = byId('pending-list');
  ul.replaceChildren();
  for (const r of list) {
    const li = document.createElement('li');
    const what = document.createElement('span');
    const state = states.get(r.id);
    setMsg(what, () =>
      m().line(r.note === '' ? m().untitled : `“${r.note.length > 60 ? `${r.note.slice(0, 60)}…` : r.note}”`, state === undefined ? m().waiting : state()),
    );
    const cancel = document.createElement('button');
    cancel.type = 'button';
    setMsg(cancel, () => m().cancel);
    cancel.addEventListener('click', () => {
      cancelSecretRequest(r)
        .catch((e: unknown) => {
          if (!(e instanceof ApiError && e.code === 'not_found')) throw e;
        })
        .then(() => deleteRequest(r.id))
        .then(() => check(), (e: unknown) => {
          setAlert(errorBox, () => describeError(e));
        });
    });
    li.append(what, cancel);
    ul.append(li);
  }
  show(byId('pending'), list.length > 0);
}

/** Shows an answer, then forgets the request and its key. */
function showAnswer(message: string): void {
  byId('answer-text', HTMLTextAreaElement).value = message;
  show(byId('answer'));
  byId('answer-title').focus();
}

let timer: number | undefined;
/** Asks about every stored request; picks up answered ones; drops those that are gone. */
async function check(): Promise<void> {
  window.clearTimeout(timer);
  const list = await listRequests();
  const states = new Map<string, () => string>();
  const left: StoredRequest[] = [];
  for (const r of list) {
    try {
      const s = await requestStatus(r);
      if (s.state === 'answered') {
        const got = await pickupResponse(r, workerRunner);
        await deleteRequest(r.id);
        showAnswer(got.message);
        continue;
      }
      const expiresMs = Date.parse(s.expiresAt);
      states.set(r.id, () => m().waitingFor(formatRemaining(expiresMs - Date.now())));
      left.push(r);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'not_found') {
        await deleteRequest(r.id); // expired or cancelled: nothing to wait for
        continue;
      }
      states.set(r.id, () => describeError(e));
      left.push(r);
    }
  }
  renderPending(left, states);
  if (left.length > 0 && !document.hidden) timer = window.setTimeout(() => void check().catch(report), POLL_MS);
}

const report = (e: unknown): void => {
  // This page has no Turnstile widget: on such a server, requests need the CLI and an API token.
  setAlert(errorBox, () => (e instanceof ClientError && e.code === 'challenge_unsupported' ? m().turnstile : describeError(e)));
};

form.addEventListener('submit', (event) => {
  event.preventDefault();
  setAlert(errorBox, null);
  const note = byId('note', HTMLTextAreaElement).value;
  const ttl = Number(byId('ttl', HTMLSelectElement).value);
  busy(byId('make', HTMLButtonElement), m().making, async () => {
    // On a sign-in server (HUSH_CREATE=oidc) the session authorises the request; signed out, the server says where to sign in.
    const api = new HushApi(base);
    const info = await api.info();
    const session = info.policy.create === 'oidc' ? await api.session() : null;
    const csrf = session?.signedIn === true ? session.csrf : undefined;
    const made = await createSecretRequest({ server: base, note, ttl, ...(csrf === undefined ? {} : { csrf }) }, workerRunner, info);
    await saveRequest({ id: made.id, server: made.server, token: made.token, expiresAt: made.expiresAt, note: made.note, link: made.link, keys: made.keys });
    byId('request-link', HTMLInputElement).value = made.link;
    byId('note', HTMLTextAreaElement).value = '';
    show(byId('made'));
    byId('made-title').focus();
    await check();
  }).catch(report);
});
document.addEventListener('visibilitychange', () => {
  if (!document.hidden) void check().catch(report);
});
wireCopyButton(byId('copy-request', HTMLButtonElement), () => byId('request-link', HTMLInputElement), () => m().linkWhat);
wireCopyButton(byId('copy-answer', HTMLButtonElement), () => byId('answer-text', HTMLTextAreaElement), () => m().secretWhat);
startI18n();
// The answer leaves the page with the page.
window.addEventListener('pagehide', () => {
  byId('answer-text', HTMLTextAreaElement).value = '';
  show(byId('answer'), false);
});
void check().catch(report);
