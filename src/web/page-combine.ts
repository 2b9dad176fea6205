// The combine page (/c): a secret split between several people (docs/protocol.md §15), opened
// from enough of its share links. Shares are added one by one and held in this page only: each is
// read, checked to belong with those added before, and peeked — which uses nothing up — so a share
// that is gone is refused before anything is spent. Once k are in, "Reveal secret" consumes k of
// them, rebuilds the key, checks it, and opens the secret itself. A share link can also arrive in
// the fragment (…/c#<share link>, from the reveal page of a share link). Leaving the page forgets
// the shares, the rebuilt key and the secret.
import { HushApi } from '../client/api.js';
import { ApiError, ClientError, ProtocolError } from '../client/errors.js';
import { openStoredLink } from '../client/open.js';
import { recoverVault } from '../client/split.js';
import { parseShareLink, type ShareLink } from '../protocol/links.js';
import { stopWorker, useWorker, workerRunner } from './crypto.js';
import { showReceived } from './files.js';
import { apiBase, busy, byId, Refused, setAlert, show, takeFragment, wireCopyButton } from './dom.js';
import { describeError } from './format.js';
import { forgetMsg, setLabel, setMsg, startI18n, useMessages } from './i18n/index.js';
import { combine as enCombine, open as enOpen } from './i18n/en.js';

useWorker(new URL('./worker-open.js', import.meta.url));

const t = useMessages({ combine: enCombine, open: enOpen });
const m = (): typeof enCombine => t().combine;

const addForm = byId('add-form', HTMLFormElement);
const shareInput = byId('share-link', HTMLInputElement);
const addButton = byId('add', HTMLButtonElement);
const addError = byId('add-error');
const list = byId('share-list');
const progress = byId('progress');
const revealForm = byId('reveal-form', HTMLFormElement);
const revealButton = byId('reveal', HTMLButtonElement);
const passphrase = byId('passphrase', HTMLInputElement);
const revealError = byId('reveal-error');
const secretText = byId('secret-text', HTMLTextAreaElement);
const server = apiBase();
const api = new HushApi(server);

interface Added {
  text: string;
  link: ShareLink;
  needsPassphrase: boolean;
}
let shares: Added[] = [];
/** The secret's own link, once k shares have rebuilt its key: kept so that a failed open can be tried again without them. */
let vaultLink: string | null = null;
/** Takes a shown secret off the page again; null while none is shown. */
let unshow: (() => void) | null = null;

/** Reads, checks and peeks one share link; adds it, or throws Refused. */
async function add(text: string): Promise<void> {
  let link: ShareLink;
  try {
    link = parseShareLink(text);
  } catch {
    throw new Refused(() => m().notShare);
  }
  // The origin with the path prefix this Hush is served under (apiBase): another prefix is another Hush.
  if (link.origin !== server) throw new Refused(() => m().otherServer);
  if (shares.some((s) => s.link.id === link.id)) throw new Refused(() => m().duplicate);
  const first = shares[0];
  if (first !== undefined && (first.link.vault !== link.vault || first.link.k !== link.k)) throw new Refused(() => m().otherSecret);
  let needsPassphrase: boolean;
  try {
    needsPassphrase = (await api.peek(link.id, await workerRunner.readAuth(link.key))).passphrase !== null;
  } catch (err) {
    if (err instanceof ApiError && err.code === 'not_found') throw new Refused(() => m().shareGone);
    throw err;
  }
  shares.push({ text, link, needsPassphrase });
  render();
}

/** The list of shares, the count still needed, and the form that opens the secret once there are enough. */
function render(): void {
  for (const el of Array.from(list.querySelectorAll<HTMLElement>('li *'))) forgetMsg(el);
  list.replaceChildren();
  shares.forEach((share, i) => {
    const item = document.createElement('li');
    const label = document.createElement('span');
    // The share's own id, shortened: data, set as text, isolated so a right-to-left page keeps its order.
    setMsg(label, () => `${m().share(i + 1)} · \u2068${share.link.id.slice(0, 6)}…\u2069`);
    const remove = document.createElement('button');
    remove.type = 'button';
    setMsg(remove, () => m().removeLabel);
    setLabel(remove, () => m().remove(i + 1));
    remove.addEventListener('click', () => {
      shares = shares.filter((s) => s !== share);
      render();
      shareInput.focus();
    });
    item.append(label, remove);
    list.append(item);
  });
  const k = shares[0]?.link.k ?? 0;
  show(byId('shares-block'), shares.length > 0);
  show(progress, shares.length > 0);
  setMsg(progress, () => (shares.length >= k ? m().ready(k) : m().progress(shares.length, k)));
  const enough = shares.length > 0 && shares.length >= k;
  show(byId('passphrase-field'), enough && shares.some((s) => s.needsPassphrase));
  show(revealForm, enough);
}

async function reveal(): Promise<void> {
  const needsPassphrase = shares.some((s) => s.needsPassphrase);
  if (vaultLink === null && needsPassphrase && passphrase.value === '') {
    setAlert(revealError, () => t().open.enterPassphrase);
    passphrase.focus();
    return;
  }
  if (vaultLink === null) {
    const recovered = await recoverVault(
      shares.map((s) => s.text),
      { server, passphrase: needsPassphrase ? passphrase.value : undefined },
      workerRunner,
    );
    // The shares are used up now: from here on only the rebuilt link opens the secret.
    vaultLink = recovered.vaultLink;
    shares = [];
    render();
    show(revealForm);
    show(byId('passphrase-field'), false);
    show(addForm, false);
  }
  const opened = await openStoredLink(vaultLink, { server }, workerRunner);
  vaultLink = null;
  passphrase.value = '';
  show(revealForm, false);
  show(addForm, false);
  show(byId('intro'), false);
  show(progress, false);
  unshow = showReceived(secretText, opened);
  setMsg(byId('after'), () => m().opened);
  show(byId('secret'));
  byId('secret-title').focus();
}

/** What a failure to open means to the reader, by what failed. */
function describeFailure(err: unknown): () => string {
  if (err instanceof ClientError && err.code === 'not_enough_shares') return () => m().notEnough;
  if (err instanceof ProtocolError && err.code === 'share_mismatch') return () => m().mismatch;
  if (err instanceof ApiError && err.code === 'not_found' && vaultLink !== null) return () => m().vaultGone;
  return () => describeError(err);
}

addForm.addEventListener('submit', (event) => {
  event.preventDefault();
  setAlert(addError, null);
  const text = shareInput.value.trim();
  if (text === '') return;
  busy(addButton, m().adding, () => add(text)).then(
    () => {
      shareInput.value = '';
      shareInput.focus();
    },
    (err: unknown) => {
      setAlert(addError, err instanceof Refused ? err.say : () => describeError(err));
      shareInput.select();
    },
  );
});

revealForm.addEventListener('submit', (event) => {
  event.preventDefault();
  setAlert(revealError, null);
  busy(revealButton, t().open.decrypting, reveal).catch((err: unknown) => {
    if (err instanceof ClientError && err.code === 'passphrase_required') {
      show(byId('passphrase-field'));
      setAlert(revealError, () => t().open.enterPassphrase);
      passphrase.focus();
      return;
    }
    setAlert(revealError, describeFailure(err));
    if (err instanceof ApiError && err.code === 'not_found' && vaultLink !== null) {
      vaultLink = null;
      show(revealForm, false);
    }
  });
});

/** Leaving the page takes the shares, the rebuilt link and the secret out of it. */
function forget(): void {
  shares = [];
  vaultLink = null;
  passphrase.value = '';
  shareInput.value = '';
  stopWorker();
  render();
  if (unshow === null) return;
  unshow();
  unshow = null;
  show(byId('secret'), false);
  setAlert(byId('gone'), () => m().left);
}

wireCopyButton(byId('copy', HTMLButtonElement), () => secretText, () => t().open.secret);
startI18n();
addEventListener('pagehide', forget);

// A share handed over in the fragment (from the reveal page): taken out of the address bar at once.
const handed = takeFragment();
if (handed !== '') {
  let text = '';
  try {
    text = decodeURIComponent(handed);
  } catch {
    // not a link: said below
  }
  shareInput.value = text;
  addForm.requestSubmit();
} else {
  shareInput.focus();
}
