import type { OcrLanguage } from './ocr.ts';

/**
 * The script 'auto' expects on the next page of a document: pages of one volume are printed in one
 * script, so once the last two pages read came out in the same script, the next is read in it first
 * (ocr.ts `EXPECTED_KEEP_FROM`), sparing most pages of a traditional volume, or of a faded simplified
 * one, the second reading. Every RECHECK_EVERY-th page is decided afresh, so a volume that changes
 * script (an appendix reprinted from an older edition) is noticed.
 */
export const RECHECK_EVERY = 10;

export function expectedScript(recent: readonly OcrLanguage[], pageNumber: number): OcrLanguage | null {
  if (pageNumber % RECHECK_EVERY === 1) return null;
  const [a, b] = recent.slice(-2);
  return a !== undefined && a === b ? a : null;
}
