// The sender's side of a request (/r/{id}#fingerprint): checks that the key and note the server
// hands out match the fingerprint in the link, then encrypts the secret to that key here and
// sends only the ciphertext. A mismatch means the server (or someone in between) swapped the
// key: nothing is sent.
import { ApiError, ProtocolError } from '../client/errors.js';
import { answerRequest, openRequestLink, type OpenedRequest } from '../client/requests.js';
import { stopWorker, useWorker, workerRunner } from './crypto.js';
import { busy, byId, setAlert, setText, show, takeFragment } from './dom.js';
import { describeError, formatRemaining } from './format.js';
import { setMsg, startI18n, useMessages } from './i18n/index.js';
import { respond as en } from './i18n/en.js';

useWorker(new URL('./worker-request.js', import.meta.url));

const t = useMessages({ respond: en });
const m = (): typeof en => t().respond;

const form = byId('respond-form', HTMLFormElement);
const errorBox = byId('respond-error');
const secret = byId('secret', HTMLTextAreaElement);

function gone(say: () => string): void {
  show(byId('checking'), false);
  show(form, false);
  setAlert(byId('gone'), say);
}

async function main(): Promise<void> {
  const fragment = takeFragment();
  let request: OpenedRequest;
  try {
    request = await openRequestLink(`${location.origin}${location.pathname}#${fragment}`, {}, workerRunner);
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'key_mismatch') {
      gone(() => m().mismatch);
    } else if (e instanceof ProtocolError) {
      gone(() => m().damaged);
    } else if (e instanceof ApiError && e.code === 'not_found') {
      gone(() => m().notAvailable);
    } else {
      gone(() => describeError(e));
    }
    return;
  }
  if (request.state === 'answered') {
    gone(() => m().answered);
    return;
  }
  show(byId('checking'), false);
  if (request.note !== '') {
    setText(byId('note'), request.note);
    show(byId('note-block'));
  }
  const expiresMs = Date.parse(request.expiresAt);
  setMsg(byId('request-meta'), () => m().expiresIn(formatRemaining(expiresMs - Date.now())));
  show(form);
  secret.focus();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setAlert(errorBox, null);
    if (secret.value.trim() === '') {
      setAlert(errorBox, () => m().empty);
      secret.focus();
      return;
    }
    busy(byId('send', HTMLButtonElement), m().sending, async () => {
      await answerRequest(request, secret.value, {}, workerRunner);
      secret.value = '';
      show(form, false);
      show(byId('sent'));
    }).catch((e: unknown) => {
      if (e instanceof ApiError && e.code === 'not_found') {
        gone(() => m().goneMeanwhile);
        return;
      }
      setAlert(errorBox, () => describeError(e));
    });
  });
  secret.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}

window.addEventListener('pagehide', () => {
  secret.value = '';
  stopWorker();
});
startI18n();
void main();
