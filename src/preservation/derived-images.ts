import type { Catalogue } from '../catalogue/index.ts';
import { createArchiveRows } from '../catalogue/archive-rows.ts';
import type { OriginalStore } from '../storage/originals.ts';
import type { PageImageStore } from '../storage/page-images.ts';
import { detectType } from '../../ingest/detect-type.ts';
import { makeWebImage } from '../../ingest/image-prep.ts';
import { pageImage } from '../../ingest/ocr-stage.ts';
import { ensureRenderFonts } from '../../ingest/render-fonts.ts';

export interface RedrawResult { drawn: number; failed: Array<{ documentId: string; pageNumber: number; error: string }> }

/**
 * Draws again, from the originals, the page images (and thumbnails) that pages say they have but that
 * are not on disk — after an import, or after the derived files were lost. The same rendering as
 * ingestion: the page of a scan, or the scanned image or rendering of a PDF page.
 */
export async function redrawMissingPageImages(
  deps: { catalogue: Catalogue; originals: OriginalStore; images: PageImageStore; maxImagePixels: number },
  onProgress: (drawn: number) => void = () => {},
): Promise<RedrawResult> {
  const result: RedrawResult = { drawn: 0, failed: [] };
  for (const id of createArchiveRows(deps.catalogue.db).documentIds()) {
    const missing = deps.catalogue.pages.listForDocument(id).filter((p) => p.hasImage && !deps.images.exists(id, p.number, 'page'));
    if (missing.length === 0) continue;
    const doc = deps.catalogue.documents.get(id)!;
    const bytes = deps.originals.read(doc.sha256);
    const kind = detectType(bytes).kind;
    if (kind === 'pdf') ensureRenderFonts(); // PDF pages set in fonts they do not embed draw as empty boxes otherwise
    for (const page of missing) {
      try {
        const { image, page: index } = await pageImage(kind, bytes, page.number);
        const web = await makeWebImage(image, { page: index, maxPixels: deps.maxImagePixels });
        deps.images.write(id, page.number, 'page', web.webp);
        deps.images.write(id, page.number, 'thumb', web.thumb);
        result.drawn++;
        onProgress(result.drawn);
      } catch (error) {
        result.failed.push({ documentId: id, pageNumber: page.number, error: (error as Error).message.split('\n')[0]! });
      }
    }
  }
  return result;
}
