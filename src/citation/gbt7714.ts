/**
 * GB/T 7714-2015 references (信息与文献 参考文献著录规则), the form Chinese historians cite in:
 *
 *   专著 / 汇编:   主要责任者. 题名: 其他题名信息[M]. 出版地: 出版者, 出版年: 引文页码[引用日期]. 获取和访问路径.
 *   析出文献:      作者. 篇名[M]//编者. 书名: 第N辑. 出版地: 出版者, 出版年: 页码[引用日期]. 获取和访问路径.
 *   报纸:          作者. 题名[N]. 报纸名, 出版日期(版次)[引用日期]. 获取和访问路径.
 *
 * Accessed online, the type code takes "/OL" and the citation date and permalink follow; for unknown parts
 * the standard's placeholders stand in ([出版地不详], [出版者不详]).
 */
import type { CitedWork } from './cited-work.ts';

/** More than three responsible persons: the first three and 等 (§8.1.2). */
function responsible(names: string[]): string {
  return names.length > 3 ? `${names.slice(0, 3).join(', ')}, 等` : names.join(', ');
}

/** Every element ends with a full stop; one already there is not doubled. */
function withStop(text: string): string {
  return /[.。!?！？]$/.test(text) ? text : `${text}.`;
}

function titleWithVolume(work: CitedWork): string {
  return work.volume ? `${work.title}: ${work.volume}` : work.title;
}

function publication(work: CitedWork): string {
  return `${work.place ?? '[出版地不详]'}: ${work.publisher ?? '[出版者不详]'}, ${work.year ?? '[出版年不详]'}`;
}

export interface ReferenceOptions {
  /** Accessed online: type code with /OL, the citation date and the permalink. Default true. */
  online?: boolean;
}

/** The reference as one line of text. */
export function gbt7714Reference(work: CitedWork, options: ReferenceOptions = {}): string {
  const online = options.online ?? true;
  const code = `[${work.typeCode}${online ? '/OL' : ''}]`;
  const page = work.page === null ? '' : work.typeCode === 'N' ? `(${work.page})` : `: ${work.page}`;
  const tail = online ? `${page}[${work.accessed}]. ${withStop(work.url)}` : `${page}.`;
  const parts: string[] = [];

  if (work.typeCode === 'N') {
    const authors = work.article?.authors.length ? work.article.authors : work.creators;
    if (authors.length) parts.push(withStop(responsible(authors)));
    parts.push(`${work.article?.title ?? titleWithVolume(work)}${code}.`);
    const paper = work.publisher ?? work.title;
    parts.push(`${paper}, ${work.date ?? '[出版日期不详]'}${tail}`);
    return parts.join(' ');
  }

  if (work.article) {
    if (work.article.authors.length) parts.push(withStop(responsible(work.article.authors)));
    const host = work.creators.length ? `${withStop(responsible(work.creators))} ` : '';
    parts.push(`${work.article.title}${code}//${host}${withStop(titleWithVolume(work))}`);
  } else {
    if (work.creators.length) parts.push(withStop(responsible(work.creators)));
    parts.push(`${titleWithVolume(work)}${code}.`);
  }
  parts.push(`${publication(work)}${tail}`);
  return parts.join(' ');
}
