// Plural forms for the catalogues' messages ("1 attempt", "2 attempts"), in the page's locale.
// The catalogues import this, not index.ts, which imports the catalogues.
import { locale } from './locale.js';

/** `forms` picked by the language's plural rules; "#" becomes the number, formatted for the locale. */
export function plural(n: number, forms: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }): string {
  const form = forms[new Intl.PluralRules(locale()).select(n)] ?? forms.other;
  return form.replace('#', new Intl.NumberFormat(locale()).format(n));
}
