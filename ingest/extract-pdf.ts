import path from 'node:path';
import { createRequire } from 'node:module';
import { PDFParse } from 'pdf-parse';

/** The only importer of pdf-parse: the text layer of each page of a PDF. */

export class PdfReadError extends Error {
  override readonly name = 'PdfReadError';
  constructor(message: string, readonly code: 'pdf-corrupt' | 'pdf-encrypted' | 'pdf-too-many-pages', options?: ErrorOptions) {
    super(message, options);
  }
}

export interface PdfTextPage { number: number; text: string }
export interface PdfText { pageCount: number; pages: PdfTextPage[]; info: { title: string | null; author: string | null } }

// Without the CMaps, older Chinese office PDFs (non-embedded fonts with GBK-EUC-H or UniGB-UCS2-H)
// extract as empty text, silently. pdfjs-dist comes with pdf-parse; resolve its packed CMaps.
const CMAP_URL = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'cmaps') + path.sep;
const STANDARD_FONTS_URL = path.join(path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + path.sep;

function translate(error: unknown): PdfReadError {
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException' || /password/i.test(message)) {
    return new PdfReadError('the PDF is encrypted with a password; remove the password and upload it again', 'pdf-encrypted', { cause: error });
  }
  return new PdfReadError(`the PDF cannot be read (${message.split('\n')[0]?.slice(0, 160)})`, 'pdf-corrupt', { cause: error });
}

export async function extractPdfText(bytes: Buffer, opts: { maxPages: number }): Promise<PdfText> {
  const parser = new PDFParse({
    data: new Uint8Array(bytes),
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONTS_URL,
    verbosity: 0,
    isEvalSupported: false,
    stopAtErrors: false,
  });
  try {
    let info: Awaited<ReturnType<PDFParse['getInfo']>>;
    try {
      info = await parser.getInfo();
    } catch (error) {
      throw translate(error);
    }
    if (info.total > opts.maxPages) {
      throw new PdfReadError(`the PDF has ${info.total} pages; the limit is ${opts.maxPages}`, 'pdf-too-many-pages');
    }
    let result: Awaited<ReturnType<PDFParse['getText']>>;
    try {
      // The defaults insert tabs between cells and "-- 1 of 2 --" lines between pages.
      result = await parser.getText({ cellSeparator: '', pageJoiner: '' });
    } catch (error) {
      throw translate(error);
    }
    const meta = (info.info ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
    return {
      pageCount: info.total,
      pages: result.pages.map((p) => ({ number: p.num, text: p.text })),
      info: { title: str(meta.Title), author: str(meta.Author) },
    };
  } finally {
    await parser.destroy();
  }
}
