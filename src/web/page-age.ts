// The age page (/a): a stored secret whose link key is wrapped to the reader's own age key
// (docs/protocol.md §14), opened with their age identity file. The link arrives in the fragment
// (…/a#<the age link>, from the reveal page) and leaves the address bar at once. The reader
// chooses their identity file; it is read in this page (File.text()), never uploaded, and the key
// is unwrapped here with age-encryption (src/client/age.ts) before any request: no identity, a
// wrong one, a damaged link or a file Hush cannot use ends in a message, with nothing sent and
// nothing used up. The unwrapped key goes to the reveal page of the same secret, as a plain key
// link (location.replace: this page leaves no history entry), which then peeks, asks for a code
// or a passphrase, and waits for "Reveal secret" as for any link. The identity's text and the key
// are dropped after each attempt and when the page is left.
import { ageFileLines, ageIdentityKind, checkAgeIdentities, unwrapLinkKey } from '../client/age.js';
import { ClientError, ProtocolError } from '../client/errors.js';
import { b64uEncode } from '../protocol/b64u.js';
import { parseStoredSecretLink } from '../protocol/links.js';
import { apiBase, busy, byId, Refused, setAlert, show, takeFragment } from './dom.js';
import { describeError } from './format.js';
import { startI18n, useMessages } from './i18n/index.js';
import { age as enAge } from './i18n/en.js';

const t = useMessages({ age: enAge });
const m = (): typeof enAge => t().age;

/** An identity file is a few hundred bytes; anything much larger is not one, and is not read. */
const MAX_IDENTITY_FILE_BYTES = 64 * 1024;

const form = byId('identity-form', HTMLFormElement);
const input = byId('identity', HTMLInputElement);
const button = byId('unlock', HTMLButtonElement);
const errorBox = byId('identity-error');

/** The secret to open: its id and the age file its link carries. Null once the page is left, or when there is none. */
let secret: { id: string; ageFile: Uint8Array } | null = null;

/** The identities in the chosen file, checked with the age library; Refused for anything else. */
async function readIdentities(file: File): Promise<string[]> {
  if (file.size > MAX_IDENTITY_FILE_BYTES) throw new Refused(() => m().notIdentity);
  const lines = ageFileLines(await file.text());
  if (lines.length === 0) throw new Refused(() => m().notIdentity);
  for (const { value } of lines) {
    const kind = ageIdentityKind(value);
    if (kind === 'passphrase-protected') throw new Refused(() => m().passphraseProtected);
    if (kind === 'ssh') throw new Refused(() => m().ssh);
    if (kind === 'plugin') throw new Refused(() => m().plugin);
    // The library's post-quantum code is not in this page (src/web/age-stubs.ts).
    if (kind === 'post-quantum') throw new Refused(() => m().postQuantum);
  }
  try {
    return checkAgeIdentities(lines.map(({ value, line }) => ({ value, where: `line ${String(line)}` })));
  } catch {
    throw new Refused(() => m().notIdentity);
  }
}

/** Unwraps the link key with the chosen file and hands the plain key link to the reveal page. */
async function unlock(): Promise<void> {
  if (secret === null) return;
  const file = input.files?.[0];
  if (file === undefined) throw new Refused(() => m().chooseFile);
  const { id, ageFile } = secret;
  let key: Uint8Array;
  try {
    key = await unwrapLinkKey(ageFile, await readIdentities(file));
  } catch (err) {
    if (err instanceof ClientError && err.code === 'wrong_identity') throw new Refused(() => m().wrongIdentity);
    if (err instanceof ProtocolError && err.code === 'invalid_link') throw new Refused(() => m().damaged);
    throw err;
  }
  // The reveal page of the same secret, relative to this page (so an instance under a path prefix
  // works), keeping a chosen ?lang=; it takes the key out of the address bar as it loads.
  const target = `s/${id}${location.search}#${b64uEncode(key)}`;
  key.fill(0);
  forget();
  location.replace(target);
}

/** The page's final state when there is nothing to open: one message, no form. */
function gone(say: () => string): void {
  show(form, false);
  show(byId('intro'), false);
  setAlert(byId('gone'), say);
}

/** Takes the link and the chosen file out of the page (after use, and when it is left). */
function forget(): void {
  secret = null;
  input.value = '';
}

/** Leaving the page forgets the link: Back (the back/forward cache) then says so instead of offering the form. */
function left(): void {
  if (secret === null) return;
  forget();
  gone(() => m().left);
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  setAlert(errorBox, null);
  busy(button, m().unlocking, unlock).catch((err: unknown) => {
    setAlert(errorBox, err instanceof Refused ? err.say : () => describeError(err));
    // Whatever the file was, it is not kept: the reader chooses again.
    input.value = '';
    input.focus();
  });
});

startI18n();
addEventListener('pagehide', left);

// The link, handed over in the fragment (from the reveal page): taken out of the address bar at once.
const handed = takeFragment();
if (handed === '') {
  gone(() => m().noLink);
} else {
  try {
    const link = parseStoredSecretLink(decodeURIComponent(handed));
    if (link.kind !== 'age') throw new Error('not an age link');
    // Another server's secret opens there; this page would hand its key to the wrong reveal page.
    if (link.origin !== apiBase()) {
      gone(() => m().otherServer);
    } else {
      secret = { id: link.id, ageFile: link.ageFile };
      show(form);
      input.focus();
    }
  } catch {
    gone(() => m().notAgeLink);
  }
}
