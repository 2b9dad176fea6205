// The create page's "Split it between several people" (docs/protocol.md §15): the choice of k and
// n, and the result — one share link per person and the sender's manage links, each with its copy
// button. The sending itself is the client's sendSplit, called by page-create.ts.
import type { SentSplit } from '../client/split.js';
import { checkSplitCounts } from '../protocol/split.js';
import { byId, show, wireCopyButton } from './dom.js';
import { forgetMsg, setLabel, setMsg } from './i18n/index.js';
import type { create as En } from './i18n/en.js';

const box = byId('split', HTMLInputElement);
const kInput = byId('split-k', HTMLInputElement);
const nInput = byId('split-n', HTMLInputElement);

/** Shows the counts while the box is ticked. */
export function setupSplit(onChange: () => void): void {
  box.addEventListener('change', () => {
    show(byId('split-counts'), box.checked);
    onChange();
  });
}

/** Whether a split was asked for (and is offered: a stored secret). */
export const splitChosen = (): boolean => box.checked && byId('split-field').closest('[hidden]') === null;

/** The counts asked for; null when they are not whole numbers with 2 ≤ k ≤ n ≤ 10 (the field to fix is `kInput` or `nInput`). */
export function splitCounts(): { k: number; n: number } | { bad: HTMLInputElement } {
  const k = Number(kInput.value);
  const n = Number(nInput.value);
  try {
    checkSplitCounts(k, n);
  } catch {
    return { bad: Number.isInteger(n) && n >= 2 && n <= 10 ? kInput : nInput };
  }
  return { k, n };
}

/** One labelled row: the whole link in a read-only field, and its copy button. */
function row(id: string, label: () => string, link: string, copyLabel: () => string, what: () => string, m: () => typeof En): HTMLLIElement {
  const item = document.createElement('li');
  const name = document.createElement('label');
  name.htmlFor = id;
  name.className = 'field-title';
  setMsg(name, label);
  const line = document.createElement('div');
  line.className = 'copy-row';
  const field = document.createElement('input');
  field.id = id;
  field.type = 'text';
  field.readOnly = true;
  field.dir = 'ltr';
  field.spellcheck = false;
  field.autocomplete = 'off';
  field.value = link;
  const button = document.createElement('button');
  button.type = 'button';
  setMsg(button, () => m().copy);
  setLabel(button, copyLabel);
  wireCopyButton(button, () => field, what);
  line.append(field, button);
  item.append(name, line);
  return item;
}

/** Shows the share links and the manage links of a split just made. */
export function showSplitResult(sent: SentSplit, meta: () => string, m: () => typeof En): void {
  clearSplitResult();
  const { k, n } = sent;
  setMsg(byId('split-lead'), () => m().splitLead(k, n));
  const links = byId('share-links');
  const manage = byId('split-manage');
  // One manage link for all of it (docs/protocol.md §15): the secret's own, then each share's id and token.
  const all = `${sent.vault.manageLink}~${sent.shares.map((sh) => `${sh.id}.${sh.manageLink.slice(sh.manageLink.indexOf('#') + 1)}`).join('~')}`;
  manage.append(row('split-manage-all', () => m().manageAll, all, () => m().copyManageOf(m().manageAll), () => m().manageLink, m));
  manage.append(row('split-manage-0', () => m().secretItself, sent.vault.manageLink, () => m().copyManageOf(m().secretItself), () => m().manageLink, m));
  for (const share of sent.shares) {
    const label = (): string => m().shareOf(share.index, n);
    links.append(row(`share-${String(share.index)}`, label, share.link, () => m().copyShare(share.index), () => m().shareLink, m));
    manage.append(row(`split-manage-${String(share.index)}`, label, share.manageLink, () => m().copyManageOf(label()), () => m().manageLink, m));
  }
  setMsg(byId('split-meta'), meta);
  show(byId('split-result'));
  byId('split-title').focus();
}

/** Takes the links off the page again. */
export function clearSplitResult(): void {
  show(byId('split-result'), false);
  for (const el of Array.from(byId('split-result').querySelectorAll<HTMLElement>('li *'))) forgetMsg(el);
  byId('share-links').replaceChildren();
  byId('split-manage').replaceChildren();
}
