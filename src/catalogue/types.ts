/** Domain records as the rest of the app sees them (camelCase, parsed JSON). */

export type PageSource = 'text-layer' | 'ocr';
export type DocumentStatus = 'processing' | 'ready' | 'failed';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';
export type JobStage = 'queued' | 'extract' | 'ocr' | 'index' | 'done';

export const DUBLIN_CORE_FIELDS = [
  'title', 'creator', 'contributor', 'publisher', 'date', 'type', 'source',
  'language', 'rights', 'description', 'subject', 'coverage',
] as const;
export type DublinCoreField = (typeof DUBLIN_CORE_FIELDS)[number];
export type DublinCore = Record<DublinCoreField, string>;

export interface Collection {
  id: number;
  slug: string;
  title: string;
  description: string;
}

export interface DocumentRecord {
  id: string;
  sha256: string;
  originalName: string;
  mediaType: string;
  bytes: number;
  collection: Collection | null;
  metadata: DublinCore;
  yearFrom: number | null;
  yearTo: number | null;
  published: boolean;
  status: DocumentStatus;
  pageCount: number;
  ocrLanguages: string;
  createdAt: string;
  updatedAt: string;
  /** Set when an admin hid the document (restorable until purged); hidden documents are invisible to all but admins. */
  deletedAt: string | null;
}

/** Character positions on the page image: 4 ints (x, y, w, h) per UTF-16 unit of `chars`. */
export interface PageLayout {
  width: number;
  height: number;
  chars: string;
  boxes: number[];
}

export interface PageRecord {
  documentId: string;
  number: number;
  /** Clean extracted text (body) as first produced; never overwritten by corrections. */
  text: string;
  correctedText: string | null;
  source: PageSource;
  confidence: number | null;
  needsOcr: boolean;
  headline: string | null;
  dek: string | null;
  byline: string | null;
  captions: string[];
  layout: PageLayout | null;
  imageWidth: number | null;
  imageHeight: number | null;
  hasImage: boolean;
}

/** The text a reader sees: the staff correction where one exists. */
export function currentText(page: PageRecord): string {
  return page.correctedText ?? page.text;
}

export interface JobRecord {
  id: string;
  documentId: string;
  fileName: string;
  status: JobStatus;
  stage: JobStage;
  pagesDone: number;
  pagesTotal: number;
  attempts: number;
  error: string | null;
  owner: string | null;
  createdAt: string;
  updatedAt: string;
}
