import type { Config } from './config.ts';
import { createCatalogue, type Catalogue } from './catalogue/index.ts';
import { startEmbeddedMeilisearch, type MeilisearchEndpoint } from './search/embedded-meilisearch.ts';
import { createSearchEngine, type SearchEngine } from './search/meili-client.ts';
import { createReadCache } from './catalogue/read-cache.ts';
import type { SearchTextMatch } from './catalogue/pages.ts';
import type { DocumentRecord } from './catalogue/types.ts';
import { createSearchTextMirror, type SearchTextMirror } from './catalogue/search-text-mirror.ts';
import { createSearchTextWorkers, type SearchTextWorkers } from './catalogue/search-text-workers.ts';
import { createPageSearch, type LoadedPage, type PageSearch, type PageSearchDeps } from './search/page-search.ts';
import { pagesIndexOutdated, rebuildPagesIndex } from './search/reindex.ts';
import { pageKey } from './search/verification.ts';
import { prepareStoriesIndex } from './stories/story-actions.ts';
import { createOriginalStore, type OriginalStore } from './storage/originals.ts';
import { createPageImageStore, type PageImageStore } from './storage/page-images.ts';
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
  /** Every page's search text in memory for ranking and checking hits; loaded by `prepareSearchIndex`. */
  searchTexts: SearchTextMirror;
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
  const searchTexts = createSearchTextMirror(catalogue.db, {
    budgetBytes: config.searchTextMemoryBytes,
    onNotice: (message) => console.error(`search: ${message}`),
  });
  const search = createPageSearch(pageSearchDeps(catalogue, engine, searchTextWorkers, searchTexts));
  // Engines start lazily at the first page that needs OCR; the pool itself costs nothing.
  const ocr = createOcrPool({
    size: config.ocrWorkers,
    engine: { maxPixels: config.limits.maxImagePixels, recognizeTimeoutMs: config.limits.secondsPerPage * 1000 },
  });
  return {
    config, catalogue, engine, search, searchTexts, meili, ocr,
    originals: createOriginalStore(config.dataDir),
    images: createPageImageStore(config.dataDir),
    async close() {
      await ocr.terminate();
      searchTexts.close();
      await searchTextWorkers.close();
      await meili.stop();
      catalogue.close();
    },
  };
}

/** Memory for the rows search reads again and again (read-cache.ts), per kind, in bytes (about 80 MB in all). */
const CACHE_BUDGET = { searchTexts: 48 << 20, pages: 32 << 20, titles: 2 << 20, documents: 8 << 20 };
/**
 * What a cached document record weighs: its metadata, a few hundred characters (search reads the
 * documents of the 20 pages it shows; from SQLite that took 0.27 ms a search at 100,000 pages).
 */
const DOCUMENT_BYTES = 2_000;
/**
 * Bytes a shown page holds per character of text: the text (2), and its folding that page search
 * keeps beside it for snippets (2 for the folded text, 4 for the offset map).
 */
const PAGE_BYTES_PER_CHARACTER = 8;
/** What a cached value weighs beyond its text: the key, the object and the map entry. */
const ENTRY_OVERHEAD = 200;

/**
 * What page search needs of the catalogue and the engine. Search texts come from `mirror` once it
 * holds them; before that (or past its memory budget) from SQLite, long candidate lists checked by
 * `workers`. The other rows ranking and the hit list read are kept in memory until the catalogue changes.
 */
export function pageSearchDeps(catalogue: Catalogue, engine: SearchEngine, workers: SearchTextWorkers, mirror?: SearchTextMirror): PageSearchDeps {
  const cache = createReadCache(catalogue.db);
  const searchTexts = cache.store<{ headline: string | null; searchText: Buffer | null }>({
    size: (v) => (v.searchText?.length ?? 0) + 2 * (v.headline?.length ?? 0) + ENTRY_OVERHEAD, budget: CACHE_BUDGET.searchTexts,
  });
  const pages = cache.store<LoadedPage>({
    size: (v) => PAGE_BYTES_PER_CHARACTER * (v.page.text.length + (v.page.correctedText?.length ?? 0)) + ENTRY_OVERHEAD,
    budget: CACHE_BUDGET.pages,
  });
  const titles = cache.store<string>({ size: (v) => 2 * v.length + ENTRY_OVERHEAD, budget: CACHE_BUDGET.titles });
  const documents = cache.store<DocumentRecord>({ size: () => DOCUMENT_BYTES, budget: CACHE_BUDGET.documents });
  const documentsOf = (ids: string[]) => documents.many([...new Set(ids)], (missing) => catalogue.documents.getMany(missing));
  const pageKeys = <K extends { documentId: string }>(keys: K[], number: (k: K) => number) => {
    const byKey = new Map<string, { documentId: string; number: number }>();
    for (const k of keys) byKey.set(pageKey(k.documentId, number(k)), { documentId: k.documentId, number: number(k) });
    return byKey;
  };
  const storedTextsOf = (keys: Array<{ documentId: string; number: number }>) => {
    const byKey = pageKeys(keys, (k) => k.number);
    return searchTexts.many([...byKey.keys()], (missing) => catalogue.pages.searchTextsOf(missing.map((k) => byKey.get(k)!)));
  };
  return {
    engine,
    searchTexts: {
      async filterBySearchText(candidates, include, exclude, opts) {
        const held = mirror?.filter(candidates, include, exclude);
        if (!held) return workers.filterBySearchText(candidates, include, exclude);
        const matches = opts?.facets === false
          ? Array.from(held.hits.indices, (index): SearchTextMatch => ({ index, stored: true, collection: null, year: null, type: '' }))
          : catalogue.pages.searchTextMatches(candidates, held.hits);
        if (held.unheld.length === 0) return matches;
        // Pages without a stored text (or gone): SQLite tells which exist, for the caller to check.
        const rest = catalogue.pages.filterBySearchText(held.unheld.map((i) => candidates[i]!), include, exclude)
          .map((m): SearchTextMatch => ({ ...m, index: held.unheld[m.index]! }));
        return [...matches, ...rest].sort((a, b) => a.index - b.index);
      },
      saveSearchTexts: (entries) => catalogue.pages.saveSearchTexts(entries),
      searchTextsOf(keys) {
        const held = mirror?.textsOf(keys);
        if (!held) return storedTextsOf(keys);
        if (held.size === keys.length) return held;
        const missing = keys.filter((k) => !held.has(pageKey(k.documentId, k.number)));
        const result = new Map<string, { headline: string | null; searchText: string | Buffer | null }>(held);
        for (const [k, v] of storedTextsOf(missing)) result.set(k, v);
        return result;
      },
    },
    loadPages(keys) {
      const byKey = pageKeys(keys, (k) => k.pageNumber);
      return pages.many([...byKey.keys()], (missing) => {
        const found = catalogue.pages.getMany(missing.map((k) => byKey.get(k)!), { layout: false });
        const docs = documentsOf([...found.values()].map((p) => p.documentId));
        const result = new Map<string, LoadedPage>();
        for (const [key, page] of found) {
          const document = docs.get(page.documentId);
          if (document) result.set(key, { page, document });
        }
        return result;
      });
    },
    loadDocuments: documentsOf,
    loadTitles: (ids) => titles.many([...new Set(ids)], (missing) => catalogue.documents.titlesOf(missing)),
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
  // In the background: searches read SQLite until the texts are held.
  void archive.searchTexts.load();
}
