/**
 * Artifact: spaces inside Chinese text. Text extraction inserts a space wherever glyphs stand further apart
 * than usual: between every character of a justified line (`大 武 口 区 政 协`), around numbers set in a
 * different font (`培训 1000 余人次`), before punctuation (`活 动 ，资 助`). OCR does the same.
 *
 * Safe: Chinese is written without spaces, so a space with Chinese on one side and Chinese, a digit or an ASCII
 * symbol on the other carries no meaning; nor does a space next to full-width punctuation, which has its own
 * spacing built in. A space touching a Latin letter is kept (`使用 Meilisearch 1.x 检索 PDF 文件`): mixed
 * Chinese–Latin text is written with those spaces on purpose.
 */

import { isAsciiDigit, isAsciiPunctuation, isCjkPunctuation, isHanLike } from './cjk-characters.ts';

// Horizontal whitespace, including no-break and ideographic spaces that extraction sometimes emits.
const SPACE_RUN = /(\S)[ \t\u00A0\u2000-\u200A\u202F\u205F\u3000]+(?=(\S))/gu;
const HAS_SPACE = /[ \t\u00A0\u2000-\u200A\u202F\u205F\u3000]/u;
const EDGE_SPACE = /^[ \t\u00A0\u2000-\u200A\u202F\u205F\u3000]+|[ \t\u00A0\u2000-\u200A\u202F\u205F\u3000]+$/gu;

function isNumberOrSymbol(char: string): boolean {
  return isAsciiDigit(char) || isAsciiPunctuation(char);
}

/** Whether the space between `before` and `after` is an extraction artifact. */
export function isSpuriousSpace(before: string, after: string): boolean {
  if (isCjkPunctuation(before) || isCjkPunctuation(after)) return true;
  if (isHanLike(before)) return isHanLike(after) || isNumberOrSymbol(after);
  if (isHanLike(after)) return isNumberOrSymbol(before);
  return false;
}

/** Remove spurious spaces inside a line, collapse the kept ones to one, trim the ends. */
export function tidyCjkSpacing(line: string): string {
  if (!HAS_SPACE.test(line)) return line;
  return line
    .replace(EDGE_SPACE, '')
    .replace(SPACE_RUN, (_run, before: string, after: string) => (isSpuriousSpace(before, after) ? before : `${before} `));
}
