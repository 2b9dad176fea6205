// The stateless-link page (/l#1.… and /l#1p.…): everything happens here, nothing is sent. The
// fragment is taken out of the address bar at once; a press on "Reveal secret" decrypts it.
// Leaving the page clears the secret and the link from it, so Back shows nothing.
import { parseStatelessFragment } from '../protocol/links.js';
import { ProtocolError } from '../protocol/errors.js';
import { inWorker, stopWorker } from './crypto.js';
import { busy, byId, setAlert, setText, show, takeFragment, wireCopyButton } from './dom.js';
import { describeError, formatRemaining } from './format.js';

const form = byId('reveal-form', HTMLFormElement);
const button = byId('reveal', HTMLButtonElement);
const passphrase = byId('passphrase', HTMLInputElement);
const errorBox = byId('reveal-error');
const secretText = byId('secret-text', HTMLTextAreaElement);

/** The link's fragment (the encrypted secret, and its key unless a passphrase guards it). */
let fragment: string | null = null;
/** Whether a secret is on the page. */
let shown = false;

function gone(text: string): void {
  show(form, false);
  setAlert(byId('gone'), text);
}

async function reveal(needsPassphrase: boolean): Promise<void> {
  if (fragment === null) return;
  if (needsPassphrase && passphrase.value === '') {
    setAlert(errorBox, 'Enter the passphrase the sender gave you.');
    passphrase.focus();
    return;
  }
  const opened = await inWorker({
    op: 'openStateless',
    fragment,
    nowMs: Date.now(),
    ...(needsPassphrase ? { passphrase: passphrase.value } : {}),
  });
  show(form, false);
  show(byId('intro'), false);
  fragment = null;
  passphrase.value = '';
  secretText.value = opened.message;
  shown = true;
  setText(
    byId('after'),
    opened.expiresAt === undefined
      ? 'This link has no expiry.'
      : `This link stays valid for ${formatRemaining(opened.expiresAt * 1000 - Date.now())} more; anyone holding it can open it until then.`,
  );
  show(byId('secret'));
  byId('secret-title').focus();
}

function main(): void {
  fragment = takeFragment();
  let needsPassphrase: boolean;
  try {
    needsPassphrase = parseStatelessFragment(fragment).kind === 'passphrase';
  } catch {
    gone('This link is incomplete or damaged: copy the whole link, including the part after “#”, and open it again.');
    return;
  }
  show(byId('passphrase-field'), needsPassphrase);
  show(form);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setAlert(errorBox, null);
    busy(button, needsPassphrase ? 'Checking the passphrase…' : 'Decrypting…', () => reveal(needsPassphrase)).catch((err: unknown) => {
      if (err instanceof ProtocolError && err.code === 'decryption_failed' && needsPassphrase) {
        setAlert(errorBox, 'Wrong passphrase, or the link is damaged. Check the passphrase and try again.');
        passphrase.select();
        return;
      }
      if (err instanceof ProtocolError && (err.code === 'expired' || err.code === 'unsupported_version')) {
        gone(describeError(err));
        return;
      }
      setAlert(errorBox, describeError(err));
    });
  });
  button.focus();
}

/** Leaving the page takes the secret out of it; Back then says so instead of showing it. */
function forget(): void {
  passphrase.value = '';
  stopWorker();
  if (!shown) return;
  secretText.value = '';
  show(byId('secret'), false);
  show(byId('intro'));
  gone('The secret was removed from this page when you left it. Open the link you were sent again to read it.');
  shown = false;
}

wireCopyButton(byId('copy', HTMLButtonElement), () => secretText, 'Secret');
addEventListener('pagehide', forget);
main();
