// Polski (pl): the small helpers of the catalogue's two files (pl.ts, pl-create.ts).
import { plural } from './plural.js';

/** "# raz/razy": 1 raz, 2 razy, 5 razy, 1,5 raza. */
export const times = (n: number): string => plural(n, { one: '# raz', few: '# razy', many: '# razy', other: '# raza' });
/** A sentence ending in a duration: "2 godz." keeps its one full stop. */
export const end = (s: string): string => (s.endsWith('.') ? s : `${s}.`);
/** "Link" inside a sentence: "link" ("Token API": "token API"). */
export const low = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);
