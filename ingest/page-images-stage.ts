import type { Catalogue } from '../src/catalogue/index.ts';
import type { DocumentRecord, PageRecord } from '../src/catalogue/types.ts';
import { isIndexable } from '../src/search/page-indexer.ts';
import type { PageImageStore } from '../src/storage/page-images.ts';
import type { MediaKind } from './detect-type.ts';
import { makeWebImage } from './image-prep.ts';
import { pdfPageImage } from './pdf-page-image.ts';
import { ensureRenderFonts } from './render-fonts.ts';

export interface PageImagesDeps {
  catalogue: Catalogue;
  images: PageImageStore;
}

/** Pages of a PDF whose text came from the text layer and that have no image yet (OCR pages get theirs from OCR). */
export function pagesWithoutImage(pages: PageRecord[]): PageRecord[] {
  return pages.filter((p) => p.source === 'text-layer' && !p.needsOcr && !p.hasImage);
}

/**
 * Renders the image of every text-layer PDF page that has none, so that every page has its scan beside its
 * text. One page at a time (rendering holds a 300 DPI bitmap); each page is recorded as soon as its image is
 * written, so a resumed job renders only what is missing. The page's text and character boxes stay as
 * extracted: the boxes are in their own space (layout width/height), which the viewer maps by percentages.
 */
export async function renderMissingPageImages(
  doc: DocumentRecord,
  kind: MediaKind,
  bytes: Buffer,
  deps: PageImagesDeps,
  onPageDone: (done: number, total: number) => void = () => {},
): Promise<number> {
  if (kind !== 'pdf') return 0;
  const missing = pagesWithoutImage(deps.catalogue.pages.listForDocument(doc.id));
  if (missing.length === 0) return 0;
  ensureRenderFonts();
  let done = 0;
  for (const page of missing) {
    const web = await makeWebImage(await pdfPageImage(bytes, page.number));
    deps.images.write(doc.id, page.number, 'page', web.webp);
    deps.images.write(doc.id, page.number, 'thumb', web.thumb);
    const { catalogue } = deps;
    catalogue.db.transaction(() => {
      // Read again inside the transaction: the job is the only writer of these fields, but a correction
      // may have landed while the page was rendering, and must not be overwritten.
      const current = catalogue.pages.get(doc.id, page.number);
      if (!current) return;
      const { documentId: _d, number: _n, correctedText: _c, ...content } = current;
      catalogue.pages.save(doc.id, page.number, { ...content, imageWidth: web.width, imageHeight: web.height, hasImage: true });
      // Saving clears the "indexed" flag; nothing searchable changed, and the job indexed the page before this stage.
      if (isIndexable(current)) catalogue.pages.markIndexed(doc.id, [page.number]);
    })();
    done += 1;
    onPageDone(done, missing.length);
  }
  return done;
}
