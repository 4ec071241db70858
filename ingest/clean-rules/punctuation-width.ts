/**
 * Artifact: ASCII punctuation inside Chinese text (`协商,议政`, `镇(街)`), from fonts that map full-width marks
 * to ASCII code points and from OCR, which cannot tell `,` from `，` by shape.
 *
 * Safe: only a mark with a Chinese character or Chinese punctuation immediately beside it is converted; in Chinese
 * text the full-width form is the only correct one. Marks between digits or Latin (`1,000`, `12:30`,
 * `Meilisearch (PDF) 检索`) keep their ASCII form. A bracket pair is converted as a pair, so `文件(PDF)格式`
 * becomes `文件（PDF）格式` and never a mixed `（PDF)`.
 */

import { isCjk } from './cjk-characters.ts';

const FULL_WIDTH: Readonly<Record<string, string>> = {
  ',': '，',
  ':': '：',
  ';': '；',
  '?': '？',
  '!': '！',
  '(': '（',
  ')': '）',
};

function isChineseContext(before: string | undefined, after: string | undefined): boolean {
  return (before !== undefined && isCjk(before)) || (after !== undefined && isCjk(after));
}

/** Indexes of matched `(`…`)` pairs on one line (innermost first, as a stack finds them). */
function matchBrackets(chars: readonly string[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  chars.forEach((char, index) => {
    if (char === '(') open.push(index);
    else if (char === ')') {
      const start = open.pop();
      if (start !== undefined) pairs.set(start, index).set(index, start);
    }
  });
  return pairs;
}

function bracketPairIsChinese(chars: readonly string[], start: number, end: number): boolean {
  if (isChineseContext(chars[start - 1], chars[end + 1])) return true;
  return chars.slice(start + 1, end).some(isCjk);
}

/** Convert ASCII `, : ; ? ! ( )` to full width where the context is Chinese. */
export function widenChinesePunctuation(line: string): string {
  if (!/[,:;?!()]/.test(line)) return line;
  const chars = Array.from(line);
  const pairs = matchBrackets(chars);
  return chars
    .map((char, index) => {
      const wide = FULL_WIDTH[char];
      if (wide === undefined) return char;
      const before = chars[index - 1];
      const after = chars[index + 1];
      const partner = pairs.get(index);
      if (partner !== undefined) {
        const [start, end] = partner > index ? [index, partner] : [partner, index];
        return bracketPairIsChinese(chars, start, end) ? wide : char;
      }
      return isChineseContext(before, after) ? wide : char;
    })
    .join('');
}
