/**
 * CSL-JSON (Citation Style Language data, as Zotero and pandoc read it). Chinese names go in `literal`:
 * splitting them into family and given names is the citation style's business, not ours.
 */
import type { CitedWork } from './cited-work.ts';

interface CslName { literal: string }
interface CslDate { 'date-parts'?: number[][]; literal?: string }

export interface CslItem {
  id: string;
  type: 'book' | 'chapter' | 'article-newspaper';
  title: string;
  author?: CslName[];
  editor?: CslName[];
  'container-title'?: string;
  volume?: string;
  publisher?: string;
  'publisher-place'?: string;
  issued?: CslDate;
  page?: string;
  language?: string;
  URL: string;
  accessed: CslDate;
  source: string;
}

/** A date as CSL date parts when it is numeric (2024, 2024-12, 2024-12-05), otherwise as written. */
export function cslDate(date: string): CslDate {
  const found = /^(\d{4})(?:[-/.年](?:(\d{1,2})(?:[-/.月](?:(\d{1,2})日?)?)?)?)?$/.exec(date.trim());
  if (!found) return { literal: date.trim() };
  return { 'date-parts': [[found[1], found[2], found[3]].filter((p): p is string => p !== undefined).map(Number)] };
}

const people = (list: string[]): CslName[] | undefined => (list.length ? list.map((literal) => ({ literal })) : undefined);

export function cslItem(work: CitedWork): CslItem {
  const id = `wenshi-${work.documentId}${work.page === null ? '' : `-p${work.page}`}`;
  const common = {
    id, issued: work.date ? cslDate(work.date) : undefined, page: work.page === null ? undefined : String(work.page),
    language: work.language ?? undefined, URL: work.url, accessed: cslDate(work.accessed), source: '文史 Wenshi',
  };
  if (work.typeCode === 'N') {
    const authors = work.article?.authors.length ? work.article.authors : work.creators;
    return { ...common, type: 'article-newspaper', title: work.article?.title ?? work.title, author: people(authors),
      'container-title': work.publisher ?? work.title };
  }
  const publisher = { publisher: work.publisher ?? undefined, 'publisher-place': work.place ?? undefined, volume: work.volume ?? undefined };
  if (work.article) {
    return { ...common, ...publisher, type: 'chapter', title: work.article.title, author: people(work.article.authors),
      editor: people(work.creators), 'container-title': work.title };
  }
  return { ...common, ...publisher, type: 'book', title: work.title, author: people(work.creators) };
}

/** The export body: an array of items, as CSL-JSON files are. Undefined fields are left out. */
export function cslJson(work: CitedWork): string {
  return `${JSON.stringify([cslItem(work)], null, 2)}\n`;
}
