// The create page: encrypts in the browser (the worker does the slow parts), stores the
// ciphertext (or makes a stateless link), and shows the link and the sender's manage link.
import { HushApi, type ServerInfo } from '../client/api.js';
import { ClientError } from '../client/errors.js';
import { sealLink, sendSecret, type SendOptions } from '../client/send.js';
import { sendSplit } from '../client/split.js';
import { MAX_STATELESS_LINK } from '../protocol/stateless.js';
import { MAX_RECIPIENTS, normalizeRecipient } from '../protocol/recipients.js';
import { MIN_CONTAINER_BYTES } from '../protocol/container.js';
import type { EnvelopeFile } from '../protocol/envelope.js';
import { setupAttachments, UnreadableFile } from './attach.js';
import { parseDuration } from '../shared/duration.js';
import { stopWorker, useWorker, workerRunner } from './crypto.js';
import { apiBase, busy, byId, setAlert, setText, show, wireCopyButton } from './dom.js';
import { describeError, formatRemaining, formatSize, formatWhen } from './format.js';
import { qrSvg, shortLink } from './share.js';
import { loadTurnstile, type TurnstileWidget } from './turnstile.js';
import { SignIn } from './signin.js';
import { clearSplitResult, setupSplit, showSplitResult, splitChosen, splitCounts } from './create-split.js';
import { locale, sentenceGap, setMsg, startI18n, unit, useMessages } from './i18n/index.js';
import { create as en } from './i18n/en.js';

useWorker(new URL('./worker-crypto.js', import.meta.url));

const t = useMessages({ create: en });
const m = (): typeof en => t().create;

const api = new HushApi(apiBase());
const form = byId('create-form', HTMLFormElement);
const message = byId('message', HTMLTextAreaElement);
const ttlSelect = byId('ttl', HTMLSelectElement);
const ttlCustom = byId('ttl-custom', HTMLInputElement);
const views = byId('views', HTMLInputElement);
const passphrase = byId('passphrase', HTMLInputElement);
const notBefore = byId('not-before', HTMLInputElement);
const recipientsInput = byId('recipients', HTMLInputElement);
const createButton = byId('create', HTMLButtonElement);
const errorBox = byId('create-error');
/** Who is signed in, on a server where creating needs it (HUSH_CREATE=oidc). */
const signIn = new SignIn(api, m, form);

/** Refused input, shown next to the form; the field gets the focus. */
class InputError extends Error {
  constructor(
    readonly say: () => string,
    readonly field: HTMLElement,
  ) {
    super('input refused');
  }
}

let info: ServerInfo | null = null;
let turnstile: TurnstileWidget | null = null;
/** The server's limit on one secret (encrypted: message, files and framing); 10 MiB until /info answers. */
const maxSize = (): number => info?.limits.maxSize ?? 10 * 1024 * 1024;
const attachments = setupAttachments(form, m, maxSize);
const addFiles = byId('add-files', HTMLButtonElement);

/** Refuses a secret over the limit, naming both sizes. */
const tooLarge = (bytes: number, max: number): InputError =>
  new InputError(() => m().tooLarge(formatSize(bytes), formatSize(max)), attachments.count() > 0 ? addFiles : message);

/** Refuses, before the files are read, what the browser already says is over the limit. */
function checkSize(bytes: number): void {
  if (bytes > maxSize()) throw tooLarge(bytes, maxSize());
}

const kind = (): 'stored' | 'stateless' =>
  (form.querySelector<HTMLInputElement>('input[name="kind"]:checked')?.value ?? 'stored') === 'stateless' ? 'stateless' : 'stored';

function syncKind(): void {
  const stateless = kind() === 'stateless';
  show(byId('stateless-note'), stateless);
  show(byId('views-field'), !stateless);
  show(byId('not-before-field'), !stateless);
  show(byId('recipients-field'), !stateless && info?.recipients === true);
  show(byId('split-field'), !stateless);
  show(byId('files-field'), !stateless);
  setMsg(byId('passphrase-help'), () => (stateless ? m().passphraseHelpStateless : m().passphraseHelp));
  syncPassphraseRequired();
}

function syncPassphraseRequired(): void {
  const required = info?.policy.requirePassphrase === true && kind() === 'stored';
  passphrase.required = required;
  setMsg(byId('passphrase-optional'), () => (required ? m().requiredHere : m().optional));
  if (required) byId('more', HTMLDetailsElement).open = true;
}

function ttlSeconds(): number {
  if (ttlSelect.value !== 'custom') return Number(ttlSelect.value);
  const seconds = parseDuration(ttlCustom.value);
  if (seconds === null || seconds <= 0) throw new InputError(() => m().badCustom, ttlCustom);
  return seconds;
}

function checkTtl(seconds: number): void {
  if (info === null || kind() === 'stateless') return;
  const { ttlMin, ttlMax } = info.limits;
  if (seconds < ttlMin || seconds > ttlMax) {
    throw new InputError(() => m().ttlRange(formatRemaining(ttlMin * 1000), formatRemaining(ttlMax * 1000)), ttlSelect.value === 'custom' ? ttlCustom : ttlSelect);
  }
}

function viewCount(): number {
  const n = Number(views.value);
  const max = info?.limits.maxViews ?? 100;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new InputError(() => m().badViews(max), views);
  return n;
}

/** Reads the attached files, after a first size check on what the browser says they weigh. */
async function readFiles(text: string): Promise<EnvelopeFile[]> {
  if (attachments.count() === 0) return [];
  checkSize(new TextEncoder().encode(text).length + attachments.size() + MIN_CONTAINER_BYTES);
  try {
    return await attachments.read();
  } catch (err) {
    if (err instanceof UnreadableFile) throw new InputError(() => m().unreadable(err.fileName), addFiles);
    throw err;
  }
}

/** The flow's refusals that are about the form: said next to the field that can fix them. */
function asInputError(err: unknown): unknown {
  if (!(err instanceof ClientError)) return err;
  if (err.code === 'too_large' && err.size !== undefined && err.maxSize !== undefined) return tooLarge(err.size, err.maxSize);
  if (err.code === 'challenge_incomplete') return new InputError(() => m().completeCheck, byId('turnstile'));
  return err;
}

/** Verified recipients (docs/protocol.md §12): the entries typed, each checked as the server will. */
function recipientList(): string[] {
  if (recipientsInput.closest('[hidden]') !== null) return [];
  const entries = recipientsInput.value.split(/[\s,;]+/).filter((e) => e !== '');
  if (entries.length > MAX_RECIPIENTS) throw new InputError(() => m().tooManyRecipients(MAX_RECIPIENTS), recipientsInput);
  for (const e of entries) if (normalizeRecipient(e) === null) throw new InputError(() => m().badRecipient(e), recipientsInput);
  return entries;
}

async function createStored(text: string, ttl: number): Promise<void> {
  const nViews = viewCount();
  const pass = passphrase.value;
  if (passphrase.required && pass === '') throw new InputError(() => m().needsPassphrase, passphrase);
  const files = await readFiles(text);
  let notBeforeIso: string | undefined;
  if (notBefore.value !== '') {
    const t = new Date(notBefore.value).getTime();
    if (!Number.isFinite(t)) throw new InputError(() => m().badDate, notBefore);
    if (t >= Date.now() + ttl * 1000) throw new InputError(() => m().notBeforeLate, notBefore);
    notBeforeIso = new Date(t).toISOString();
  }
  const recipients = recipientList();
  const options: SendOptions = {
    server: api.base,
    message: text,
    files,
    ttl,
    views: nViews,
    ...(pass === '' ? {} : { passphrase: pass }),
    ...(notBeforeIso === undefined ? {} : { notBefore: notBeforeIso }),
    ...(recipients.length === 0 ? {} : { recipients }),
    // Only a Turnstile server looks at it; null while the widget has no answer.
    turnstileToken: turnstile?.token() ?? null,
    // Signed in (HUSH_CREATE=oidc): the session, with its CSRF value, replaces the human check.
    ...(signIn.csrf === undefined ? {} : { csrf: signIn.csrf }),
  };
  const notBeforeMeta = (): string => (notBeforeIso === undefined ? '' : m().notBeforeMeta(formatWhen(notBeforeIso)));
  if (splitChosen()) {
    const counts = splitCounts();
    if ('bad' in counts) throw new InputError(() => m().badSplit, counts.bad);
    if (recipients.length > 0) throw new InputError(() => m().splitNoRecipients, recipientsInput);
    const split = await sendSplit({ ...options, ...counts }, workerRunner, info ?? undefined).catch((err: unknown) => {
      throw asInputError(err);
    });
    forgetSecret();
    showSplitResult(split, () => m().storedMeta(formatWhen(split.shares[0]!.expiresAt), nViews) + notBeforeMeta(), m);
    return;
  }
  const sent = await sendSecret(options, workerRunner, info ?? undefined).catch((err: unknown) => {
    throw asInputError(err);
  });
  showResult(
    sent.link,
    sent.manageLink,
    () => m().storedMeta(formatWhen(sent.expiresAt), sent.views) + notBeforeMeta() + (recipients.length === 0 ? '' : m().restrictedMeta),
    pass !== '',
  );
}

/** The secret is no longer needed on this page once it is sent; the form makes way for the result. */
function forgetSecret(): void {
  message.value = '';
  passphrase.value = '';
  attachments.clear();
  show(form, false);
}

async function createStateless(text: string, ttl: number): Promise<void> {
  const pass = passphrase.value;
  const expiresAt = Math.floor(Date.now() / 1000) + ttl;
  const link = await sealLink(
    { origin: info?.publicUrl ?? api.base, message: text, expiresAt, ...(pass === '' ? {} : { passphrase: pass }) },
    workerRunner,
  );
  showResult(
    link,
    null,
    () => m().statelessMeta(link.length, MAX_STATELESS_LINK.toLocaleString(locale()), formatWhen(expiresAt * 1000)),
    pass !== '',
  );
}

/** Shows the link shortened (copy buttons take it whole), its QR code, and the manage link. */
function showResult(link: string, manage: string | null, meta: () => string, withPassphrase: boolean): void {
  byId('link', HTMLTextAreaElement).value = link;
  setText(byId('link-short'), shortLink(link));
  const qrBox = byId('qr');
  qrBox.querySelector('svg')?.remove();
  try {
    qrBox.prepend(qrSvg(link, m().qrLabel));
    show(byId('qr-details'));
  } catch {
    show(byId('qr-details'), false); // too long for a QR code
  }
  byId('manage-link', HTMLTextAreaElement).value = manage ?? '';
  setText(byId('manage-short'), manage === null ? '' : shortLink(manage));
  show(byId('manage-block'), manage !== null);
  show(byId('channel-hint'), withPassphrase);
  setMsg(byId('result-meta'), meta);
  forgetSecret();
  show(byId('result'));
  byId('result-title').focus();
}

/** Back to an empty form; the links and the QR code leave the page. */
function clearResult(): void {
  show(byId('result'), false);
  for (const details of Array.from(byId('result').querySelectorAll('details'))) details.open = false;
  byId('qr').querySelector('svg')?.remove();
  for (const id of ['link', 'manage-link']) byId(id, HTMLTextAreaElement).value = '';
  for (const id of ['link-short', 'manage-short']) setText(byId(id), '');
}

async function submit(): Promise<void> {
  setAlert(errorBox, null);
  const text = message.value;
  try {
    if (text.trim() === '' && attachments.count() === 0) throw new InputError(() => m().writeSecret, message);
    if (kind() === 'stateless' && attachments.count() > 0) throw new InputError(() => m().statelessNoFiles, form.querySelector<HTMLInputElement>('input[value="stored"]') ?? message);
    const ttl = ttlSeconds();
    checkTtl(ttl);
    await busy(createButton, m().encrypting, () => (kind() === 'stored' ? createStored(text, ttl) : createStateless(text, ttl)));
  } catch (err) {
    if (err instanceof InputError) {
      setAlert(errorBox, err.say);
      err.field.focus();
      return;
    }
    if (await signIn.handles(err, errorBox)) return;
    setAlert(errorBox, () => describeError(err));
  } finally {
    turnstile?.reset();
  }
}

/**
 * Applies what the server says (limits, policy, human check). Signed in, once more with what the
 * person's groups limit folded in (a shorter longest expiry, a passphrase required), so that the
 * form offers only what the server will take.
 */
function applyInfo(i: ServerInfo, signedIn = false): void {
  info = i;
  attachments.refresh(); // the limit in its help and summary
  views.max = String(i.limits.maxViews);
  for (const option of Array.from(ttlSelect.options)) {
    if (option.value === 'custom') continue;
    const s = Number(option.value);
    option.disabled = s < i.limits.ttlMin || s > i.limits.ttlMax;
  }
  if (ttlSelect.selectedOptions[0]?.disabled === true) {
    // Too long: the longest allowed; too short: the shortest allowed.
    const allowed = Array.from(ttlSelect.options).filter((o) => !o.disabled && o.value !== 'custom');
    const pick = Number(ttlSelect.value) > i.limits.ttlMax ? allowed.at(-1) : allowed[0];
    if (pick) ttlSelect.value = pick.value;
  }
  setMsg(byId('policy'), () => {
    const notes = [m().policyLimits(formatRemaining(i.limits.ttlMax * 1000), i.limits.maxViews)];
    if (i.policy.requirePassphrase) notes.push(m().policyPassphrase);
    if (i.policy.create === 'identity' || i.policy.create === 'oidc') notes.push(m().policyIdentity);
    return notes.join(sentenceGap());
  });
  show(byId('policy'));
  const off = i.policy.create === 'off' ? () => m().createOff : i.policy.create === 'token' ? () => m().createToken : null;
  if (off !== null) {
    setAlert(byId('create-off'), off);
    for (const el of Array.from(form.elements)) (el as HTMLInputElement).disabled = true;
  }
  syncPassphraseRequired();
  show(byId('recipients-field'), i.recipients === true && kind() === 'stored');
  if (signedIn) return;
  if (i.policy.create === 'oidc') {
    signIn
      .start()
      .then((l) => {
        if (l) {
          const limits = { ...i.limits, ttlMax: Math.min(i.limits.ttlMax, l.ttl ?? i.limits.ttlMax) };
          applyInfo({ ...i, limits, policy: { ...i.policy, requirePassphrase: i.policy.requirePassphrase || l.passphrase === true } }, true);
        }
      })
      .catch((err: unknown) => setAlert(errorBox, () => describeError(err)));
  }
  if (i.challenge.kind === 'turnstile' && i.challenge.siteKey !== undefined) {
    const box = byId('turnstile');
    show(box);
    turnstile = loadTurnstile(box, i.challenge.siteKey, () => setAlert(errorBox, () => m().turnstileFailed));
  }
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void submit();
});
// Ctrl+Enter (Cmd+Enter on a Mac) creates, from any field of the form.
form.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !createButton.disabled) {
    event.preventDefault();
    form.requestSubmit();
  }
});
const mac = /Mac|iPhone|iPad/.test(navigator.userAgent);
setMsg(byId('mod-key'), () => (mac ? '⌘' : m().ctrl));
ttlSelect.addEventListener('change', () => {
  const custom = ttlSelect.value === 'custom';
  show(byId('ttl-custom-field'), custom);
  if (custom) ttlCustom.focus();
});
for (const radio of Array.from(form.querySelectorAll<HTMLInputElement>('input[name="kind"]'))) radio.addEventListener('change', syncKind);
const copyButtonsReset = [
  wireCopyButton(byId('copy-link', HTMLButtonElement), () => byId('link', HTMLTextAreaElement), () => m().link),
  wireCopyButton(byId('copy-manage', HTMLButtonElement), () => byId('manage-link', HTMLTextAreaElement), () => m().manageLink),
];
byId('again').addEventListener('click', () => {
  clearResult();
  for (const reset of copyButtonsReset) reset();
  show(form);
  message.focus();
});
byId('split-again').addEventListener('click', () => {
  clearSplitResult();
  show(form);
  message.focus();
});
setupSplit(() => undefined);
// Leaving the page (it may be kept in the back/forward cache): a secret typed but not sent, and
// its passphrase, do not stay behind in it. The links stay, so Back still shows them to the sender.
addEventListener('pagehide', () => {
  message.value = '';
  passphrase.value = '';
  attachments.clear();
  stopWorker();
});

/** The expiry choices, as the language writes the durations ("24 hours", "24 Stunden", "24 時間"). */
function ttlLabels(): void {
  for (const option of Array.from(ttlSelect.options)) {
    const [n, u] = (option.dataset.unit ?? '').split(' ');
    if (u === 'minute' || u === 'hour' || u === 'day') option.textContent = unit(Number(n), u);
  }
}

startI18n(() => {
  ttlLabels();
  attachments.refresh();
  byId('qr').querySelector('svg')?.setAttribute('aria-label', m().qrLabel);
});
ttlLabels();
syncKind();
api.info().then(applyInfo, (err: unknown) => {
  setAlert(errorBox, () => describeError(err));
});
