import type { Db } from './database.ts';
import { createReadCache } from './read-cache.ts';
import { candidatesJson, createSearchTextFilter, type SearchTextHits } from './search-text-filter.ts';
import type { PageLayout, PageRecord, PageSource } from './types.ts';

interface PageRow {
  document_id: string; number: number; text: string; corrected_text: string | null; source: PageSource;
  confidence: number | null; needs_ocr: number; headline: string | null; dek: string | null; byline: string | null;
  captions: string; layout: string | null; image_width: number | null; image_height: number | null; has_image: number;
}

function toRecord(row: PageRow): PageRecord {
  return {
    documentId: row.document_id, number: row.number, text: row.text, correctedText: row.corrected_text,
    source: row.source, confidence: row.confidence, needsOcr: row.needs_ocr === 1, headline: row.headline,
    dek: row.dek, byline: row.byline, captions: JSON.parse(row.captions) as string[],
    layout: row.layout ? (JSON.parse(row.layout) as PageLayout) : null,
    imageWidth: row.image_width, imageHeight: row.image_height, hasImage: row.has_image === 1,
  };
}

export type PageContent = Omit<PageRecord, 'documentId' | 'number' | 'correctedText'>;

/** A candidate that passed `filterBySearchText`, by its index in the candidate list. */
export interface SearchTextMatch { index: number; stored: boolean; collection: string | null; year: number | null; type: string }
interface FacetRow { id: string; collection: string | null; year: number | null; type: string }

/** What a cached facet row weighs (ids, slug, type, the map entry), and the memory for them: 40,000 documents. */
const FACET_ROW_BYTES = 200;
const FACET_CACHE_BYTES = 8 << 20;

export function createPageRepository(db: Db) {
  const searchTextFilter = createSearchTextFilter(db);
  const one = db.prepare<[string, number], PageRow>('SELECT * FROM pages WHERE document_id = ? AND number = ?');
  const ofDocument = db.prepare<[string], PageRow>('SELECT * FROM pages WHERE document_id = ? ORDER BY number');
  const byKeys = 'FROM json_each(?) j JOIN pages p ON p.document_id = j.value ->> 0 AND p.number = j.value ->> 1';
  const manyByKey = db.prepare<[string], PageRow>(`SELECT p.* ${byKeys}`);
  const manyByKeyWithoutLayout = db.prepare<[string], PageRow>(
    `SELECT p.document_id, p.number, p.text, p.corrected_text, p.source, p.confidence, p.needs_ocr, p.headline, p.dek, p.byline,
            p.captions, NULL AS layout, p.image_width, p.image_height, p.has_image ${byKeys}`,
  );
  // The search text as bytes (UTF-8): ranking counts matches on them, and decoding hundreds of pages
  // into JavaScript strings took most of a search's time.
  const searchTextByKey = db.prepare<[string], { document_id: string; number: number; headline: string | null; search_text: Buffer | null }>(
    `SELECT p.document_id, p.number, p.headline, CAST(s.text AS BLOB) AS search_text
       FROM json_each(?) j JOIN pages p INDEXED BY pages_headline ON p.document_id = j.value ->> 0 AND p.number = j.value ->> 1
       LEFT JOIN page_search_texts s ON s.document_id = p.document_id AND s.number = p.number`,
  );
  const facetsOfDocuments = db.prepare<[string], FacetRow>(
    `SELECT d.id, c.slug AS collection, d.year_from AS year, d.type AS type
       FROM documents d LEFT JOIN collections c ON c.id = d.collection_id
      WHERE d.id IN (SELECT value FROM json_each(?))`,
  );
  /**
   * Facet values by document, kept until the catalogue changes (read-cache.ts): a long candidate list
   * spans thousands of documents, and reading them took 22 ms for 5,216 at 100,000 pages.
   */
  const documentFacets = createReadCache(db).store<FacetRow>({ size: () => FACET_ROW_BYTES, budget: FACET_CACHE_BYTES });
  const saveSearchText = db.prepare('INSERT OR REPLACE INTO page_search_texts (document_id, number, text) VALUES (?, ?, ?)');
  const upsert = db.prepare(
    `INSERT INTO pages (document_id, number, text, source, confidence, needs_ocr, headline, dek, byline, captions, layout,
                        image_width, image_height, has_image, indexed)
     VALUES (@documentId, @number, @text, @source, @confidence, @needsOcr, @headline, @dek, @byline, @captions, @layout,
             @imageWidth, @imageHeight, @hasImage, 0)
     ON CONFLICT (document_id, number) DO UPDATE SET
       text = excluded.text, source = excluded.source, confidence = excluded.confidence, needs_ocr = excluded.needs_ocr,
       headline = excluded.headline, dek = excluded.dek, byline = excluded.byline, captions = excluded.captions,
       layout = excluded.layout, image_width = excluded.image_width, image_height = excluded.image_height,
       has_image = excluded.has_image, indexed = 0`,
  );
  /** Candidates whose stored search text holds every `include` and no `exclude` string (search-text-filter.ts). */
  function matchSearchTexts(candidates: Array<{ documentId: string; number: number }>, include: string[], exclude: string[]): SearchTextHits {
    return searchTextFilter(candidatesJson(candidates), include, exclude);
  }
  /**
   * The passing candidates with the facet values of their documents, read once per document:
   * joining pages and documents for every candidate took a third of the time on long candidate
   * lists (179 against 140 ms for 21,833 candidates at 100,000 pages).
   */
  function searchTextMatches(candidates: Array<{ documentId: string; number: number }>, hits: SearchTextHits): SearchTextMatch[] {
    const ids = new Set<string>();
    for (const i of hits.indices) ids.add(candidates[i]!.documentId);
    const facets = documentFacets.many([...ids], (missing) => {
      const rows = new Map<string, FacetRow>();
      for (const f of facetsOfDocuments.all(JSON.stringify(missing))) rows.set(f.id, f);
      return rows;
    });
    const matches: SearchTextMatch[] = [];
    for (let k = 0; k < hits.indices.length; k++) {
      const index = hits.indices[k]!;
      const f = facets.get(candidates[index]!.documentId);
      if (f) matches.push({ index, stored: hits.stored[k] === 1, collection: f.collection, year: f.year, type: f.type });
    }
    return matches;
  }
  return {
    get(documentId: string, number: number): PageRecord | null {
      const row = one.get(documentId, number);
      return row ? toRecord(row) : null;
    },
    listForDocument(documentId: string): PageRecord[] {
      return ofDocument.all(documentId).map(toRecord);
    },
    /**
     * Pages by (documentId, number) keys, in one query; used to build snippets for a page of search hits.
     * `layout: false` leaves the character boxes out (null): they are large and search does not show them.
     */
    getMany(keys: Array<{ documentId: string; number: number }>, opts: { layout?: boolean } = {}): Map<string, PageRecord> {
      const result = new Map<string, PageRecord>();
      if (keys.length === 0) return result;
      // A join on json_each uses the primary key; `(document_id, number) IN (VALUES …)` scanned the table.
      const rows = (opts.layout === false ? manyByKeyWithoutLayout : manyByKey).all(JSON.stringify(keys.map((k) => [k.documentId, k.number])));
      for (const row of rows) result.set(`${row.document_id}:${row.number}`, toRecord(row));
      return result;
    },
    save(documentId: string, number: number, content: PageContent): void {
      upsert.run({
        documentId, number, text: content.text, source: content.source, confidence: content.confidence,
        needsOcr: content.needsOcr ? 1 : 0, headline: content.headline, dek: content.dek, byline: content.byline,
        captions: JSON.stringify(content.captions), layout: content.layout ? JSON.stringify(content.layout) : null,
        imageWidth: content.imageWidth, imageHeight: content.imageHeight, hasImage: content.hasImage ? 1 : 0,
      });
    },
    markIndexed(documentId: string, numbers: number[]): void {
      const stmt = db.prepare('UPDATE pages SET indexed = 1 WHERE document_id = ? AND number = ?');
      db.transaction(() => numbers.forEach((n) => stmt.run(documentId, n)))();
    },
    countNeedingOcr(documentId: string): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM pages WHERE document_id = ? AND needs_ocr = 1').get(documentId) as { n: number }).n;
    },
    /** Streams every page of every non-failed document: the reindex reads the catalogue this way. */
    *iterateAll(batchSize = 500): Generator<PageRecord[]> {
      let after = { id: '', n: -1 };
      const stmt = db.prepare<[string, string, number, number], PageRow>(
        `SELECT p.* FROM pages p JOIN documents d ON d.id = p.document_id
          WHERE d.status != 'failed' AND d.deleted_at IS NULL AND (p.document_id > ? OR (p.document_id = ? AND p.number > ?))
          ORDER BY p.document_id, p.number LIMIT ?`,
      );
      for (;;) {
        const rows = stmt.all(after.id, after.id, after.n, batchSize);
        if (rows.length === 0) return;
        const last = rows[rows.length - 1]!;
        after = { id: last.document_id, n: last.number };
        yield rows.map(toRecord);
      }
    },
    /**
     * Headlines and stored search texts (UTF-8 bytes, not decoded; null until stored) of pages, keyed
     * `documentId:number`: what ranking reads. The headline comes from the covering index (migration 7).
     */
    searchTextsOf(keys: Array<{ documentId: string; number: number }>): Map<string, { headline: string | null; searchText: Buffer | null }> {
      const result = new Map<string, { headline: string | null; searchText: Buffer | null }>();
      if (keys.length === 0) return result;
      for (const row of searchTextByKey.all(JSON.stringify(keys.map((k) => [k.documentId, k.number])))) {
        result.set(`${row.document_id}:${row.number}`, { headline: row.headline, searchText: row.search_text });
      }
      return result;
    },
    /** Stores the normalised text search verifies against (computed by src/search; see migration 5). */
    saveSearchTexts(entries: Array<{ documentId: string; number: number; searchText: string }>): void {
      db.transaction(() => { for (const e of entries) saveSearchText.run(e.documentId, e.number, e.searchText); })();
    },
    searchTextMatches,
    /**
     * Of `candidates`, those whose stored search text contains every `include` string and none of
     * `exclude`, in candidate order, with their document's facet values — no text leaves SQLite.
     * Candidates whose search text is not stored yet come back with `stored: false` for the caller
     * to check; candidates no longer in the catalogue are left out.
     */
    filterBySearchText(candidates: Array<{ documentId: string; number: number }>, include: string[], exclude: string[]): SearchTextMatch[] {
      if (candidates.length === 0) return [];
      return searchTextMatches(candidates, matchSearchTexts(candidates, include, exclude));
    },
    totalCount(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM pages').get() as { n: number }).n;
    },
  };
}
export type PageRepository = ReturnType<typeof createPageRepository>;
