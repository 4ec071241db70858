import type { Settings } from 'meilisearch';

/**
 * The `pages` index settings: one object, versioned. Bump the version when anything here (or the
 * way `tokens` is built) changes: the app then rebuilds the index from the catalogue at start.
 *
 * Why these values (measured on Meilisearch 1.21 with Chinese archive text):
 * - `tokens` holds the normalised text as single characters separated by spaces, and queries are
 *   quoted phrases of characters; this is what makes every substring findable.
 * - `localizedAttributes` cmn: without it, pages containing `・` were taken for Japanese and missed.
 * - typo tolerance and prefix search off: a historian's 炭井 must not match anything else.
 * - `maxTotalHits` high: `total` must be exact, not capped at the default 1,000.
 */
export const PAGES_INDEX_VERSION = 1;

export const PAGES_INDEX_SETTINGS: Settings = {
  searchableAttributes: ['tokens'],
  displayedAttributes: ['id', 'documentId', 'pageNumber', 'collection', 'year', 'type'],
  filterableAttributes: ['documentId', 'collection', 'year', 'yearTo', 'type', 'published', 'source'],
  sortableAttributes: ['year', 'documentId', 'pageNumber'],
  rankingRules: ['words', 'proximity', 'exactness', 'sort'],
  localizedAttributes: [{ attributePatterns: ['tokens'], locales: ['cmn'] }],
  typoTolerance: { enabled: false },
  prefixSearch: 'disabled',
  proximityPrecision: 'byWord',
  pagination: { maxTotalHits: 10_000_000 },
  faceting: { maxValuesPerFacet: 500 },
  stopWords: [],
};

/** What Meilisearch stores per page; display text stays in the catalogue. */
export interface PageSearchDocument {
  id: string;
  documentId: string;
  pageNumber: number;
  collection: string;
  year: number | null;
  yearTo: number | null;
  type: string;
  published: boolean;
  source: string;
  tokens: string;
}

export function pageSearchId(documentId: string, pageNumber: number): string {
  return `${documentId}-${pageNumber}`;
}
