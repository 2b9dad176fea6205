// The reveal page. Opening it changes nothing: it reads the key from the fragment (then removes
// it from the address bar), peeks to learn whether a passphrase is needed, and waits for a person
// to press "Reveal secret". Only that press consumes the secret. Leaving the page clears the
// revealed secret from it, so Back (or the back/forward cache) shows nothing.
import { HushApi, ApiError } from '../client/api.js';
import type { PeekResponse } from '../protocol/api.js';
import { parseKeyFragment } from '../protocol/links.js';
import { openSecret, readAuth, readerKeys, type ReaderKeys } from '../protocol/secret.js';
import { b64uEncode } from '../protocol/b64u.js';
import { ProtocolError } from '../protocol/errors.js';
import type { Bytes } from '../protocol/bytes.js';
import { inWorker, stopWorker } from './crypto.js';
import { apiBase, busy, byId, setAlert, setText, show, takeFragment, wireCopyButton } from './dom.js';
import { describeError, formatRemaining, formatWhen, NOT_AVAILABLE, plural } from './format.js';

const api = new HushApi(apiBase());
const id = location.pathname.split('/').pop() ?? '';
const form = byId('reveal-form', HTMLFormElement);
const button = byId('reveal', HTMLButtonElement);
const passphrase = byId('passphrase', HTMLInputElement);
const errorBox = byId('reveal-error');
const secretText = byId('secret-text', HTMLTextAreaElement);

/** What the page holds between the peek and the press: the link key and what the peek said. */
let pending: { key: Bytes; peek: PeekResponse } | null = null;
/** Views left after this reveal, once a secret is shown (null: nothing shown yet). */
let shownViewsLeft: number | null = null;

/** The page's final state when there is nothing to reveal: one message, no form. */
function gone(text: string): void {
  show(form, false);
  show(byId('intro'), false);
  show(byId('meta'), false);
  setAlert(byId('gone'), text);
}

function describeMeta(peek: PeekResponse): string {
  const parts = [`Expires in ${formatRemaining(Date.parse(peek.expiresAt) - Date.now())}.`];
  parts.push(peek.viewsLeft === 1 ? 'It can be opened once.' : `It can be opened ${plural(peek.viewsLeft, 'more time')}.`);
  if (peek.notBefore !== undefined && Date.parse(peek.notBefore) > Date.now()) {
    parts.push(`The sender made it available from ${formatWhen(peek.notBefore)}; it cannot be opened before then.`);
  }
  return parts.join(' ');
}

async function reveal(): Promise<void> {
  if (pending === null) return;
  const { key, peek } = pending;
  let keys: ReaderKeys;
  if (peek.passphrase === null) {
    keys = await readerKeys(key);
  } else {
    if (passphrase.value === '') {
      setAlert(errorBox, 'Enter the passphrase the sender gave you.');
      passphrase.focus();
      return;
    }
    keys = await inWorker({ op: 'readerKeys', key: b64uEncode(key), passphrase: passphrase.value, params: peek.passphrase });
  }
  const res = await api.consume(id, { auth: keys.auth, ...(keys.passphraseProof === undefined ? {} : { passphraseProof: keys.passphraseProof }) });
  const opened = await openSecret(keys.encKey, res.ciphertext);
  pending = null; // the key is not needed any more
  passphrase.value = '';
  show(form, false);
  show(byId('intro'), false);
  show(byId('meta'), false);
  secretText.value = opened.message;
  shownViewsLeft = res.viewsLeft;
  setText(
    byId('after'),
    res.viewsLeft === 0
      ? 'It has now been deleted from the server; this page is the only place it is shown. Copy it before you leave.'
      : `It can be opened ${plural(res.viewsLeft, 'more time')} with the same link.`,
  );
  show(byId('secret'));
  byId('secret-title').focus();
}

async function main(): Promise<void> {
  let key: Bytes;
  try {
    key = parseKeyFragment(takeFragment());
  } catch {
    gone('This link is incomplete: the key after “#” is missing or damaged. Copy the whole link you were sent and open it again.');
    return;
  }
  let peek: PeekResponse;
  try {
    peek = await api.peek(id, await readAuth(key));
  } catch (err) {
    gone(err instanceof ApiError && err.code === 'not_found' ? NOT_AVAILABLE : describeError(err));
    return;
  }
  pending = { key, peek };
  let lastAttemptsLeft: number | undefined;
  setText(byId('meta'), describeMeta(peek));
  show(byId('meta'));
  show(byId('passphrase-field'), peek.passphrase !== null);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setAlert(errorBox, null);
    busy(button, peek.passphrase === null ? 'Decrypting…' : 'Checking the passphrase…', reveal).catch((err: unknown) => {
      if (err instanceof ApiError && (err.code === 'not_found' || (err.code === 'wrong_passphrase' && err.attemptsLeft === 0))) {
        // The server answers the attempt that burns a secret with not_found, like every later one.
        const burned = err.code === 'wrong_passphrase' || (peek.passphrase !== null && lastAttemptsLeft === 1);
        gone(burned ? 'Wrong passphrase, and no attempts were left: the secret has been destroyed. Ask the sender to share it again.' : NOT_AVAILABLE);
        return;
      }
      if (err instanceof ProtocolError) {
        // Consumed but not showable (sealed expiry passed, newer format, damaged): say why, once.
        gone(describeError(err));
        return;
      }
      if (err instanceof ApiError && err.code === 'wrong_passphrase') {
        lastAttemptsLeft = err.attemptsLeft;
        passphrase.select();
        passphrase.focus();
      }
      setAlert(errorBox, describeError(err));
    });
  });
  button.focus();
}

/**
 * Leaving the page takes the secret out of it: the text, the variables and the worker. If the
 * browser keeps the page in its back/forward cache, going Back shows this instead of the secret.
 */
function forget(): void {
  passphrase.value = '';
  stopWorker();
  if (shownViewsLeft === null) return;
  secretText.value = '';
  show(byId('secret'), false);
  gone(
    shownViewsLeft === 0
      ? 'The secret was removed from this page when you left it, and it has been deleted from the server. If you did not copy it, ask the sender to share it again.'
      : `The secret was removed from this page when you left it. It can be opened ${plural(shownViewsLeft, 'more time')} with the link you were sent.`,
  );
  shownViewsLeft = null;
}

wireCopyButton(byId('copy', HTMLButtonElement), () => secretText, 'Secret');
addEventListener('pagehide', forget);
void main();
