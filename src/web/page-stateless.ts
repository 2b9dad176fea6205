// The stateless-link page (/l#1.… and /l#1p.…): everything happens here, nothing is sent. The
// fragment is taken out of the address bar at once; a press on "Reveal secret" decrypts it.
// Leaving the page clears the secret and the link from it, so Back shows nothing.
import { ProtocolError } from '../client/errors.js';
import { unsealFragment } from '../client/open.js';
import { parseStatelessFragment } from '../protocol/links.js';
import { stopWorker, useWorker, workerRunner } from './crypto.js';
import { showReceived } from './files.js';
import { busy, byId, setAlert, show, takeFragment, wireCopyButton } from './dom.js';
import { describeError, formatRemaining } from './format.js';
import { setMsg, startI18n, useMessages } from './i18n/index.js';
import { open as enOpen, stateless as enStateless } from './i18n/en.js';

useWorker(new URL('./worker-open.js', import.meta.url));

const t = useMessages({ open: enOpen, stateless: enStateless });
const m = (): typeof enStateless => t().stateless;

const form = byId('reveal-form', HTMLFormElement);
const button = byId('reveal', HTMLButtonElement);
const passphrase = byId('passphrase', HTMLInputElement);
const errorBox = byId('reveal-error');
const secretText = byId('secret-text', HTMLTextAreaElement);

/** The link's fragment (the encrypted secret, and its key unless a passphrase guards it). */
let fragment: string | null = null;
/** Whether a secret is on the page. */
let shown = false;
/** Takes the shown secret (text and files) off the page again. */
let unshow = (): void => undefined;

function gone(text: () => string): void {
  show(form, false);
  setAlert(byId('gone'), text);
}

async function reveal(needsPassphrase: boolean): Promise<void> {
  if (fragment === null) return;
  if (needsPassphrase && passphrase.value === '') {
    setAlert(errorBox, () => t().open.enterPassphrase);
    passphrase.focus();
    return;
  }
  const opened = await unsealFragment(fragment, { passphrase: needsPassphrase ? passphrase.value : undefined }, workerRunner);
  show(form, false);
  show(byId('intro'), false);
  fragment = null;
  passphrase.value = '';
  unshow = showReceived(secretText, opened);
  shown = true;
  const expiresAt = opened.sealedExpiresAt;
  setMsg(byId('after'), () => (expiresAt === undefined ? m().noExpiry : m().validFor(formatRemaining(expiresAt * 1000 - Date.now()))));
  show(byId('secret'));
  byId('secret-title').focus();
}

function main(): void {
  fragment = takeFragment();
  let needsPassphrase: boolean;
  try {
    needsPassphrase = parseStatelessFragment(fragment).kind === 'passphrase';
  } catch {
    gone(() => m().damaged);
    return;
  }
  show(byId('passphrase-field'), needsPassphrase);
  show(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setAlert(errorBox, null);
    busy(button, needsPassphrase ? t().open.checking : t().open.decrypting, () => reveal(needsPassphrase)).catch((err: unknown) => {
      if (err instanceof ProtocolError && err.code === 'decryption_failed' && needsPassphrase) {
        setAlert(errorBox, () => m().wrong);
        passphrase.select();
        return;
      }
      if (err instanceof ProtocolError && (err.code === 'expired' || err.code === 'unsupported_version')) {
        gone(() => describeError(err));
        return;
      }
      setAlert(errorBox, () => describeError(err));
    });
  });
  button.focus();
}

/** Leaving the page takes the secret out of it; Back then says so instead of showing it. */
function forget(): void {
  passphrase.value = '';
  stopWorker();
  if (!shown) return;
  unshow();
  show(byId('secret'), false);
  show(byId('intro'));
  gone(() => m().left);
  shown = false;
}

wireCopyButton(byId('copy', HTMLButtonElement), () => secretText, () => t().open.secret);
startI18n();
addEventListener('pagehide', forget);
main();
