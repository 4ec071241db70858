/**
 * What a citation says about a document or one of its pages, taken once from the catalogue's Dublin Core
 * metadata and the page's own headline and byline; every output format (GB/T 7714, RIS, BibTeX, CSL-JSON,
 * Highwire tags) is a pure function of it.
 */
import type { DocumentRecord, PageRecord } from '../catalogue/types.ts';
import { documentTypeCode, type DocumentTypeCode } from '../stories/reference.ts';

export type { DocumentTypeCode };

/** An article (篇) printed in the volume, from a page's headline and byline. */
export interface CitedArticle {
  title: string;
  authors: string[];
}

export interface CitedWork {
  documentId: string;
  typeCode: DocumentTypeCode;
  /** Title of the volume or paper, without book-title marks and without its volume number. */
  title: string;
  /** The volume (第三辑, 第2卷) when the title or collection names one. */
  volume: string | null;
  /** The responsible persons or bodies of the document (编者 of a volume). */
  creators: string[];
  publisher: string | null;
  /** 出版地, when the publisher is written "地: 出版者". */
  place: string | null;
  /** The date as written (2024-12, 1965年, 民国三十八年). */
  date: string | null;
  /** A four-digit year when the date has one, otherwise the date as written. */
  year: string | null;
  language: string | null;
  /** The cited page, or null for the document as a whole. */
  page: number | null;
  /** The article on the cited page, when the page starts one. */
  article: CitedArticle | null;
  /** Absolute permalink of the page (or document). */
  url: string;
  /** Absolute address of the original file, when the public may download it. */
  pdfUrl: string | null;
  /** When it was cited, YYYY-MM-DD. */
  accessed: string;
}

const BOOK_TITLE_MARKS = /[《》〈〉]/g;
const VOLUME = /第\s*[〇零一二三四五六七八九十百千\d]+\s*[辑輯卷册冊集期]/u;
const NAME_SEPARATORS = /[；;、，,／/]|\s+/u;
const ROLE_SUFFIX = /\s*(?:主编|编著|编纂|编辑|编|著|撰|整理|口述|文[/／]图|图[/／]文|摄影|摄|报道)$/u;
const ROLE_PREFIX = /^(?:(?:本报|本刊|特约|实习|见习)?(?:记者|通讯员)|(?:撰文|作者|文|图|口述|整理)[/／:：]?)\s*/u;
/** Longer than this, a byline piece is a phrase, not a name. */
const MAX_NAME_LENGTH = 24;

/** Splits a title into the work's title and its volume: 《石炭井印迹》（第二辑） → 石炭井印迹, 第二辑. */
export function splitVolume(title: string): { title: string; volume: string | null } {
  const clean = title.replace(BOOK_TITLE_MARKS, '').trim();
  const found = VOLUME.exec(clean);
  if (!found) return { title: clean, volume: null };
  const rest = (clean.slice(0, found.index) + clean.slice(found.index + found[0].length))
    .replace(/[（(]\s*[）)]/g, '')
    .replace(/[\s:：·—–-]+$/u, '')
    .trim();
  return { title: rest, volume: found[0].replace(/\s+/g, '') };
}

/** Names in a Dublin Core creator field or a byline, without roles: 本报记者 罗鸣 文/图 → [罗鸣]. */
export function personNames(field: string | null | undefined): string[] {
  if (!field) return [];
  const names: string[] = [];
  for (const piece of field.split(NAME_SEPARATORS)) {
    let name = piece.trim();
    for (let previous = ''; previous !== name; ) {
      previous = name;
      name = name.replace(ROLE_PREFIX, '').replace(ROLE_SUFFIX, '').trim();
    }
    if (name && name.length <= MAX_NAME_LENGTH && !names.includes(name)) names.push(name);
  }
  return names;
}

/** Creators split only at list separators: a body's name (大武口区政协文史委员会) has no spaces to split at, a person list may. */
function creatorNames(field: string): string[] {
  return field.split(/[；;、]/u).map((n) => n.trim().replace(ROLE_SUFFIX, '').trim()).filter(Boolean);
}

/** 出版地 and 出版者 from a publisher written "银川: 宁夏人民出版社"; otherwise the place is unknown. */
export function splitPublisher(field: string): { place: string | null; publisher: string | null } {
  const text = field.trim();
  if (!text) return { place: null, publisher: null };
  const found = /^([^:：]{1,20})[:：]\s*(.+)$/u.exec(text);
  return found ? { place: found[1]!.trim(), publisher: found[2]!.trim() } : { place: null, publisher: text };
}

export function yearOf(date: string): string | null {
  const text = date.trim();
  if (!text) return null;
  return /\d{4}/.exec(text)?.[0] ?? text;
}

export interface CitationInput {
  document: DocumentRecord;
  page?: PageRecord | null;
  /** `https://host`, for the absolute addresses. */
  origin: string;
  accessed: string;
  /** Whether the original may be downloaded by the public (the PDF link of Highwire tags). */
  originalPublic: boolean;
}

/** The work cited: the document, or one page of it (with the article the page starts, if any). */
export function citedWork(input: CitationInput): CitedWork {
  const { document: doc, page } = input;
  const m = doc.metadata;
  let { title, volume } = splitVolume(m.title || doc.originalName);
  if (!title && doc.collection) title = doc.collection.title.replace(BOOK_TITLE_MARKS, '').trim();
  const { place, publisher } = splitPublisher(m.publisher);
  const headline = page?.headline?.trim() || null;
  const article = headline && headline.replace(BOOK_TITLE_MARKS, '') !== title ? { title: headline, authors: personNames(page?.byline) } : null;
  const base = `${input.origin}/documents/${encodeURIComponent(doc.id)}`;
  return {
    documentId: doc.id,
    typeCode: documentTypeCode(m),
    title,
    volume,
    creators: creatorNames(m.creator),
    publisher,
    place,
    date: m.date.trim() || null,
    year: yearOf(m.date),
    language: m.language.trim() || null,
    page: page ? page.number : null,
    article,
    url: page ? `${base}/pages/${page.number}` : base,
    pdfUrl: input.originalPublic && doc.mediaType === 'application/pdf' ? `${base}/original` : null,
    accessed: input.accessed,
  };
}

/** Today in the archive's calendar (China Standard Time), YYYY-MM-DD: the 引用日期 of a reference made now. */
export function citationDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
