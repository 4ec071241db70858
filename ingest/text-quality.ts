/**
 * The one rule that decides "this page's text layer is not usable; OCR it". A page whose extracted
 * text is mostly control, private-use or U+FFFD characters — or has no Han character at all although
 * the document is Chinese (fonts without ToUnicode maps) — counts as having no text, so it is OCRed
 * and never indexed as garbage.
 */
export interface TextVerdict { usable: boolean; reason: 'ok' | 'empty' | 'garbled' | 'no-han' }

const HAN = /\p{Script=Han}/u;
const MIN_MEANINGFUL = 4;

export function judgePageText(text: string, opts: { expectChinese: boolean }): TextVerdict {
  let meaningful = 0;
  let bad = 0;
  let han = 0;
  for (const ch of text) {
    if (/\s/.test(ch)) continue;
    const cp = ch.codePointAt(0)!;
    const isPrivateUse = (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000;
    const isControl = cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
    if (isPrivateUse || isControl || cp === 0xfffd || (cp >= 0xd800 && cp <= 0xdfff)) {
      bad++;
      continue;
    }
    meaningful++;
    if (HAN.test(ch)) han++;
  }
  if (meaningful + bad === 0) return { usable: false, reason: 'empty' };
  if (bad > meaningful) return { usable: false, reason: 'garbled' };
  if (meaningful < MIN_MEANINGFUL) return { usable: false, reason: 'empty' };
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
