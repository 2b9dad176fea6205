// The stateless-link page (/l#1.… and /l#1p.…): everything happens here, nothing is sent. The
// fragment is taken out of the address bar at once; a press on "Reveal secret" decrypts it.
import { parseStatelessFragment } from '../protocol/links.js';
import { ProtocolError } from '../protocol/errors.js';
import { inWorker } from './crypto.js';
import { busy, byId, setAlert, setText, show, takeFragment, wireCopyButton } from './dom.js';
import { describeError, formatRemaining } from './format.js';

const form = byId('reveal-form', HTMLFormElement);
const button = byId('reveal', HTMLButtonElement);
const passphrase = byId('passphrase', HTMLInputElement);
const errorBox = byId('reveal-error');

function gone(text: string): void {
  show(form, false);
  setAlert(byId('gone'), text);
}

async function reveal(fragment: string, needsPassphrase: boolean): Promise<void> {
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
  byId('secret-text', HTMLTextAreaElement).value = opened.message;
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
  const fragment = takeFragment();
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
    busy(button, needsPassphrase ? 'Checking the passphrase…' : 'Decrypting…', () => reveal(fragment, needsPassphrase)).catch((err: unknown) => {
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

wireCopyButton(byId('copy', HTMLButtonElement), () => byId('secret-text', HTMLTextAreaElement));
main();
