// Small DOM helpers shared by the pages. User data only ever goes through textContent and
// input values: never through HTML parsing (a lint rule forbids innerHTML). Words of ours are
// messages (./i18n): functions that say them in the current language, again after a switch.
import { c, forgetMsg, msg, setMsg } from './i18n/index.js';

/** The element with this id (of this type); a page missing it is a build mistake, so this throws. */
export function byId(id: string): HTMLElement;
export function byId<T extends HTMLElement>(id: string, type: new () => T): T;
export function byId(id: string, type: new () => HTMLElement = HTMLElement): HTMLElement {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`page element #${id} is missing or not a ${type.name}`);
  return el;
}

export function show(el: HTMLElement, visible = true): void {
  el.hidden = !visible;
}

/** Plain text (data, not a message: a link, a number). */
export function setText(el: HTMLElement, text: string): void {
  forgetMsg(el);
  el.textContent = text;
}

/** Shows a message in an alert region (announced by screen readers), or hides it when null. */
export function setAlert(el: HTMLElement, say: (() => string) | null): void {
  if (say === null) setText(el, '');
  else setMsg(el, say);
  el.hidden = say === null;
}

/** The button's own label in the current language (its data-i18n message), else `fallback`. */
function labelOf(button: HTMLElement, fallback: string | null): string | null {
  const key = button.getAttribute('data-i18n');
  return (key === null ? null : msg(key)) ?? fallback;
}

/**
 * The server's base URL as seen from the current page: the origin plus any path prefix the
 * operator mounted Hush under (`/`, `/s/{id}`, `/m/{id}`, `/r/{id}`, `/l`, `/request`, `/mine`, `/c` and `/a` are stripped).
 */
export function apiBase(loc: Location = location): string {
  return loc.origin + loc.pathname.replace(/\/(?:[smr]\/[^/]*|l|request|mine|c|a)$/, '').replace(/\/+$/, '');
}

/**
 * Says something to screen-reader users through the page's polite status region (#announce), e.g.
 * that a copy worked. Emptied first so the same words said twice are announced twice.
 */
export function announce(text: string): void {
  const region = document.getElementById('announce');
  if (region === null) return;
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/**
 * Copies the field's whole value to the clipboard and says so on the button (and to screen
 * readers) for a moment. When the Clipboard API refuses, the field is shown and selected so
 * Ctrl+C copies it. Returns a function that puts the button's label back at once.
 */
export function wireCopyButton(button: HTMLButtonElement, source: () => HTMLInputElement | HTMLTextAreaElement, what: () => string): () => void {
  const label = button.textContent;
  let timer: number | undefined;
  const reset = (): void => {
    window.clearTimeout(timer);
    button.textContent = labelOf(button, label);
  };
  button.addEventListener('click', () => {
    const field = source();
    const done = (ok: boolean): void => {
      button.textContent = ok ? c().copied : c().pressCtrlC;
      announce(ok ? c().copiedAnnounce(what()) : c().selectedAnnounce(what()));
      window.clearTimeout(timer);
      timer = window.setTimeout(reset, 2000);
    };
    navigator.clipboard.writeText(field.value).then(
      () => {
        done(true);
      },
      () => {
        // Clipboard API refused (permissions, old browser): select the text for a manual copy.
        const details = field.closest('details');
        if (details !== null) details.open = true;
        field.focus();
        field.select();
        done(false);
      },
    );
  });
  return reset;
}

/** Takes the fragment out of the address bar and history, keeping what it held in memory. */
export function takeFragment(): string {
  const fragment = location.hash.slice(1);
  if (fragment !== '') history.replaceState(null, '', location.pathname + location.search);
  return fragment;
}

/** Disables a button while `task` runs, with a busy label; re-enables it afterwards. */
export async function busy<T>(button: HTMLButtonElement, label: string, task: () => Promise<T>): Promise<T> {
  const before = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = label;
  try {
    return await task();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = labelOf(button, before);
  }
}

/** Input a page refuses (a link, a file) and what to tell the reader: thrown, and shown by the form that took it. */
export class Refused extends Error {
  constructor(readonly say: () => string) {
    super('refused');
  }
}
