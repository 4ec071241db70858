import type { Settings } from 'meilisearch';
import { PAIR_FIELDS, type PairField } from './index-tokens.ts';

/**
 * The `pages` index settings: one object, versioned. Bump the version when anything here (or the
 * way the searchable fields are built, index-tokens.ts) changes: the app then rebuilds the index
 * from the catalogue at start.
 *
 * Why these values (measured on Meilisearch 1.21 with Chinese archive text):
 * - `chars` and `pairs…` are built by index-tokens.ts: distinct characters for one-character terms,
 *   overlapping character pairs as ASCII words for longer ones, queried as quoted phrases. That
 *   makes every substring findable and phrases of up to four characters exact.
 * - `localizedAttributes` cmn: without it, pages containing `・` were taken for Japanese and missed
 *   (when the fields held Chinese characters; they now hold ASCII code words only, and it stays so that
 *   nothing in them is read as another language).
 * - typo tolerance and prefix search off: a historian's 炭井 must not match anything else.
 * - `maxTotalHits` high: `total` must be exact, not capped at the default 1,000.
 * - `headChars` and `headPairs` (the headline's words, index-tokens.ts) come first, and the `attribute`
 *   rule ranks pages matching there first. Without them Meilisearch's order among pages that match
 *   alike is the order they were indexed in, and the service re-ranks only the first 200 of it: at
 *   10,000 pages, 1,436 of the 2,672 headline pages that the benchmark's queries of more than 200 hits
 *   could have brought into those 200 were in them; with them, all 2,672.
 * - `branch` (index-tokens.ts) is filterable only; no facet search anywhere (the service never asks
 *   for it, and it would cost indexing time for every filterable value).
 */
export const PAGES_INDEX_VERSION = 8;

const SEARCHABLE = ['headChars', 'headPairs', 'chars', ...PAIR_FIELDS];

export const PAGES_INDEX_SETTINGS: Settings = {
  searchableAttributes: SEARCHABLE,
  displayedAttributes: ['id', 'documentId', 'pageNumber', 'collection', 'year', 'type'],
  // `id` is a facet only so that every matching page can be listed cheaply (meili-client listPageIds).
  filterableAttributes: ['id', 'documentId', 'collection', 'year', 'yearTo', 'type', 'published', 'source', 'branch'],
  facetSearch: false,
  sortableAttributes: ['year', 'documentId', 'pageNumber'],
  // `sort` first: a date order must be strict, not a tie-breaker after proximity and exactness. It only
  // acts when a search asks for a sort, so relevance searches keep the other rules. `attribute` before
  // `proximity`, as the service's own ranking puts a headline match before closeness (rank.ts).
  rankingRules: ['sort', 'words', 'attribute', 'proximity', 'exactness'],
  localizedAttributes: [{ attributePatterns: SEARCHABLE, locales: ['cmn'] }],
  typoTolerance: { enabled: false },
  prefixSearch: 'disabled',
  proximityPrecision: 'byWord',
  pagination: { maxTotalHits: 10_000_000 },
  faceting: { maxValuesPerFacet: 10_000_000, sortFacetValuesBy: { '*': 'count', id: 'alpha' } },
  stopWords: [],
};

/** What Meilisearch stores per page; display text stays in the catalogue. */
export interface PageSearchDocument extends Partial<Record<PairField, string>> {
  id: string;
  documentId: string;
  pageNumber: number;
  collection: string;
  year: number | null;
  yearTo: number | null;
  type: string;
  published: boolean;
  source: string;
  chars: string;
  /** The headline's `chars` and pair words (index-tokens.ts `headlineFields`); absent without a headline. */
  headChars?: string;
  headPairs?: string;
  /** Branching trigrams (index-tokens.ts `branchValues`): where a long phrase's match may be wrong. */
  branch: string[];
  /**
   * Fingerprint of the page's searchable text when it was indexed (page-indexer.ts `pageTextHash`), so
   * `npm run check` can tell a stale record without rebuilding its fields. Absent in older records.
   */
  textHash?: string;
}

export function pageSearchId(documentId: string, pageNumber: number): string {
  return `${documentId}-${pageNumber}`;
}

/** The inverse of pageSearchId (document ids may contain '-', page numbers never do). */
export function parsePageId(id: string): { documentId: string; pageNumber: number } {
  const at = id.lastIndexOf('-');
  return { documentId: id.slice(0, at), pageNumber: Number(id.slice(at + 1)) };
}
