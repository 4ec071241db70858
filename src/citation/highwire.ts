/**
 * Highwire Press `citation_*` meta tags, which Zotero's page translator and Google Scholar read: with them
 * a reader saves a page of the archive to their library in one click.
 */
import type { CitedWork } from './cited-work.ts';

export interface MetaTag { name: string; content: string }

/** citation_publication_date wants YYYY/MM/DD, YYYY/MM or YYYY; a date without a year is left out. */
export function highwireDate(date: string | null): string | null {
  if (!date) return null;
  const found = /(\d{4})(?:[-/.年](\d{1,2}))?(?:[-/.月](\d{1,2}))?/.exec(date);
  if (!found) return null;
  return [found[1], found[2], found[3]].filter((p): p is string => p !== undefined).map((p) => p.padStart(2, '0')).join('/');
}

export function highwireTags(work: CitedWork): MetaTag[] {
  const tags: MetaTag[] = [];
  const add = (name: string, content: string | number | null | undefined) => {
    if (content !== null && content !== undefined && content !== '') tags.push({ name, content: String(content) });
  };
  const newspaper = work.typeCode === 'N';
  add('citation_title', work.article?.title ?? work.title);
  const authors = work.article?.authors.length ? work.article.authors : work.article && !newspaper ? [] : work.creators;
  for (const a of authors) add('citation_author', a);
  if (work.article && !newspaper) {
    add('citation_inbook_title', work.title);
    for (const e of work.creators) add('citation_editor', e);
  }
  if (newspaper) add('citation_journal_title', work.publisher ?? work.title);
  add('citation_volume', work.volume);
  add('citation_publication_date', highwireDate(work.date));
  add('citation_publisher', newspaper ? null : work.publisher);
  add('citation_firstpage', work.page);
  add('citation_language', work.language);
  add('citation_abstract_html_url', work.url);
  add('citation_pdf_url', work.pdfUrl);
  return tags;
}
