// What the pages mark for translation, read from a live page: shared by the language tests.
import type { Page } from 'playwright-core';

/** [key, text] of every element marked for translation (text, placeholder, aria-label). */
export function marked(page: Page): Promise<[string, string][]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('[data-i18n],[data-i18n-placeholder],[data-i18n-label]')).flatMap((el) => {
      const out: [string, string][] = [];
      const key = el.getAttribute('data-i18n');
      if (key !== null) out.push([key, el.textContent]);
      const ph = el.getAttribute('data-i18n-placeholder');
      if (ph !== null) out.push([ph, el.getAttribute('placeholder') ?? '']);
      const label = el.getAttribute('data-i18n-label');
      if (label !== null) out.push([label, el.getAttribute('aria-label') ?? '']);
      return out;
    }),
  );
}
