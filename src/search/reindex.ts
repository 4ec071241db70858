import type { Catalogue } from '../catalogue/index.ts';
import type { DocumentRecord } from '../catalogue/types.ts';
import { PAGES_INDEX_VERSION } from './index-settings.ts';
import type { SearchEngine } from './meili-client.ts';
import { buildPageSearchDocument, isIndexable, normalizedSearchText } from './page-indexer.ts';

/** Batches queued in Meilisearch at once while a rebuild reads the next from the catalogue. */
const QUEUED_BATCHES = 4;

/**
 * Builds a fresh pages index from the catalogue under a temporary name and swaps it in, so readers
 * never see an empty or half-built index. Meilisearch is never the only copy of anything.
 */
export async function rebuildPagesIndex(
  catalogue: Catalogue,
  engine: SearchEngine,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<{ pages: number }> {
  const uid = engine.temporaryIndexUid('pages_build');
  await engine.preparePagesIndex(uid);
  const total = catalogue.pages.totalCount();
  const docs = new Map<string, DocumentRecord | null>();
  const inFlight: Array<Promise<void>> = [];
  let done = 0;
  let indexed = 0;
  try {
    for (const batch of catalogue.pages.iterateAll(2000)) {
      const records = [];
      const texts = [];
      for (const page of batch) {
        if (!docs.has(page.documentId)) docs.set(page.documentId, catalogue.documents.get(page.documentId));
        const doc = docs.get(page.documentId);
        if (!doc || !isIndexable(page)) continue;
        const searchText = normalizedSearchText(page);
        records.push(buildPageSearchDocument(doc, page, searchText));
        texts.push({ documentId: page.documentId, number: page.number, searchText });
      }
      // Stored beside the index so that verification runs in SQLite (see verification.ts).
      catalogue.pages.saveSearchTexts(texts);
      if (records.length > 0) inFlight.push((await engine.queuePages(records, uid)).settled);
      // A few batches queued at once: Meilisearch indexes queued additions together, and the next
      // batch is prepared while it works. More would only hold more payload in its queue.
      if (inFlight.length >= QUEUED_BATCHES) await inFlight.shift();
      indexed += records.length;
      done += batch.length;
      onProgress(done, total);
      if (docs.size > 5000) docs.clear();
    }
    await Promise.all(inFlight);
    await engine.swapIntoPages(uid);
  } catch (error) {
    await engine.deleteIndex(uid).catch(() => {});
    throw error;
  }
  catalogue.db.prepare("INSERT INTO settings (key, value) VALUES ('pages_index_version', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
    .run(String(PAGES_INDEX_VERSION));
  return { pages: indexed };
}

/** True when the index was built with older settings (or never): the app rebuilds it at start. */
export function pagesIndexOutdated(catalogue: Catalogue): boolean {
  const row = catalogue.db.prepare("SELECT value FROM settings WHERE key = 'pages_index_version'").get() as { value: string } | undefined;
  return row?.value !== String(PAGES_INDEX_VERSION);
}
