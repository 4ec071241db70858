import { createHash } from 'node:crypto';
import type { DocumentRecord, PageRecord } from '../catalogue/types.ts';
import { pageSearchId, type PageSearchDocument } from './index-settings.ts';
import { branchValues, characterField, headlineFields, pairFields } from './index-tokens.ts';
import { normalizeText } from './normalize.ts';
import { pageSearchText } from './page-text.ts';

/** The normalised text search matches against: what `page_search_texts` holds and the index is built from. */
export function normalizedSearchText(page: PageRecord): string {
  return normalizeText(pageSearchText(page)).text;
}

/**
 * The Meilisearch record of one page: filters from its document, searchable fields from everything
 * searchable on it. Pass `normalized` when the caller already has `normalizedSearchText(page)`.
 */
export function buildPageSearchDocument(doc: DocumentRecord, page: PageRecord, normalized = normalizedSearchText(page)): PageSearchDocument {
  return {
    id: pageSearchId(doc.id, page.number),
    documentId: doc.id,
    pageNumber: page.number,
    collection: doc.collection?.slug ?? '',
    year: doc.yearFrom,
    yearTo: doc.yearTo ?? doc.yearFrom,
    type: doc.metadata.type,
    published: doc.published,
    source: page.source,
    chars: characterField(normalized),
    ...headlineFields(page.headline ? normalizeText(page.headline).text : ''),
    branch: branchValues(normalized),
    textHash: pageTextHash(page),
    ...pairFields(normalized),
  };
}

/** A short fingerprint of everything searchable on a page, stored in its record to detect stale text. */
export function pageTextHash(page: PageRecord): string {
  return createHash('sha256').update(pageSearchText(page)).digest('hex').slice(0, 16);
}

/** Pages that belong in the index: those with text (a page still waiting for OCR has nothing to find). */
export function isIndexable(page: PageRecord): boolean {
  return !page.needsOcr;
}
