// Українська (uk): the small helpers of the catalogue's two files (uk.ts, uk-create.ts).
import { plural } from './plural.js';

/** "3 рази", "5 разів": how many times, after "ще", "щонайбільше". */
export const times = (n: number): string => plural(n, { one: '# раз', few: '# рази', many: '# разів', other: '# разу' });
/** "Залишилася 1 спроба", "залишилося 3 спроби": the verb agrees with the count. */
export const attemptsLeft = (n: number): string =>
  plural(n, { one: 'залишилася # спроба', few: 'залишилося # спроби', many: 'залишилося # спроб', other: 'залишилося # спроби' });
