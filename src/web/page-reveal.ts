// The reveal page. Opening it changes nothing: it reads the key from the fragment (then removes
// it from the address bar), peeks to learn whether a passphrase is needed, and waits for a person
// to press "Reveal secret". Only that press consumes the secret. Leaving the page clears the
// revealed secret from it, so Back (or the back/forward cache) shows nothing.
import { SecretReader } from '../client/api.js';
import { ApiError, ProtocolError } from '../client/errors.js';
import { consumeSecret, peekSecret, requestSecretCode, type StoredSecretRef } from '../client/open.js';
import { AUTOMATION_HEADER, type PeekResponse } from '../protocol/api.js';
import { isAgeFragment, isShareFragment, parseKeyFragment } from '../protocol/links.js';
import { stopWorker, useWorker, workerRunner } from './crypto.js';
import { showReceived } from './files.js';
import { apiBase, busy, byId, setAlert, show, takeFragment, wireCopyButton } from './dom.js';
import { describeError, formatRemaining, formatWhen } from './format.js';
import { c, sentenceGap, setMsg, startI18n, useMessages } from './i18n/index.js';
import { open as enOpen, reveal as enReveal } from './i18n/en.js';

useWorker(new URL('./worker-open.js', import.meta.url));

const t = useMessages({ open: enOpen, reveal: enReveal });
const m = (): typeof enReveal => t().reveal;

/**
 * An automated browser (navigator.webdriver: a scanner driving headless Chromium, a test) says so
 * on the page's peek and consume, so the sender's history names a scanner rather than a person
 * (docs/protocol.md §9). The header goes through the API client's fetch, the one place the page calls.
 */
const automatedFetch: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set(AUTOMATION_HEADER, '1');
  return fetch(input, { ...init, headers });
};
const api = new SecretReader(apiBase(), navigator.webdriver ? automatedFetch : undefined);
const id = location.pathname.split('/').pop() ?? '';
const form = byId('reveal-form', HTMLFormElement);
const button = byId('reveal', HTMLButtonElement);
const passphrase = byId('passphrase', HTMLInputElement);
const errorBox = byId('reveal-error');
const secretText = byId('secret-text', HTMLTextAreaElement);
// A secret only named people can open (docs/protocol.md §12): the address a code goes to, the code.
const codeForm = byId('code-form', HTMLFormElement);
const email = byId('email', HTMLInputElement);
const sendCode = byId('send-code', HTMLButtonElement);
const codeInput = byId('code', HTMLInputElement);
codeForm.addEventListener('submit', (event) => event.preventDefault());
// Until the peek has answered there is nothing to reveal: a press then would submit the form the
// browser's way, reloading the page without the key (already taken off the address bar). The
// button waits, disabled, and no submit ever leaves the page.
button.disabled = true;
form.addEventListener('submit', (event) => event.preventDefault());

/** What the page holds between the peek and the press: the secret (with its link key) and what the peek said. */
let pending: { ref: StoredSecretRef; peek: PeekResponse } | null = null;
/** Views left after this reveal, once a secret is shown (null: nothing shown yet). */
let shownViewsLeft: number | null = null;
/** Takes the shown secret (text and files) off the page again. */
let unshow = (): void => undefined;

/** The page's final state when there is nothing to reveal: one message, no form. */
function gone(text: () => string): void {
  show(form, false);
  show(byId('intro'), false);
  show(byId('meta'), false);
  setAlert(byId('gone'), text);
}

function describeMeta(peek: PeekResponse): string {
  const parts = [m().expiresIn(formatRemaining(Date.parse(peek.expiresAt) - Date.now()))];
  parts.push(peek.viewsLeft === 1 ? m().once : m().moreTimes(peek.viewsLeft));
  if (peek.notBefore !== undefined && Date.parse(peek.notBefore) > Date.now()) {
    parts.push(m().notBefore(formatWhen(peek.notBefore)));
  }
  return parts.join(sentenceGap());
}

async function reveal(): Promise<void> {
  if (pending === null) return;
  const { ref, peek } = pending;
  const code = codeInput.value.replace(/\s+/g, '');
  if (peek.restricted === true && !/^[0-9]{6}$/.test(code)) {
    setAlert(errorBox, () => m().enterCode);
    codeInput.focus();
    return;
  }
  if (peek.passphrase !== null && passphrase.value === '') {
    setAlert(errorBox, () => t().open.enterPassphrase);
    passphrase.focus();
    return;
  }
  const opened = await consumeSecret(
    ref,
    peek,
    { passphrase: peek.passphrase === null ? undefined : passphrase.value, code: peek.restricted === true ? code : undefined },
    workerRunner,
  );
  pending = null; // the key is not needed any more
  passphrase.value = '';
  codeInput.value = '';
  show(codeForm, false);
  show(form, false);
  show(byId('intro'), false);
  show(byId('meta'), false);
  unshow = showReceived(secretText, opened);
  const left = opened.viewsLeft;
  shownViewsLeft = left;
  setMsg(byId('after'), () => (left === 0 ? m().deleted : m().moreWithLink(left)));
  show(byId('secret'));
  byId('secret-title').focus();
}


async function main(): Promise<void> {
  // A key wrapped to the reader's age key (docs/protocol.md §14), or one share of a split secret
  // (§15): nothing to send here. The link stays in the address bar (for hush open --identity, or
  // unused) and is handed to the page that opens it: /a with the reader's identity file, /c with
  // the other shares.
  const fragment = location.hash.slice(1);
  const to = isAgeFragment(fragment) ? 'age' : isShareFragment(fragment) ? 'combine' : null;
  if (to !== null) {
    gone(() => (to === 'age' ? m().ageKey : m().shareKey));
    // #age-link (to /a) or #combine-link (to /c), in #age or #combine: the page's address comes
    // from the HTML (src/web/chrome/open.html), the link it opens goes in its fragment.
    const link = byId(`${to}-link`);
    link.setAttribute('href', `${link.getAttribute('href') ?? ''}#${encodeURIComponent(location.href)}`);
    show(byId(to));
    return;
  }
  let ref: StoredSecretRef;
  try {
    ref = { api, id, key: parseKeyFragment(takeFragment()) };
  } catch {
    gone(() => m().badKey);
    return;
  }
  let peek: PeekResponse;
  try {
    peek = await peekSecret(ref, workerRunner);
  } catch (err) {
    gone(() => (err instanceof ApiError && err.code === 'not_found' ? c().notAvailable : describeError(err)));
    return;
  }
  pending = { ref, peek };
  let lastAttemptsLeft: number | undefined;
  let lastCodeAttemptsLeft: number | undefined;
  setMsg(byId('meta'), () => describeMeta(peek));
  show(byId('meta'));
  show(byId('passphrase-field'), peek.passphrase !== null);
  if (peek.restricted === true) wireCode(ref, peek.signIn === true);
  button.disabled = false;
  form.addEventListener('submit', () => {
    setAlert(errorBox, null);
    busy(button, peek.passphrase === null ? t().open.decrypting : t().open.checking, reveal).catch((err: unknown) => {
      if (err instanceof ApiError && (err.code === 'not_found' || (err.code === 'wrong_passphrase' && err.attemptsLeft === 0))) {
        // The server answers the attempt that burns a secret with not_found, like every later one.
        const burnedByCode = lastCodeAttemptsLeft === 1;
        const burned = err.code === 'wrong_passphrase' || (peek.passphrase !== null && lastAttemptsLeft === 1);
        gone(() => (burnedByCode ? m().burnedCode : burned ? m().burned : c().notAvailable));
        return;
      }
      if (err instanceof ApiError && err.code === 'wrong_code') {
        lastCodeAttemptsLeft = err.attemptsLeft;
        codeInput.select();
        codeInput.focus();
      }
      if (err instanceof ProtocolError) {
        // Consumed but not showable (sealed expiry passed, newer format, damaged): say why, once.
        gone(() => describeError(err));
        return;
      }
      if (err instanceof ApiError && err.code === 'wrong_passphrase') {
        lastAttemptsLeft = err.attemptsLeft;
        passphrase.select();
        passphrase.focus();
      }
      setAlert(errorBox, () => describeError(err));
    });
  });
  if (peek.restricted !== true) button.focus();
}

/** The code steps: the address form asks the server to mail a code; the code goes with the reveal. */
function wireCode(ref: StoredSecretRef, signIn: boolean): void {
  show(codeForm);
  show(byId('code-field'));
  show(byId('code-signin'), signIn);
  const codeError = byId('code-error');
  const sent = byId('code-sent');
  codeForm.addEventListener('submit', () => {
    setAlert(codeError, null);
    const address = email.value.trim();
    // The browser's own check of type=email; the server checks the address again.
    if (!email.validity.valid || !address.includes('@')) {
      setAlert(codeError, () => m().enterEmail);
      email.focus();
      return;
    }
    busy(sendCode, m().sending, async () => {
      // Signed in as a listed address: the code comes back here instead of by mail.
      const r = await requestSecretCode(ref, address, workerRunner);
      if (!r.sent) codeInput.value = r.code;
      setMsg(sent, () => (r.sent ? m().codeSent(address) : m().codeGiven(address)));
      show(sent);
      sendCode.setAttribute('data-i18n', 'reveal.sendNewCode'); // busy() restores the label from its key
      codeInput.focus();
      // Signed in as an address not named (403 not_recipient): said in the page's language.
    }).catch((err: unknown) => setAlert(codeError, () => (err instanceof ApiError && err.code === 'not_recipient' ? m().notRecipient(address) : describeError(err))));
  });
  email.focus();
}

/**
 * Leaving the page takes the secret out of it: the text, the variables and the worker. If the
 * browser keeps the page in its back/forward cache, going Back shows this instead of the secret.
 */
function forget(): void {
  passphrase.value = '';
  codeInput.value = '';
  stopWorker();
  if (shownViewsLeft === null) return;
  unshow();
  show(byId('secret'), false);
  const left = shownViewsLeft;
  gone(() => (left === 0 ? m().leftDeleted : m().leftMore(left)));
  shownViewsLeft = null;
}

wireCopyButton(byId('copy', HTMLButtonElement), () => secretText, () => t().open.secret);
startI18n();
addEventListener('pagehide', forget);
void main();
