import path from 'node:path';
import { createRequire } from 'node:module';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { pdfLibraries } from './pdfjs.ts';
import type { PositionedPage, PositionedRun } from './reading-order.ts';

/**
 * The text layer of PDFs: each page's text as positioned runs, and the document's metadata, read with pdf.js
 * (loaded by `pdfjs.ts`; pdf-parse, which is built on it, renders page images in `pdf-page-image.ts`).
 *
 * Text comes from pdf.js directly rather than from pdf-parse's `getText`: that joins the runs into a string in
 * content-stream order and throws their positions away, and the positions are what reading order and the
 * character boxes are made from. One pdf.js document serves text and metadata, so a file is parsed once.
 */

export class PdfReadError extends Error {
  override readonly name = 'PdfReadError';
  constructor(message: string, readonly code: 'pdf-corrupt' | 'pdf-encrypted' | 'pdf-too-many-pages', options?: ErrorOptions) {
    super(message, options);
  }
}

export interface PdfInfo { title: string | null; author: string | null }
export interface PdfPages<T> { pageCount: number; pages: T[]; info: PdfInfo }

// Without the CMaps, older Chinese office PDFs (non-embedded fonts with GBK-EUC-H or UniGB-UCS2-H)
// extract as empty text, silently.
const PDFJS_ROOT = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const CMAP_URL = path.join(PDFJS_ROOT, 'cmaps') + path.sep;
const STANDARD_FONTS_URL = path.join(PDFJS_ROOT, 'standard_fonts') + path.sep;

// Titles that layout and office software write by themselves: a file name or a program's default.
const GENERATED_TITLE = /^(?:microsoft (?:word|powerpoint|excel) - |untitled\b|无标题|新建)|\.(?:docx?|wps|pdf|indd|p65|ceb|tiff?|jpe?g|png|txt)$/iu;

function translate(error: unknown): PdfReadError {
  const name = (error as { name?: string } | null)?.name ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'PasswordException' || /password/i.test(message)) {
    return new PdfReadError('the PDF is encrypted with a password; remove the password and upload it again', 'pdf-encrypted', { cause: error });
  }
  return new PdfReadError(`the PDF cannot be read (${message.split('\n')[0]?.slice(0, 160)})`, 'pdf-corrupt', { cause: error });
}

/** A metadata title worth suggesting: present, and not a file name or a program's placeholder. */
export function meaningfulTitle(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const title = value.trim();
  return title && !GENERATED_TITLE.test(title) ? title : null;
}

/** The product of two affine matrices [a, b, c, d, e, f] (pdf.js's `Util.transform`): m2 first, then m1. */
function transform(m1: number[], m2: number[]): [number, number, number, number, number, number] {
  const [a1 = 1, b1 = 0, c1 = 0, d1 = 1, e1 = 0, f1 = 0] = m1;
  const [a2 = 1, b2 = 0, c2 = 0, d2 = 1, e2 = 0, f2 = 0] = m2;
  return [
    a1 * a2 + c1 * b2, b1 * a2 + d1 * b2,
    a1 * c2 + c1 * d2, b1 * c2 + d1 * d2,
    a1 * e2 + c1 * f2 + e1, b1 * e2 + d1 * f2 + f1,
  ];
}

/** pdf.js text items → runs in page points with y from the top (the page's rotation and crop applied). */
function positionedRuns(items: readonly TextItem[], viewportTransform: number[], verticalFonts: ReadonlySet<string>): PositionedRun[] {
  const runs: PositionedRun[] = [];
  for (const item of items) {
    if (item.str === '') continue;
    const [a, b, c, d, e, f] = transform(viewportTransform, item.transform);
    const vertical = verticalFonts.has(item.fontName);
    const across = Math.hypot(c, d);
    const along = Math.hypot(a, b);
    if (vertical) {
      // Vertical writing advances "down" the glyph's own y axis; its width is the em.
      if (across === 0) continue;
      runs.push({ text: item.str, x: e, y: f, dirX: -c / across, dirY: -d / across, length: item.height, size: item.width || along, vertical, font: item.fontName });
    } else {
      if (along === 0) continue;
      runs.push({ text: item.str, x: e, y: f, dirX: a / along, dirY: b / along, length: item.width, size: across || item.height, vertical, font: item.fontName });
    }
  }
  return runs;
}

async function readPage(doc: PDFDocumentProxy, number: number): Promise<PositionedPage> {
  const page = await doc.getPage(number);
  try {
    const viewport = page.getViewport({ scale: 1 });
    const content = await page.getTextContent();
    const verticalFonts = new Set(Object.entries(content.styles).filter(([, style]) => style.vertical).map(([name]) => name));
    const items = content.items.filter((item): item is TextItem => 'str' in item);
    return { width: viewport.width, height: viewport.height, runs: positionedRuns(items, viewport.transform, verticalFonts) };
  } finally {
    page.cleanup();
  }
}

/**
 * Read every page's positioned text and hand it to `mapPage` at once, so that a long document's runs are never
 * all held in memory together.
 */
export async function readPdfPages<T>(
  bytes: Buffer,
  opts: { maxPages: number },
  mapPage: (page: PositionedPage, number: number) => T,
): Promise<PdfPages<T>> {
  const { getDocument } = await pdfLibraries();
  const task = getDocument({
    data: new Uint8Array(bytes),
    cMapUrl: CMAP_URL,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONTS_URL,
    verbosity: 0,
    isEvalSupported: false,
    stopAtErrors: false,
  });
  try {
    let doc: PDFDocumentProxy;
    let meta: Record<string, unknown>;
    try {
      doc = await task.promise;
      meta = ((await doc.getMetadata()).info ?? {}) as Record<string, unknown>;
    } catch (error) {
      throw translate(error);
    }
    if (doc.numPages > opts.maxPages) {
      throw new PdfReadError(`the PDF has ${doc.numPages} pages; the limit is ${opts.maxPages}`, 'pdf-too-many-pages');
    }
    const pages: T[] = [];
    for (let number = 1; number <= doc.numPages; number += 1) {
      let page: PositionedPage;
      try {
        page = await readPage(doc, number);
      } catch (error) {
        throw translate(error);
      }
      pages.push(mapPage(page, number));
    }
    const author = typeof meta.Author === 'string' && meta.Author.trim() ? meta.Author.trim() : null;
    return { pageCount: doc.numPages, pages, info: { title: meaningfulTitle(meta.Title), author } };
  } finally {
    await task.destroy();
  }
}
