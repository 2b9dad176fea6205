// Türkçe (tr): the small helpers of the catalogue's two files (tr.ts, tr-create.ts).

/** "tarayıcıda okundu" at the start of a line: "Tarayıcıda okundu" (Turkish i → İ). */
export const cap = (s: string): string => s.charAt(0).toLocaleUpperCase('tr') + s.slice(1);
/** "Okundu" after a date: "… tarihinde okundu". */
export const low = (s: string): string => s.charAt(0).toLocaleLowerCase('tr') + s.slice(1);
