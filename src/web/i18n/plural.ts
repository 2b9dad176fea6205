// Plural forms for the catalogues' messages ("1 attempt", "2 attempts"), in the locale the page
// shows. The catalogues import this and nothing else: a language's file (built on its own, see
// index.ts) then carries only its text and these few lines. index.ts puts the locale it shows on
// globalThis.hushLocale, which both the page's script and the language file read.

const shownLocale = (): string => (globalThis as { hushLocale?: string }).hushLocale ?? 'en';

/** `forms` picked by the language's plural rules; "#" becomes the number, formatted for the locale. */
export function plural(n: number, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }): string {
  const locale = shownLocale();
  const form = forms[new Intl.PluralRules(locale).select(n)] ?? forms.other;
  return form.replace('#', new Intl.NumberFormat(locale).format(n));
}
