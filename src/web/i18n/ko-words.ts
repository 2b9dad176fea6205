// 한국어 (ko): the small helpers of the catalogue's two files (ko.ts, ko-create.ts).

/** The object particle for a word: 을 after a final consonant (토큰을), 를 after a vowel (링크를); 을(를) if it is not Hangul. */
export const eul = (word: string): string => {
  const c = word.charCodeAt(word.length - 1);
  if (c < 0xac00 || c > 0xd7a3) return '을(를)';
  return (c - 0xac00) % 28 === 0 ? '를' : '을';
};
