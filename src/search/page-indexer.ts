import type { DocumentRecord, PageRecord } from '../catalogue/types.ts';
import { pageSearchId, type PageSearchDocument } from './index-settings.ts';
import { normalizeText, toIndexTokens } from './normalize.ts';
import { pageSearchText } from './page-text.ts';

/** The Meilisearch record of one page: filters from its document, tokens from everything searchable on it. */
export function buildPageSearchDocument(doc: DocumentRecord, page: PageRecord): PageSearchDocument {
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
    tokens: toIndexTokens(normalizeText(pageSearchText(page)).text),
  };
}

/** Pages that belong in the index: those with text (a page still waiting for OCR has nothing to find). */
export function isIndexable(page: PageRecord): boolean {
  return !page.needsOcr;
}
