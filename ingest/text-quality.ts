/**
 * The one rule that decides "this page's text layer is not usable; OCR it". A page whose extracted
 * text is mostly control, private-use or U+FFFD characters — or has no Han character at all although
 * the document is Chinese (fonts without ToUnicode maps) — counts as having no text, so it is OCRed
 * and never indexed as garbage.
 *
 * A font without a Unicode map also yields plain ASCII noise: its glyph ids read as character codes.
 * Two more signs catch that in documents of any language: punctuation soup (most characters are neither
 * letters nor digits), and ascending runs (a subsetting program numbers glyphs in order of first use, so
 * the "text" counts up: `\u0003\u0004\u0005`, `()*+,-./0123`, `DEFGHIJ`).
 */
export interface TextVerdict { usable: boolean; reason: 'ok' | 'empty' | 'garbled' | 'no-han' }

const HAN = /\p{Script=Han}/u;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const MIN_MEANINGFUL = 4;
// Running text in any script is mostly letters (or ideographs) and digits; punctuation stays a minority.
const MIN_WORD_CHARACTER_SHARE = 0.5;
// Neighbouring characters one code point apart: rare in text ("abc", "123"), the rule in a glyph-id dump.
const MAX_ASCENDING_SHARE = 0.3;
const MIN_PAIRS_FOR_ASCENDING = 12;

const isAsciiDigit = (cp: number): boolean => cp >= 0x30 && cp <= 0x39;

interface Tally { meaningful: number; bad: number; han: number; wordCharacters: number; pairs: number; ascending: number }

function tally(text: string): Tally {
  const counts: Tally = { meaningful: 0, bad: 0, han: 0, wordCharacters: 0, pairs: 0, ascending: 0 };
  let previous = -1;
  for (const ch of text) {
    if (/\s/u.test(ch)) {
      previous = -1;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    // Digits count up in real text too (`12`, `1234`): those pairs say nothing.
    if (previous >= 0 && !(isAsciiDigit(cp) && isAsciiDigit(previous))) {
      counts.pairs++;
      if (cp === previous + 1) counts.ascending++;
    }
    previous = cp;
    const isPrivateUse = (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000;
    const isControl = cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
    if (isPrivateUse || isControl || cp === 0xfffd || (cp >= 0xd800 && cp <= 0xdfff)) {
      counts.bad++;
      continue;
    }
    counts.meaningful++;
    if (HAN.test(ch)) counts.han++;
    if (WORD_CHARACTER.test(ch)) counts.wordCharacters++;
  }
  return counts;
}

export function judgePageText(text: string, opts: { expectChinese: boolean }): TextVerdict {
  const { meaningful, bad, han, wordCharacters, pairs, ascending } = tally(text);
  if (meaningful + bad === 0) return { usable: false, reason: 'empty' };
  if (bad > meaningful) return { usable: false, reason: 'garbled' };
  if (meaningful < MIN_MEANINGFUL) return { usable: false, reason: 'empty' };
  if (wordCharacters < MIN_WORD_CHARACTER_SHARE * meaningful) return { usable: false, reason: 'garbled' };
  if (pairs >= MIN_PAIRS_FOR_ASCENDING && ascending > MAX_ASCENDING_SHARE * pairs) return { usable: false, reason: 'garbled' };
  if (opts.expectChinese && han === 0) return { usable: false, reason: 'no-han' };
  return { usable: true, reason: 'ok' };
}

/**
 * This is an archive of Chinese material: a document is taken as Chinese unless its metadata names
 * another language, or some page carries Han text. A garbled layer (no ToUnicode map) often yields
 * Latin-looking junk, so "no Han anywhere" alone must not make a document count as non-Chinese.
 */
export function documentLooksChinese(pageTexts: string[], language: string): boolean {
  if (language.trim() === '' || /^(zh|chi|cmn)/i.test(language)) return true;
  return pageTexts.some((t) => HAN.test(t));
}
