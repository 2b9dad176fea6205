// Deutsch (de): the small helpers of the catalogue's two files (de.ts, de-create.ts).

/** "im Browser gelesen" at the start of a line: "Im Browser gelesen". */
export const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
