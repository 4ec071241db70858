/**
 * Artifact: text layers and OCR hand us broken or non-canonical Unicode — lone surrogates from truncated
 * UTF-16, decomposed sequences, Kangxi-radical code points standing in for ordinary ideographs (a classic
 * PDF font-mapping artifact: "⼤" U+2F24 instead of "大"), zero-width and control characters, CR line ends.
 * Safe: every replacement maps to the character a reader sees; nothing visible is removed.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Kangxi Radicals block: these glyphs print exactly like the unified ideographs they decompose to (NFKC).
const KANGXI_RADICAL = /[\u2F00-\u2FD5]/g;

// Zero-width space/joiners used as layout hints, soft hyphen, BOM, C0/C1 controls other than tab and newline.
// U+200D (ZWJ) is kept: it joins emoji sequences.
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B\u200C\u2060\uFEFF]/g;

/** Replace lone surrogates with U+FFFD so the string is well-formed UTF-16. */
export function makeWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** Well-formed, NFC, LF line ends, Kangxi radicals folded, invisible characters dropped. */
export function repairUnicode(text: string): string {
  return makeWellFormed(text)
    .replace(/\r\n?/g, '\n')
    .replace(INVISIBLE, '')
    .replace(KANGXI_RADICAL, (radical) => radical.normalize('NFKC'))
    .normalize('NFC');
}
