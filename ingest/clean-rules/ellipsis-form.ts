/**
 * Artifact: the Chinese ellipsis `……` comes out of PDFs as `⋯⋯` (U+22EF MIDLINE HORIZONTAL ELLIPSIS). Fonts on
 * the Adobe-GB1 character collection map the ellipsis glyph to U+22EF (Adobe-GB1-UCS2), and pdf.js reports
 * that. It looks the same, but search for `……` and the paragraph rule for a line of `……` need U+2026.
 *
 * Safe: in Chinese text `⋯` has no other use. Mathematics does use it (`1, 2, ⋯, n`), so a single `⋯` between
 * Latin letters, digits or ASCII punctuation is left alone; a run of two or more, or one touching Chinese
 * text or a line end, is the ellipsis.
 */

import { isCjk } from './cjk-characters.ts';

const MIDLINE_RUN = /⋯+/gu;

function isChineseContext(char: string | undefined): boolean {
  return char === undefined || char === '\n' || isCjk(char);
}

/** Replace the ellipsis that PDF text layers write as `⋯` with `…`, one for one. */
export function normalizeEllipsis(text: string): string {
  if (!text.includes('⋯')) return text;
  return text.replace(MIDLINE_RUN, (run: string, offset: number) => {
    const before = text[offset - 1];
    const after = text[offset + run.length];
    return run.length >= 2 || isChineseContext(before) || isChineseContext(after) ? '…'.repeat(run.length) : run;
  });
}
