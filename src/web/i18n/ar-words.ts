// العربية (ar): the small helpers of the catalogue's two files (ar.ts, ar-create.ts).
import { plural } from './plural.js';

/** "تتبقى 3 محاولات قبل إتلاف السر." for every number. */
export const attemptsLeft = (n: number): string =>
  plural(n, {
    zero: 'لم تتبقَّ أي محاولة قبل إتلاف السر.',
    one: 'تتبقى محاولة واحدة قبل إتلاف السر.',
    two: 'تتبقى محاولتان قبل إتلاف السر.',
    few: 'تتبقى # محاولات قبل إتلاف السر.',
    many: 'تتبقى # محاولة قبل إتلاف السر.',
    other: 'تتبقى # محاولة قبل إتلاف السر.',
  });

/** "… times" as the object of a verb: "يمكن فتحه مرتين". */
export const times = (n: number): string =>
  plural(n, { zero: '# مرة', one: 'مرة واحدة', two: 'مرتين', few: '# مرات', many: '# مرة', other: '# مرة' });
