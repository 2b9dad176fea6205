// 日本語 (ja): the small helpers of the catalogue's two files (ja.ts, ja-create.ts).

export const n0 = (n: number): string => new Intl.NumberFormat('ja').format(n);
