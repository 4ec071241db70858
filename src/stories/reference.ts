/**
 * GB/T 7714-2015 references for archive pages cited by stories: the form Chinese historians cite in.
 *
 *     主要责任者. 题名[文献类型标识/OL]. 出版地: 出版者, 出版年: 引文页码[引用日期]. 获取和访问路径.
 *     罗鸣. 凝心聚力促发展[N/OL]. 石嘴山日报, 2024-12(1)[2025-01-05]. https://…/documents/…/pages/1.
 *
 * A small formatter of our own for the cases the archive holds (books and compilations, newspapers,
 * pictures); the documents' Dublin Core metadata supplies the parts, and the standard's own
 * placeholders stand in for what is not known ([出版地不详], [出版者不详]).
 */
import type { DublinCore } from '../catalogue/types.ts';

/** Document type codes of GB/T 7714 §4.2 used here: 专著 M, 汇编 G, 报纸 N, 其他 Z. */
export type DocumentTypeCode = 'M' | 'G' | 'N' | 'Z';

export interface CitedPageSource {
  metadata: Pick<DublinCore, 'title' | 'creator' | 'publisher' | 'date' | 'type' | 'coverage'>;
  pageNumber: number;
  /** Absolute URL of the page viewer. */
  url: string;
  /** Date the page was cited (the story's last change), YYYY-MM-DD. */
  citedOn: string;
}

/** Newspapers by type or by the paper's name (…日报, …晚报, …报); 画报, 简报 and 情报 are not newspapers. */
const NEWSPAPER = /报纸|newspaper|[^画简情]报$/i;
const COMPILATION = /汇编|选编|资料|文集|compilation/i;
const PICTURE = /^(image|stillimage|movingimage|photograph)$|照片|图片|影像/i;

/** The type code from the Dublin Core type, or from the publisher's name for newspapers. */
export function documentTypeCode(metadata: Pick<DublinCore, 'type' | 'publisher' | 'title'>): DocumentTypeCode {
  const type = metadata.type.trim();
  if (PICTURE.test(type)) return 'Z';
  if (NEWSPAPER.test(type) || NEWSPAPER.test(metadata.publisher.trim())) return 'N';
  if (COMPILATION.test(type) || COMPILATION.test(metadata.title)) return 'G';
  return 'M';
}

/** GB/T 7714 ends every element with a full stop; one already there is not doubled. */
function withStop(text: string): string {
  return /[.。!?！？]$/.test(text) ? text : `${text}.`;
}

/** The year of a date as written (2024-12, 1965年, 民国三十八年 stays as written). */
function yearOf(date: string): string {
  return /\d{4}/.exec(date)?.[0] ?? date.trim();
}

/** The reference in two parts, so a page can link the address: everything before it, and the address. */
export function referenceParts(source: CitedPageSource): { lead: string; url: string } {
  const { metadata: m, pageNumber, citedOn } = source;
  const code = documentTypeCode(m);
  const parts: string[] = [];
  const creator = m.creator.trim().replace(/[；;]\s*/g, ', ');
  if (creator) parts.push(withStop(creator));
  parts.push(`${m.title.trim()}[${code}/OL].`);
  const publisher = m.publisher.trim();
  const date = m.date.trim();
  let publication: string;
  if (code === 'N') {
    // 报纸: 报纸名, 出版日期(版次) — the page of the scan stands for the printed page.
    publication = `${publisher || '[出版者不详]'}, ${date || '[出版日期不详]'}(${pageNumber})`;
  } else {
    publication = `[出版地不详]: ${publisher || '[出版者不详]'}, ${yearOf(date) || '[出版年不详]'}: ${pageNumber}`;
  }
  parts.push(`${publication}[${citedOn}].`);
  return { lead: parts.join(' '), url: source.url };
}

export function formatReference(source: CitedPageSource): string {
  const { lead, url } = referenceParts(source);
  return `${lead} ${withStop(url)}`;
}
