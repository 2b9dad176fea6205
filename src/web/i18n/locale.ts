// Which of the pages' languages the reader chose, and the locale for Intl (index.ts shows it once
// that language's catalogue is in).
import { isLang, matchLanguage, type Lang } from '../../shared/languages.js';

export { LANGS, LANGUAGES, isLang, type Lang } from '../../shared/languages.js';

interface Chosen {
  lang: Lang;
  locale: string;
}

/** The language chosen: `?lang=` if the reader chose one with the switcher, else the browser's preferences. */
function choose(search: string, preferred: readonly string[]): Chosen {
  const asked = new URLSearchParams(search).get('lang');
  if (isLang(asked)) {
    const base = asked.toLowerCase().split('-')[0];
    // The browser's own variant of it when it has one (en-GB, de-AT) for dates and numbers.
    return { lang: asked, locale: preferred.find((p) => p.toLowerCase().split('-')[0] === base) ?? asked };
  }
  return matchLanguage(preferred);
}

const preferred = (): readonly string[] => (navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
let chosen: Chosen | null = null;
const current = (): Chosen => (chosen ??= choose(location.search, preferred()));

export const lang = (): Lang => current().lang;
/** The locale for Intl formatting. */
export const locale = (): string => current().locale;

/** Chooses again from the address (after the switcher set `?lang=`) and the browser's languages. */
export function chooseAgain(): void {
  chosen = choose(location.search, preferred());
}
