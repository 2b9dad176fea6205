// The pages' languages (src/shared/languages.ts). The HTML carries the English text (it is what
// shows before the script runs), and every page's script bundles the English catalogue only. The
// script picks the language — `?lang=` in the address if the reader chose one with the switcher,
// else the first of the browser's preferred languages (navigator.languages, the list it also
// sends as Accept-Language) that we have — and, for any other than English, loads that one
// language's catalogue for this page: a small file the build makes per page and language
// (assets/lang-{page}-{tag}.js), started as a module <script> carrying the file's SRI hash, which
// the build wrote beside its address onto the language's option in the switcher (the HTML is
// where the page's own script gets its hash too), so the browser runs it only if it is byte for
// byte what was built (the manifest `hush verify` checks lists it too). The page stays hidden until the
// catalogue is in (at most LOAD_WAIT, then it shows in English), so it never flashes English.
//
// Every element marked data-i18n="section.key" (data-i18n-placeholder, data-i18n-label for
// attributes) is translated; text set by a page script goes through `setMsg`, which keeps a
// function to say it again when the reader switches language. Nothing is stored in the browser.
import { common as enCommon } from './en.js';
import { chooseAgain, isLang, lang as chosenLang, locale as chosenLocale, type Lang } from './locale.js';
import { languageOf } from '../../shared/languages.js';
import { scriptUrlPolicy } from '../trusted-types.js';

export { LANGS, type Lang } from './locale.js';
export type Common = typeof enCommon;
type Sections = Record<string, object>;

/** What a catalogue file registers when it runs: its common messages and this page's sections. */
interface Catalogue {
  common: Common;
  [section: string]: object;
}
const shared = globalThis as { hushCatalogues?: Record<string, Catalogue> };
const loaded = (): Record<string, Catalogue> => (shared.hushCatalogues ??= {});

/** How long the page stays hidden waiting for its catalogue before it shows in English. */
const LOAD_WAIT = 3000;
let english: Sections = {};
/** Text a page script put into an element, said again in the new language on a switch. */
const said = new Map<HTMLElement, () => string>();
/** Accessible names (aria-label) a page script gave, likewise. */
const labelled = new Map<HTMLElement, () => string>();

/** The language the page shows: the chosen one once its catalogue is in, English until then. */
export const lang = (): Lang => {
  const chosen = chosenLang();
  return chosen === 'en' || loaded()[chosen] !== undefined ? chosen : 'en';
};
const shown = (): Catalogue | null => (lang() === 'en' ? null : loaded()[lang()]!);

/** The messages shared by every page. */
export const c = (): Common => shown()?.common ?? enCommon;

/**
 * Registers the page's own message sections, in English, and returns a getter for them in the
 * language shown. The build gives each language's catalogue file for this page the same sections
 * (the ones the page imports from en.ts).
 */
export function useMessages<S extends Sections>(en: S): () => S {
  english = en;
  return () => (shown() as S | null) ?? en;
}

/** "5 minutes", "24 Stunden", "7 日": a number with its unit, as the locale writes it. */
export function unit(n: number, u: 'second' | 'minute' | 'hour' | 'day', display: 'long' | 'short' = 'long'): string {
  return new Intl.NumberFormat(locale(), { style: 'unit', unit: u, unitDisplay: display }).format(n);
}

/** The locale for Intl: the chosen one (the browser's variant of it: en-GB, de-AT), or English while the page shows English. */
export const locale = (): string => (lang() === chosenLang() ? chosenLocale() : 'en');

/** What goes between two sentences: a space, or nothing after Chinese and Japanese 。. */
export const sentenceGap = (): string => (languageOf(lang()).spaced ? ' ' : '');

/** The message a data-i18n key names ("reveal.intro") in the language shown; null if there is none. */
export function msg(key: string): string | null {
  const dot = key.indexOf('.');
  const section = key.slice(0, dot);
  const table: object | undefined = section === 'common' ? c() : (shown() ?? english)[section];
  const value: unknown = table === undefined ? undefined : (table as Record<string, unknown>)[key.slice(dot + 1)];
  return typeof value === 'string' ? value : null;
}

/** Puts an element's text (and that of its marked descendants) into the language shown. */
export function translate(root: ParentNode = document): void {
  for (const el of Array.from(root.querySelectorAll<HTMLElement>('[data-i18n],[data-i18n-placeholder],[data-i18n-label]'))) {
    for (const [attr, put] of [
      ['data-i18n', (t: string) => (el.textContent = t)],
      ['data-i18n-placeholder', (t: string) => el.setAttribute('placeholder', t)],
      ['data-i18n-label', (t: string) => el.setAttribute('aria-label', t)],
    ] as const) {
      const key = el.getAttribute(attr);
      if (key === null) continue;
      const text = msg(key);
      if (text === null) console.error(`i18n: no message ${key}`);
      else put(text);
    }
  }
  for (const [el, say] of said) el.textContent = say();
  for (const [el, say] of labelled) el.setAttribute('aria-label', say());
}

/** Sets an element's text from the language shown, and again after every switch. */
export function setMsg(el: HTMLElement, say: () => string): void {
  said.set(el, say);
  el.textContent = say();
}

/** Sets an element's accessible name (aria-label) from the language shown, and again after every switch. */
export function setLabel(el: HTMLElement, say: () => string): void {
  labelled.set(el, say);
  el.setAttribute('aria-label', say());
}

/** Forgets an element's message and name (its text is plain data now, or it is emptied). */
export function forgetMsg(el: HTMLElement): void {
  said.delete(el);
  labelled.delete(el);
}

/** The page's language and direction, its <title> and marked text; the switcher shows it. */
function apply(): void {
  const now = lang();
  (globalThis as { hushLocale?: string }).hushLocale = locale(); // for plural.ts
  document.documentElement.lang = now;
  document.documentElement.dir = languageOf(now).dir;
  translate();
  const select = document.getElementById('lang');
  if (select instanceof HTMLSelectElement) select.value = chosenLang();
  // Links to our other pages keep an explicit choice.
  const asked = new URLSearchParams(location.search).get('lang');
  for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>('a[data-home]'))) {
    const href = a.getAttribute('href')?.replace(/\?.*$/, '') ?? './';
    a.setAttribute('href', isLang(asked) ? `${href}?lang=${encodeURIComponent(asked)}` : href);
  }
}

/** Only this build's catalogue files (same origin, under assets/) may start as a script. */
const catalogueUrl = scriptUrlPolicy('hush-i18n', (url) => {
  const u = new URL(url, location.href);
  if (u.origin !== location.origin || !/\/assets\/lang-[a-z0-9]+-[A-Za-z-]+\.js$/.test(u.pathname)) throw new TypeError(`i18n: not a catalogue: ${url}`);
  return u.href;
}, true);
const loading = new Map<string, Promise<void>>();

/** Loads the chosen language's catalogue for this page (once), checked against its SRI hash. */
function load(tag: Lang): Promise<void> {
  if (tag === 'en' || loaded()[tag] !== undefined) return Promise.resolve();
  let done = loading.get(tag);
  if (done === undefined) {
    done = new Promise<void>((resolve, reject) => {
      // The build wrote the file and its hash onto the language's option in the switcher.
      const option = document.querySelector<HTMLOptionElement>(`#lang option[value="${tag}"]`);
      const src = option?.dataset.src;
      const integrity = option?.dataset.integrity;
      if (src === undefined || integrity === undefined) throw new Error(`i18n: no catalogue for ${tag}`);
      const script = document.createElement('script');
      script.type = 'module';
      script.integrity = integrity;
      script.addEventListener('load', () => (loaded()[tag] === undefined ? reject(new Error(`i18n: ${tag} did not register`)) : resolve()));
      script.addEventListener('error', () => reject(new Error(`i18n: could not load ${src}`)));
      script.src = catalogueUrl(new URL(src, location.href).href);
      document.head.append(script);
    });
    loading.set(tag, done);
    done.catch(() => loading.delete(tag));
  }
  return done;
}

/** Shows the page in the chosen language once its catalogue is in; hidden meanwhile, for LOAD_WAIT at most. */
function showChosen(then: () => void): void {
  const root = document.documentElement;
  const tag = chosenLang();
  if (tag === 'en' || loaded()[tag] !== undefined) {
    apply();
    then();
    return;
  }
  root.setAttribute('data-loading-lang', '');
  const giveUp = setTimeout(() => root.removeAttribute('data-loading-lang'), LOAD_WAIT);
  load(tag).then(
    () => {
      clearTimeout(giveUp);
      root.removeAttribute('data-loading-lang');
      if (chosenLang() !== tag) return; // switched again meanwhile
      apply();
      then();
    },
    (err: unknown) => {
      clearTimeout(giveUp);
      root.removeAttribute('data-loading-lang');
      console.error(err);
    },
  );
}

/**
 * Translates the page and wires the switcher (#lang). A switch changes the page in place — a
 * reload would lose what the page holds (the reveal page's key is already out of the address
 * bar) — and records the choice as `?lang=` in the address, so a reload or a link to our other
 * pages keeps it. Call after useMessages. `onChange` runs whenever the language shown changes
 * (a switch, or the first catalogue arriving after the page has set its texts).
 */
export function startI18n(onChange?: () => void): void {
  apply();
  if (lang() !== chosenLang()) showChosen(() => onChange?.());
  const select = document.getElementById('lang');
  if (!(select instanceof HTMLSelectElement)) return;
  select.addEventListener('change', () => {
    if (!isLang(select.value)) return;
    const params = new URLSearchParams(location.search);
    params.set('lang', select.value);
    history.replaceState(history.state, '', `${location.pathname}?${params.toString()}${location.hash}`);
    chooseAgain();
    showChosen(() => onChange?.());
  });
}
