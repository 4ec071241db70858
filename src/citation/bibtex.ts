/**
 * BibTeX (biblatex fields: urldate, langid) export. Chinese names are braced whole, so BibTeX does not
 * split them into first and last names; the characters special to TeX are escaped.
 */
import type { CitedWork } from './cited-work.ts';

export type BibtexType = 'book' | 'incollection' | 'article';

export function bibtexType(work: CitedWork): BibtexType {
  if (work.typeCode === 'N') return 'article';
  return work.article ? 'incollection' : 'book';
}

const TEX_SPECIALS: Record<string, string> = {
  '\\': '\\textbackslash{}', '{': '\\{', '}': '\\}', '%': '\\%', '&': '\\&', '$': '\\$', '#': '\\#', '_': '\\_',
  '^': '\\^{}', '~': '\\~{}',
};

export function escapeTex(value: string): string {
  return value.replace(/[\\{}%&$#_^~]/g, (c) => TEX_SPECIALS[c] ?? c).replace(/\s+/g, ' ').trim();
}

function names(list: string[]): string | null {
  return list.length ? list.map((n) => `{${escapeTex(n)}}`).join(' and ') : null;
}

/** A citation key from the permanent ids only: stable, ASCII, unique per page. */
export function bibtexKey(work: CitedWork): string {
  return `wenshi-${work.documentId}${work.page === null ? '' : `-p${work.page}`}`;
}

export function bibtexEntry(work: CitedWork): string {
  const type = bibtexType(work);
  const fields: Array<[string, string | null]> = [];
  const text = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? null : escapeTex(String(v)));
  if (type === 'incollection') {
    fields.push(['title', text(work.article!.title)], ['author', names(work.article!.authors)], ['editor', names(work.creators)],
      ['booktitle', text(work.title)], ['volume', text(work.volume)]);
  } else if (type === 'article') {
    const authors = work.article?.authors.length ? work.article.authors : work.creators;
    fields.push(['title', text(work.article?.title ?? work.title)], ['author', names(authors)],
      ['journal', text(work.publisher ?? work.title)], ['entrysubtype', 'newspaper']);
  } else {
    fields.push(['title', text(work.title)], ['author', names(work.creators)], ['volume', text(work.volume)]);
  }
  fields.push(
    ['publisher', type === 'article' ? null : text(work.publisher)], ['address', text(work.place)], ['year', text(work.year)],
    ['date', text(work.date)], ['pages', text(work.page)], ['langid', text(work.language)], ['url', work.url],
    ['urldate', work.accessed],
  );
  const body = fields.filter(([, v]) => v !== null).map(([k, v]) => `  ${k} = {${v}}`).join(',\n');
  return `@${type}{${bibtexKey(work)},\n${body}\n}\n`;
}
