import type { PageLayout } from '../src/catalogue/types.ts';
import type { MediaKind } from './detect-type.ts';
import { extractPdfText } from './extract-pdf.ts';
import { judgePageText, documentLooksChinese } from './text-quality.ts';
import { decodeTranscription, splitTranscriptionPages } from './text-encoding.ts';
import { countImagePages } from './image-pages.ts';

/** One page as extracted, before clean-up: text when the file carries usable text, or a note that it needs OCR. */
export type ExtractedPage =
  | { number: number; kind: 'text'; raw: string; layout: PageLayout | null }
  | { number: number; kind: 'needs-ocr'; reason: string };

export interface Extraction { pages: ExtractedPage[]; suggestedTitle: string | null; suggestedCreator: string | null }

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
  const pdf = await extractPdfText(bytes, { maxPages: opts.maxPages });
  const chinese = documentLooksChinese(pdf.pages.map((p) => p.text), opts.language);
  const pages: ExtractedPage[] = [];
  for (let n = 1; n <= pdf.pageCount; n++) {
    const raw = pdf.pages.find((p) => p.number === n)?.text ?? '';
    const verdict = judgePageText(raw, { expectChinese: chinese });
    pages.push(verdict.usable ? { number: n, kind: 'text', raw, layout: null } : { number: n, kind: 'needs-ocr', reason: verdict.reason });
  }
  return { pages, suggestedTitle: pdf.info.title, suggestedCreator: pdf.info.author };
}
