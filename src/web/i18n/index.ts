// The pages' languages: English, German, Japanese. The HTML carries the English text (it is
// what shows before the script runs); the script picks the language — `?lang=` in the address
// if the reader chose one with the switcher, else the first of the browser's preferred languages
// (navigator.languages, the same list the browser sends as Accept-Language) that we have — and
// translates every element marked data-i18n="section.key" (data-i18n-placeholder,
// data-i18n-label for attributes). Text set by a page script goes through `setMsg`, which keeps
// a function to say it again when the reader switches language. Nothing is stored in the browser.
import { common as enCommon } from './en.js';
import { common as deCommon } from './de.js';
import { common as jaCommon } from './ja.js';
import { chooseAgain, isLang, lang, locale, type Lang } from './locale.js';

export { LANGS, lang, locale, type Lang } from './locale.js';
export type Common = typeof enCommon;

const COMMON: Record<Lang, Common> = { en: enCommon, de: deCommon, ja: jaCommon };
let sections: Record<Lang, Record<string, object>> | null = null;
/** Text a page script put into an element, said again in the new language on a switch. */
const said = new Map<HTMLElement, () => string>();

/** The messages shared by every page. */
export const c = (): Common => COMMON[lang()];

/**
 * Registers the page's own message sections (one object per language, same shape) and returns
 * a getter for the current language's. Only the sections a page registers are in its bundle.
 */
export function useMessages<S extends Record<string, object>>(perLang: Record<Lang, S>): () => S {
  sections = perLang;
  return () => perLang[lang()];
}

/** "5 minutes", "24 Stunden", "7 日": a number with its unit, as the locale writes it. */
export function unit(n: number, u: 'second' | 'minute' | 'hour' | 'day', display: 'long' | 'short' = 'long'): string {
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: u, unitDisplay: display }).format(n);
}

/** The message a data-i18n key names ("reveal.intro") in the current language; null if there is none. */
export function msg(key: string): string | null {
  const dot = key.indexOf('.');
  const section = key.slice(0, dot);
  const table: object | undefined = section === 'common' ? COMMON[lang()] : sections?.[lang()][section];
  const value: unknown = table === undefined ? undefined : (table as Record<string, unknown>)[key.slice(dot + 1)];
  return typeof value === 'string' ? value : null;
}

/** Puts an element's text (and that of its marked descendants) into the current language. */
export function translate(root: ParentNode = document): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-i18n],[data-i18n-placeholder],[data-i18n-label]'))) {
    for (const [attr, apply] of [
      ['data-i18n', (t: string) => (el.textContent = t)],
      ['data-i18n-placeholder', (t: string) => el.setAttribute('placeholder', t)],
      ['data-i18n-label', (t: string) => el.setAttribute('aria-label', t)],
    ] as const) {
      const key = el.getAttribute(attr);
      if (key === null) continue;
      const text = msg(key);
      if (text === null) console.error(`i18n: no message ${key}`);
      else apply(text);
    }
  }
  for (const [el, say] of said) el.textContent = say();
}

/** Sets an element's text from the current language, and again after every switch. */
export function setMsg(el: HTMLElement, say: () => string): void {
  said.set(el, say);
  el.textContent = say();
}

/** Forgets an element's message (its text is plain data now, or it is emptied). */
export function forgetMsg(el: HTMLElement): void {
  said.delete(el);
}

/** The language of the page, its <title> and marked text; the switcher shows it. */
function apply(): void {
  document.documentElement.lang = lang();
  translate();
  const select = document.getElementById('lang');
  if (select instanceof HTMLSelectElement) select.value = lang();
  // Links to our other pages keep an explicit choice.
  const asked = new URLSearchParams(location.search).get('lang');
  for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>('a[data-home]'))) {
    const href = a.getAttribute('href')?.replace(/\?.*$/, '') ?? './';
    a.setAttribute('href', isLang(asked) ? `${href}?lang=${asked}` : href);
  }
}

/**
 * Translates the page and wires the switcher (#lang). A switch changes the page in place — a
 * reload would lose what the page holds (the reveal page's key is already out of the address
 * bar) — and records the choice as `?lang=` in the address, so a reload or a link to our other
 * pages keeps it. Call after useMessages.
 */
export function startI18n(onSwitch?: () => void): void {
  apply();
  const select = document.getElementById('lang');
  if (!(select instanceof HTMLSelectElement)) return;
  select.addEventListener('change', () => {
    if (!isLang(select.value)) return;
    const params = new URLSearchParams(location.search);
    params.set('lang', select.value);
    history.replaceState(history.state, '', `${location.pathname}?${params.toString()}${location.hash}`);
    chooseAgain();
    apply();
    onSwitch?.();
  });
}
