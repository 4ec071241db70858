import { currentText, type DocumentRecord, type PageRecord } from '../catalogue/types.ts';

/**
 * Everything on a page that search must find, in the order a reader meets it: headline, dek, byline,
 * body (the staff correction where one exists), captions, and the original extraction when it was
 * corrected — so a historian searching an OCR misreading still finds the page.
 */
export function pageSearchText(page: PageRecord): string {
  const parts = [page.headline, page.dek, page.byline, currentText(page), ...page.captions];
  if (page.correctedText !== null && page.correctedText !== page.text) parts.push(page.text);
  return parts.filter((p): p is string => !!p && p.length > 0).join('\n');
}

export function documentTitle(doc: DocumentRecord): string {
  return doc.metadata.title || doc.originalName;
}
