import type { DocumentRecord, PageRecord } from '../src/catalogue/types.ts';
import { buildPageSearchDocument } from '../src/search/page-indexer.ts';
import type { PageImageStore } from '../src/storage/page-images.ts';
import { cleanPageText } from './clean.ts';
import type { MediaKind } from './detect-type.ts';
import { ImageInputError, makeWebImage } from './image-prep.ts';
import { parseLanguageChoice } from './languages.ts';
import type { OcrLanguage } from './ocr.ts';
import type { OcrPool } from './ocr-pool.ts';
import { expectedScript } from './volume-script.ts';
import { pdfPageImage } from './pdf-page-image.ts';
import type { IngestDeps } from './pipeline.ts';

export interface OcrStageDeps extends IngestDeps {
  ocr: OcrPool;
  images: PageImageStore;
}

/** The image of one page: a page of the scan itself, or the scanned image / rendering of a PDF page. Also used to redraw lost page images. */
export async function pageImage(kind: MediaKind, bytes: Buffer, pageNumber: number): Promise<{ image: Buffer; page: number }> {
  if (kind === 'image') return { image: bytes, page: pageNumber - 1 };
  if (kind === 'pdf') return { image: await pdfPageImage(bytes, pageNumber), page: 0 };
  throw new Error(`a ${kind} file has no page images`);
}

/** An unusable page image says which page it is and why, on one line; other errors pass unchanged. */
function pageFailure(pageNumber: number, error: unknown): unknown {
  if (!(error instanceof ImageInputError)) return error;
  const cause = error.cause instanceof Error ? ` (${error.cause.message.split('\n')[0]!.slice(0, 160)})` : '';
  return new ImageInputError(error.problem, `page ${pageNumber}: ${error.message}${cause}`, { cause: error });
}

/**
 * Recognises every page still marked as needing OCR, a few at a time (the pool's size), storing
 * each page's image, clean text, confidence and character boxes, and indexing it as soon as it is
 * done — so pages become searchable one by one, and a resumed job starts where the crash left it.
 *
 * When `signal` aborts (the server is shutting down) no new page is started and the stage throws at
 * once, without waiting for the pages being recognised: their results, arriving later, are not
 * saved, and a resumed job recognises them again. Pages saved before stay done.
 */
export async function recognizePendingPages(
  doc: DocumentRecord,
  kind: MediaKind,
  bytes: Buffer,
  deps: OcrStageDeps,
  onPageDone: (done: number, total: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const { catalogue, engine } = deps;
  const all = catalogue.pages.listForDocument(doc.id);
  const pending = all.filter((p) => p.needsOcr);
  let done = all.length - pending.length;
  const languages = parseLanguageChoice(doc.ocrLanguages || 'auto');
  /** Scripts of the pages read so far in this run, in the order they finished (volume-script.ts). */
  const read: OcrLanguage[] = [];

  const recognizeOne = async (page: PageRecord) => {
    const { image, page: index } = await pageImage(kind, bytes, page.number);
    const web = await makeWebImage(image, { page: index });
    deps.images.write(doc.id, page.number, 'page', web.webp);
    deps.images.write(doc.id, page.number, 'thumb', web.thumb);
    const expect = languages === 'auto' ? expectedScript(read, page.number) ?? undefined : undefined;
    const ocr = await deps.ocr.recognize(image, languages, { page: index, expect });
    if (signal?.aborted) return; // too late: the job has gone back to the queue, and this page with it
    read.push(ocr.language);
    const clean = cleanPageText(ocr.text);
    catalogue.db.transaction(() => {
      catalogue.pages.save(doc.id, page.number, {
        text: clean.body, source: 'ocr', confidence: ocr.confidence, needsOcr: false,
        headline: clean.headline, dek: clean.dek, byline: clean.byline, captions: clean.captions,
        layout: ocr.layout, imageWidth: web.width, imageHeight: web.height, hasImage: true,
      });
      catalogue.audit.record('system', 'ocr-page', `${doc.id}/${page.number}`,
        `${ocr.language} ${(ocr.confidence * 100).toFixed(1)}% (${ocr.readings === 1 ? '1 reading' : `${ocr.readings} readings`})`);
    })();
    const saved = catalogue.pages.get(doc.id, page.number)!;
    await engine.addPages([buildPageSearchDocument(catalogue.documents.get(doc.id) ?? doc, saved)]);
    catalogue.pages.markIndexed(doc.id, [page.number]);
    done++;
    onPageDone(done, all.length);
  };

  const queue = [...pending];
  let failure: unknown = null;
  const lanes = Array.from({ length: Math.min(deps.ocr.size, queue.length) }, async () => {
    // After a failure no lane takes a new page; pages in flight finish, and the job is retried later.
    for (let page = queue.shift(); page && failure === null && !signal?.aborted; page = queue.shift()) {
      try {
        await recognizeOne(page);
      } catch (error) {
        failure ??= pageFailure(page.number, error);
      }
    }
  });
  if (signal) {
    let stop = () => {};
    const aborted = new Promise<void>((resolve) => {
      stop = resolve;
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([Promise.all(lanes), aborted]);
    stop();
    signal.throwIfAborted();
  } else {
    await Promise.all(lanes);
  }
  if (failure !== null) throw failure;
}
