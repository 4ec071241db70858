/**
 * Character classes shared by the clean-up rules. Every rule that decides "is this Chinese context?" asks here,
 * so that spacing, punctuation width and line joining agree on what counts as Chinese.
 */

// Han ideographs, kana, bopomofo, 々 and 〇, and full-width letters/digits: things that occupy one square em.
const HAN_LIKE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Bopomofo}\u3005\u3007\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/u;

// Chinese punctuation: CJK symbols block (less 々 〇), full-width ASCII punctuation, the curly quotes,
// em dash and ellipsis that Chinese text uses, and vertical forms.
const CJK_PUNCTUATION = /[\u3001-\u3004\u3008-\u3011\u3014-\u301F\u3030\u303D\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF65\u2014\u2015\u2018-\u201F\u2026\uFE10-\uFE19\uFE30-\uFE4F]/u;

const ASCII_DIGIT = /[0-9]/;
const ASCII_LETTER = /[A-Za-z]/;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;

export function isHanLike(char: string): boolean {
  return HAN_LIKE.test(char);
}

export function isCjkPunctuation(char: string): boolean {
  return CJK_PUNCTUATION.test(char);
}

/** Han-like or Chinese punctuation: a neighbour that makes the context Chinese. */
export function isCjk(char: string): boolean {
  return isHanLike(char) || isCjkPunctuation(char);
}

export function isAsciiDigit(char: string): boolean {
  return ASCII_DIGIT.test(char);
}

export function isAsciiLetter(char: string): boolean {
  return ASCII_LETTER.test(char);
}

export function isAsciiPunctuation(char: string): boolean {
  return ASCII_PUNCTUATION.test(char);
}

/**
 * Characters that end a sentence; a paragraph can only end after one of these (optionally followed by closers).
 * The ASCII period is included for Latin text and for OCR, which often reads `。` as `.`.
 */
export const SENTENCE_END = /[。！？…!?.][”’」』）)》"']*$/u;

/** The same, plus a colon or a bare closing quote: accepted as a paragraph end only when the line is also short. */
export const SOFT_SENTENCE_END = /(?:[。！？…!?.：][”’」』）)》"']*|[”」』])$/u;
