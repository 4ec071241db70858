/**
 * The GB/T 7714 document type of an archive document, from its Dublin Core metadata. The references
 * themselves are written by src/citation (gbt7714.ts), which reads the type from here.
 */
import type { DublinCore } from '../catalogue/types.ts';

/** Document type codes of GB/T 7714 §4.2 used here: 专著 M, 汇编 G, 报纸 N, 其他 Z. */
export type DocumentTypeCode = 'M' | 'G' | 'N' | 'Z';

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
