// Which of the pages' languages this page is in, and the locale for Intl. On its own so that the
// catalogues (en.ts, de.ts, ja.ts) can format numbers (plural.ts) without importing index.ts,
// which imports them: no module waits on one that waits on it.

export const LANGS = ['en', 'de', 'ja'] as const;
export type Lang = (typeof LANGS)[number];

export const isLang = (s: string | null | undefined): s is Lang => (LANGS as readonly (string | null | undefined)[]).includes(s);

/** The language chosen, and the locale for Intl (the browser's own variant of it when it has one: en-GB, de-AT). */
function choose(search: string, preferred: readonly string[]): { lang: Lang; locale: string } {
  const asked = new URLSearchParams(search).get('lang');
  const match = (lang: Lang): string => preferred.find((p) => p.toLowerCase().split('-')[0] === lang) ?? lang;
  if (isLang(asked)) return { lang: asked, locale: match(asked) };
  for (const p of preferred) {
    const base = p.toLowerCase().split('-')[0];
    if (isLang(base)) return { lang: base, locale: p };
  }
  return { lang: 'en', locale: 'en' };
}

const preferred = (): readonly string[] => (navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
let chosen = choose(location.search, preferred());

export const lang = (): Lang => chosen.lang;
/** The locale for Intl formatting. */
export const locale = (): string => chosen.locale;

/** Chooses again from the address (after the switcher set `?lang=`) and the browser's languages. */
export function chooseAgain(): void {
  chosen = choose(location.search, preferred());
}
