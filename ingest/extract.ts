import type { PageLayout } from '../src/catalogue/types.ts';
import type { MediaKind } from './detect-type.ts';
import { readPdfPages } from './extract-pdf.ts';
import { orderPageText } from './reading-order.ts';
import { judgePageText, documentLooksChinese } from './text-quality.ts';
import { decodeTranscription, splitTranscriptionPages } from './text-encoding.ts';
import { countImagePages } from './image-pages.ts';

/** One page as extracted, before clean-up: text when the file carries usable text, or a note that it needs OCR. */
export type ExtractedPage =
  | { number: number; kind: 'text'; raw: string; layout: PageLayout | null }
  | { number: number; kind: 'needs-ocr'; reason: string };

export interface Extraction { pages: ExtractedPage[]; suggestedTitle: string | null; suggestedCreator: string | null }

/** Page-image pixels per PDF point of the character boxes: 2 ≈ 144 DPI. */
export const LAYOUT_SCALE = 2;

/** Text layer of PDFs, decoded transcriptions, and page counts of images (whose text comes from OCR). */
export async function extractPages(
  kind: MediaKind,
  bytes: Buffer,
  opts: { maxPages: number; maxImagePixels: number; language: string },
): Promise<Extraction> {
  if (kind === 'text') {
    const { text } = decodeTranscription(bytes);
    const pages = splitTranscriptionPages(text).map((raw, i) => ({ number: i + 1, kind: 'text' as const, raw, layout: null }));
    return { pages, suggestedTitle: null, suggestedCreator: null };
  }
  if (kind === 'image') {
    const count = await countImagePages(bytes, opts);
    const pages = Array.from({ length: count }, (_, i) => ({ number: i + 1, kind: 'needs-ocr' as const, reason: 'scan' }));
    return { pages, suggestedTitle: null, suggestedCreator: null };
  }
  // Each page's runs are put in reading order as they are read; the layout's text is the page's raw text.
  const pdf = await readPdfPages(bytes, { maxPages: opts.maxPages }, (page) => orderPageText(page, LAYOUT_SCALE));
  const chinese = documentLooksChinese(pdf.pages.map((layout) => layout.chars), opts.language);
  const pages = pdf.pages.map((layout, index): ExtractedPage => {
    const number = index + 1;
    const verdict = judgePageText(layout.chars, { expectChinese: chinese });
    return verdict.usable ? { number, kind: 'text', raw: layout.chars, layout } : { number, kind: 'needs-ocr', reason: verdict.reason };
  });
  return { pages, suggestedTitle: pdf.info.title, suggestedCreator: pdf.info.author };
}
