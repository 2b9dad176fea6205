// The sender's side of a request (/r/{id}#fingerprint): checks that the key and note the server
// hands out match the fingerprint in the link, then encrypts the secret to that key here and
// sends only the ciphertext. A mismatch means the server (or someone in between) swapped the
// key: nothing is sent.
import { ApiError } from '../client/api.js';
import { answerRequest, openRequestLink, type OpenedRequest } from '../client/requests.js';
import { ProtocolError } from '../protocol/errors.js';
import { busy, byId, setAlert, setText, show, takeFragment } from './dom.js';
import { describeError, formatRemaining } from './format.js';

const form = byId('respond-form', HTMLFormElement);
const errorBox = byId('respond-error');
const secret = byId('secret', HTMLTextAreaElement);

function gone(text: string): void {
  show(byId('checking'), false);
  show(form, false);
  setAlert(byId('gone'), () => text);
}

async function main(): Promise<void> {
  const fragment = takeFragment();
  let request: OpenedRequest;
  try {
    request = await openRequestLink(`${location.origin}${location.pathname}#${fragment}`);
  } catch (e) {
    if (e instanceof ProtocolError && e.code === 'key_mismatch') {
      gone('Stop: the key this server gives for the request does not match the link. Someone may be trying to read your answer. Nothing was sent; tell the requester.');
    } else if (e instanceof ProtocolError) {
      gone('This request link is incomplete or damaged: copy the whole link, including the part after “#”, and open it again.');
    } else if (e instanceof ApiError && e.code === 'not_found') {
      gone('This request is not available: it was answered, cancelled or has expired. Ask the requester for a new link.');
    } else {
      gone(describeError(e));
    }
    return;
  }
  if (request.state === 'answered') {
    gone('This request was already answered; it takes one answer only.');
    return;
  }
  show(byId('checking'), false);
  if (request.note !== '') {
    setText(byId('note'), request.note);
    show(byId('note-block'));
  }
  setText(byId('request-meta'), `The request expires in ${formatRemaining(Date.parse(request.expiresAt) - Date.now())}.`);
  show(form);
  secret.focus();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setAlert(errorBox, null);
    if (secret.value.trim() === '') {
      setAlert(errorBox, () => 'Write the secret to send first.');
      secret.focus();
      return;
    }
    busy(byId('send', HTMLButtonElement), 'Encrypting…', async () => {
      await answerRequest(request, secret.value);
      secret.value = '';
      show(form, false);
      show(byId('sent'));
    }).catch((e: unknown) => {
      if (e instanceof ApiError && e.code === 'not_found') {
        gone('This request is no longer available: it was answered, cancelled or has expired meanwhile.');
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
});
void main();
