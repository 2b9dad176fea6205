// The languages of the pages: one table for the pages' scripts (src/web/i18n/locale.ts), the
// build (scripts/build.mjs makes the switcher's options and one catalogue file per page and
// language from it) and the tests. Adding a language: a catalogue src/web/i18n/{tag}.ts (and {tag}-create.ts) with the
// shape of en.ts, and a line here (docs/i18n.md).

export interface Language {
  /** BCP 47 tag: the page's lang attribute, `?lang=`, the catalogue's file name. */
  readonly tag: string;
  readonly dir: 'ltr' | 'rtl';
  /** Whether sentences are set apart by a space (not in Chinese and Japanese, whose full stop 。 ends them). */
  readonly spaced: boolean;
}

/** English first (the source, the fallback, and the text the HTML carries), then by tag. */
export const LANGUAGES = [
  { tag: 'en', dir: 'ltr', spaced: true },
  { tag: 'ar', dir: 'rtl', spaced: true },
  { tag: 'de', dir: 'ltr', spaced: true },
  { tag: 'es', dir: 'ltr', spaced: true },
  { tag: 'fr', dir: 'ltr', spaced: true },
  { tag: 'it', dir: 'ltr', spaced: true },
  { tag: 'ja', dir: 'ltr', spaced: false },
  { tag: 'ko', dir: 'ltr', spaced: true },
  { tag: 'nl', dir: 'ltr', spaced: true },
  { tag: 'pl', dir: 'ltr', spaced: true },
  { tag: 'pt-BR', dir: 'ltr', spaced: true },
  { tag: 'tr', dir: 'ltr', spaced: true },
  { tag: 'uk', dir: 'ltr', spaced: true },
  { tag: 'zh-CN', dir: 'ltr', spaced: false },
] as const satisfies readonly Language[];

export type Lang = (typeof LANGUAGES)[number]['tag'];
export const LANGS: readonly Lang[] = LANGUAGES.map((l) => l.tag);
export const SOURCE_LANG = 'en' satisfies Lang;

export const isLang = (s: string | null | undefined): s is Lang => (LANGS as readonly (string | null | undefined)[]).includes(s);
/** Each language's name for itself, as the switcher lists it (the build writes them into the HTML; no script needs them). */
export const LANGUAGE_NAMES: Record<Lang, string> = {
  en: 'English',
  ar: 'العربية',
  de: 'Deutsch',
  es: 'Español',
  fr: 'Français',
  it: 'Italiano',
  ja: '日本語',
  ko: '한국어',
  nl: 'Nederlands',
  pl: 'Polski',
  'pt-BR': 'Português (Brasil)',
  tr: 'Türkçe',
  uk: 'Українська',
  'zh-CN': '简体中文',
};

export const languageOf = (tag: Lang): Language => LANGUAGES.find((l) => l.tag === tag)!;

/**
 * The language for a reader who prefers `preferred` (the browser's list, best first — what it
 * also sends as Accept-Language), and the locale Intl should format in. An exact tag wins
 * (pt-BR), then the same base language (pt-PT reads pt-BR, de-AT reads de, zh-SG reads zh-CN),
 * except Chinese written in traditional characters (zh-TW, zh-HK, zh-MO, zh-Hant), which a
 * Simplified catalogue would not serve: the next preference is tried. Nothing matches: English.
 */
export function matchLanguage(preferred: readonly string[]): { lang: Lang; locale: string } {
  for (const p of preferred) {
    const lower = p.toLowerCase();
    const exact = LANGS.find((l) => l.toLowerCase() === lower);
    if (exact !== undefined) return { lang: exact, locale: p };
    const base = lower.split('-')[0];
    if (base === 'zh' && /^zh-(?:tw|hk|mo|hant)\b/.test(lower)) continue;
    const same = LANGS.find((l) => l.toLowerCase().split('-')[0] === base);
    if (same !== undefined) return { lang: same, locale: p };
  }
  return { lang: SOURCE_LANG, locale: SOURCE_LANG };
}
