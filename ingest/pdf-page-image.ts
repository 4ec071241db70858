import path from 'node:path';
import { createRequire } from 'node:module';
import { PdfReadError } from './extract-pdf.ts';
import { pdfLibraries } from './pdfjs.ts';

/** Page images of PDFs, for OCR and for the viewer, with pdf-parse (loaded by `pdfjs.ts`). */

const PDFJS_ROOT = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const LOAD_OPTIONS = {
  cMapUrl: path.join(PDFJS_ROOT, 'cmaps') + path.sep,
  cMapPacked: true,
  standardFontDataUrl: path.join(PDFJS_ROOT, 'standard_fonts') + path.sep,
  verbosity: 0,
  isEvalSupported: false,
};

/** Pages that are one scanned image: the image must cover most of the page to count as "the page". */
const MIN_SCAN_SIDE = 600;

/**
 * The image of one PDF page for OCR: when the page is one scanned image, that image itself (no
 * re-rendering, no loss); otherwise the page rendered at about 300 DPI. One page per call, since
 * rendering a whole document at once held hundreds of megabytes.
 */
export async function pdfPageImage(bytes: Buffer, pageNumber: number): Promise<Buffer> {
  const { PDFParse } = await pdfLibraries();
  const parser = new PDFParse({ data: new Uint8Array(bytes), ...LOAD_OPTIONS });
  try {
    try {
      const images = await parser.getImage({ partial: [pageNumber], imageBuffer: true, imageDataUrl: false, imageThreshold: MIN_SCAN_SIDE });
      const found = images.pages[0]?.images ?? [];
      if (found.length === 1 && found[0]!.data.length > 0) return Buffer.from(found[0]!.data);
    } catch {
      // Fall through to rendering: some image encodings cannot be extracted as such.
    }
    const shot = await parser.getScreenshot({ partial: [pageNumber], scale: 300 / 72, imageBuffer: true, imageDataUrl: false });
    const page = shot.pages[0];
    if (!page || page.data.length === 0) throw new PdfReadError(`page ${pageNumber} could not be rendered`, 'pdf-corrupt');
    return Buffer.from(page.data);
  } catch (error) {
    if (error instanceof PdfReadError) throw error;
    throw new PdfReadError(`page ${pageNumber} could not be rendered (${(error as Error).message.split('\n')[0]?.slice(0, 160)})`, 'pdf-corrupt', { cause: error });
  } finally {
    await parser.destroy();
  }
}
