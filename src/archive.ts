import type { Config } from './config.ts';
import { createCatalogue, type Catalogue } from './catalogue/index.ts';
import { startEmbeddedMeilisearch, type MeilisearchEndpoint } from './search/embedded-meilisearch.ts';
import { createSearchEngine, type SearchEngine } from './search/meili-client.ts';
import { createSearchTextWorkers, type SearchTextWorkers } from './catalogue/search-text-workers.ts';
import { createPageSearch, type LoadedPage, type PageSearch, type PageSearchDeps } from './search/page-search.ts';
import { pagesIndexOutdated, rebuildPagesIndex } from './search/reindex.ts';
import { prepareStoriesIndex } from './stories/story-actions.ts';
import { createOriginalStore, type OriginalStore } from './storage/originals.ts';
import { createPageImageStore, type PageImageStore } from './storage/page-images.ts';
import type { DocumentRecord } from './catalogue/types.ts';
import { createOcrPool, type OcrPool } from '../ingest/ocr-pool.ts';

/**
 * The archive's parts, built once from the configuration and passed to the web app, the CLI and the
 * job worker. Opening it starts (or reuses) the embedded Meilisearch when MEILI_URL is not set.
 */
export interface Archive {
  config: Config;
  catalogue: Catalogue;
  originals: OriginalStore;
  images: PageImageStore;
  engine: SearchEngine;
  search: PageSearch;
  meili: MeilisearchEndpoint;
  ocr: OcrPool;
  close(): Promise<void>;
}

export async function openArchive(config: Config): Promise<Archive> {
  const catalogue = createCatalogue(config.dataDir);
  let meili: MeilisearchEndpoint;
  try {
    meili = config.meiliUrl
      ? { url: config.meiliUrl.replace(/\/$/, ''), apiKey: config.meiliMasterKey ?? '', pid: null, owned: false, stop: async () => {} }
      : await startEmbeddedMeilisearch(config.dataDir);
  } catch (error) {
    catalogue.close();
    throw error;
  }
  const engine = createSearchEngine(meili.url, meili.apiKey, config.meiliIndexPrefix);
  const searchTextWorkers = createSearchTextWorkers(catalogue.pages, {
    path: catalogue.db.name,
    onFailure: (error) => console.error(`search: checked on the main thread, ${error.message}`),
  });
  const search = createPageSearch(pageSearchDeps(catalogue, engine, searchTextWorkers));
  // Engines start lazily at the first page that needs OCR; the pool itself costs nothing.
  const ocr = createOcrPool({
    size: config.ocrWorkers,
    engine: { maxPixels: config.limits.maxImagePixels, recognizeTimeoutMs: config.limits.secondsPerPage * 1000 },
  });
  return {
    config, catalogue, engine, search, meili, ocr,
    originals: createOriginalStore(config.dataDir),
    images: createPageImageStore(config.dataDir),
    async close() {
      await ocr.terminate();
      await searchTextWorkers.close();
      await meili.stop();
      catalogue.close();
    },
  };
}

/** What page search needs of the catalogue and the engine; long candidate lists are checked by `workers`. */
export function pageSearchDeps(catalogue: Catalogue, engine: SearchEngine, workers: SearchTextWorkers): PageSearchDeps {
  return {
    engine,
    searchTexts: {
      filterBySearchText: (candidates, include, exclude) => workers.filterBySearchText(candidates, include, exclude),
      saveSearchTexts: (entries) => catalogue.pages.saveSearchTexts(entries),
      searchTextsOf: (keys) => catalogue.pages.searchTextsOf(keys),
    },
    loadPages(keys) {
      const pages = catalogue.pages.getMany(keys.map((k) => ({ documentId: k.documentId, number: k.pageNumber })), { layout: false });
      const docs = catalogue.documents.getMany([...pages.values()].map((p) => p.documentId));
      const result = new Map<string, LoadedPage>();
      for (const [key, page] of pages) {
        const document = docs.get(page.documentId);
        if (document) result.set(key, { page, document });
      }
      return result;
    },
    loadDocuments: (ids) => catalogue.documents.getMany(ids),
    loadTitles: (ids) => catalogue.documents.titlesOf(ids),
  };
}

/** Makes sure the pages and stories indexes exist with the current settings; rebuilds them from the catalogue when they changed. */
export async function prepareSearchIndex(archive: Archive): Promise<void> {
  if (pagesIndexOutdated(archive.catalogue)) {
    await rebuildPagesIndex(archive.catalogue, archive.engine);
  } else {
    await archive.engine.preparePagesIndex();
  }
  await prepareStoriesIndex(archive);
}
