/**
 * Reading time of a story. Chinese readers take in about 400 characters a minute; a word of Latin
 * script (a name, a number) is read at about half that rate, so it counts as two characters.
 */
export const CHINESE_CHARACTERS_PER_MINUTE = 400;
const WORD_WEIGHT = 2;

const HAN_OR_KANA = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
const LATIN_WORD = /[\p{L}\p{N}]+/gu;

/** Characters a reader reads: Han characters one each, other words (after removing Han) two each. */
export function readingUnits(text: string): number {
  const han = text.match(HAN_OR_KANA)?.length ?? 0;
  const words = text.replace(HAN_OR_KANA, ' ').match(LATIN_WORD)?.length ?? 0;
  return han + words * WORD_WEIGHT;
}

/** Whole minutes, at least one: "3 分钟" reads better than "2.6 分钟" and an empty story still takes a glance. */
export function readingMinutes(text: string): number {
  return Math.max(1, Math.round(readingUnits(text) / CHINESE_CHARACTERS_PER_MINUTE));
}
