/**
 * RIS (Research Information Systems) export, read by Zotero, EndNote and NoteExpress: one tagged line per
 * field, CRLF line ends, `ER  -` closing the record.
 */
import type { CitedWork } from './cited-work.ts';

export type RisType = 'BOOK' | 'CHAP' | 'NEWS';

export function risType(work: CitedWork): RisType {
  if (work.typeCode === 'N') return 'NEWS';
  return work.article ? 'CHAP' : 'BOOK';
}

/** RIS values are one line each: line breaks inside a value would start a bogus tag. */
function line(tag: string, value: string | number | null | undefined): string[] {
  if (value === null || value === undefined || value === '') return [];
  return [`${tag}  - ${String(value).replace(/[\r\n]+/g, ' ').trim()}`];
}

export function risRecord(work: CitedWork): string {
  const type = risType(work);
  const lines: string[] = [...line('TY', type)];
  if (type === 'CHAP') {
    lines.push(...line('TI', work.article!.title));
    for (const a of work.article!.authors) lines.push(...line('AU', a));
    for (const e of work.creators) lines.push(...line('A2', e));
    lines.push(...line('T2', work.title), ...line('VL', work.volume));
  } else if (type === 'NEWS') {
    lines.push(...line('TI', work.article?.title ?? work.title));
    const authors = work.article?.authors.length ? work.article.authors : work.creators;
    for (const a of authors) lines.push(...line('AU', a));
    lines.push(...line('T2', work.publisher ?? work.title));
  } else {
    lines.push(...line('TI', work.title));
    for (const a of work.creators) lines.push(...line('AU', a));
    lines.push(...line('VL', work.volume));
  }
  lines.push(
    ...line('PY', work.year), ...line('DA', work.date), ...line('PB', type === 'NEWS' ? null : work.publisher),
    ...line('CY', work.place), ...line('SP', work.page), ...line('LA', work.language), ...line('UR', work.url),
    ...line('L1', work.pdfUrl), ...line('Y2', work.accessed), ...line('DB', '文史 Wenshi'), 'ER  - ',
  );
  return lines.join('\r\n') + '\r\n';
}
