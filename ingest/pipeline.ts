import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../src/config.ts';
import type { Catalogue } from '../src/catalogue/index.ts';
import type { DocumentRecord, DublinCore, JobRecord } from '../src/catalogue/types.ts';
import type { SearchEngine } from '../src/search/meili-client.ts';
import { buildPageSearchDocument, isIndexable } from '../src/search/page-indexer.ts';
import type { OriginalStore } from '../src/storage/originals.ts';
import { sha256Of } from '../src/storage/originals.ts';
import { cleanPageText, dropRunningHeaders } from './clean.ts';
import { detectType, UnsupportedFileError, type AcceptedType } from './detect-type.ts';
import { extractPages } from './extract.ts';
import type { OcrPool } from './ocr-pool.ts';
import { recognizePendingPages } from './ocr-stage.ts';
import { renderMissingPageImages } from './page-images-stage.ts';
import type { PageImageStore } from '../src/storage/page-images.ts';

/** Everything the pipeline touches, passed in so tests run it against a throwaway data dir and index. */
export interface IngestDeps {
  config: Config;
  catalogue: Catalogue;
  originals: OriginalStore;
  engine: SearchEngine;
  /** Page images and OCR: without them, scanned pages stay marked as needing OCR. */
  images?: PageImageStore;
  ocr?: OcrPool;
}

export interface SubmitOptions {
  collection?: string;
  collectionTitle?: string;
  title?: string;
  lang?: string;
  publish?: boolean;
  metadata?: Partial<DublinCore>;
  actor: string;
  /** Set by a process that will run the job itself at once (the CLI), so no other worker takes it. */
  owner?: string;
}

export type SubmitOutcome =
  | { status: 'queued'; documentId: string; job: JobRecord; fileName: string }
  | { status: 'duplicate'; documentId: string; fileName: string }
  | { status: 'rejected'; code: string; error: string; fileName: string };

/**
 * Tells this process (or job thread) apart from an earlier one with the same pid: in a container the
 * server is pid 1 at every start, and a job its predecessor left running must still count as orphaned.
 */
const OWNER_NONCE = randomBytes(4).toString('hex');

/** Who runs a job: `host:pid:nonce`. */
export function processOwner(): string {
  return `${os.hostname()}:${process.pid}:${OWNER_NONCE}`;
}

/** A readable title from a file name: no folders, no extension, separators as spaces, no control or replacement characters. */
export function titleFromFileName(fileName: string): string {
  const base = path.basename(fileName.replace(/\\/g, '/')).replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return base.replace(/[\u0000-\u001f\u007f\uFFFD]/g, '').replace(/[_]+/g, ' ').trim() || '未命名文献';
}

/** The refusal of a file over the size limit, in whole megabytes as the limit is configured. */
export function tooLargeMessage(bytes: number, limit: number): string {
  const mb = (n: number) => `${Math.round((n / 1048576) * 10) / 10} MB`;
  return `the file is ${mb(bytes)}, larger than the limit of ${mb(limit)} (MAX_FILE_MB)`;
}

/** A refused file leaves nothing behind but this audit line: no original, no document, no job. */
export function recordRejection(catalogue: Catalogue, actor: string, fileName: string, code: string, error: string, bytes: number): void {
  catalogue.audit.record(actor, 'upload-rejected', path.basename(fileName), `${code}: ${error} (${bytes} bytes)`);
}

/** Short permanent id from the content hash; lengthened in the (unlikely) case of a prefix clash. */
function documentIdFor(sha256: string, catalogue: Catalogue): string {
  for (let len = 12; len <= 64; len += 4) {
    const id = sha256.slice(0, len);
    const existing = catalogue.documents.get(id);
    if (!existing || existing.sha256 === sha256) return id;
  }
  return sha256;
}

/**
 * The front half of ingestion, shared by the upload route and the CLI: check the bytes, keep the
 * original (content-addressed, never modified), record the document and queue its job.
 */
export function submitFile(bytes: Buffer, fileName: string, options: SubmitOptions, deps: IngestDeps): SubmitOutcome {
  const { catalogue } = deps;
  const refuse = (code: string, error: string): SubmitOutcome => {
    recordRejection(catalogue, options.actor, fileName, code, error, bytes.length);
    return { status: 'rejected', code, error, fileName };
  };
  if (bytes.length > deps.config.limits.maxFileBytes) return refuse('file-too-large', tooLargeMessage(bytes.length, deps.config.limits.maxFileBytes));
  let type: AcceptedType;
  try {
    type = detectType(bytes, fileName);
  } catch (error) {
    if (error instanceof UnsupportedFileError) return refuse(error.code, error.message);
    throw error;
  }
  const sha256 = sha256Of(bytes);
  const existing = catalogue.documents.findBySha256(sha256);
  if (existing && existing.status !== 'failed') return { status: 'duplicate', documentId: existing.id, fileName };

  deps.originals.put(bytes);
  return catalogue.db.transaction((): SubmitOutcome => {
    let documentId: string;
    if (existing) {
      // The same file failed before: try it again under the same id instead of calling it a duplicate.
      documentId = existing.id;
      catalogue.documents.setStatus(documentId, 'processing');
    } else {
      const collection = options.collection ? catalogue.collections.ensure(options.collection, options.collectionTitle) : null;
      documentId = documentIdFor(sha256, catalogue);
      catalogue.documents.insert({
        id: documentId, sha256, originalName: path.basename(fileName), mediaType: type.mediaType, bytes: bytes.length,
        collectionId: collection?.id ?? null,
        metadata: { ...options.metadata, title: options.title?.trim() || options.metadata?.title || titleFromFileName(fileName) },
        published: options.publish ?? false, ocrLanguages: options.lang ?? 'auto',
      });
    }
    const job = catalogue.jobs.create(documentId, path.basename(fileName), options.owner ?? null);
    catalogue.audit.record(options.actor, 'upload', documentId, path.basename(fileName));
    return { status: 'queued', documentId, job, fileName };
  })();
}

export type ProgressListener = (job: JobRecord) => void;

/**
 * The back half: extract → clean and segment → store → index. Idempotent, so a job that is
 * resumed after a crash redoes nothing that was finished (pages already stored stay as they are).
 * `signal` stops it between stages and between pages (a server shutting down); it then throws the
 * signal's reason and the job can be resumed.
 */
export async function processDocument(
  job: JobRecord,
  deps: IngestDeps,
  onProgress: ProgressListener = () => {},
  signal?: AbortSignal,
): Promise<DocumentRecord> {
  const { catalogue, engine } = deps;
  const doc = catalogue.documents.get(job.documentId);
  if (!doc) throw new Error(`document ${job.documentId} is missing`);
  const bytes = deps.originals.read(doc.sha256);
  if (sha256Of(bytes) !== doc.sha256) throw new Error(`fixity check failed for the original of ${doc.id}`);

  const report = (stage: JobRecord['stage'], done: number, total: number) => {
    signal?.throwIfAborted();
    catalogue.jobs.progress(job.id, stage, done, total);
    onProgress(catalogue.jobs.get(job.id)!);
  };

  let stored = catalogue.pages.listForDocument(doc.id);
  if (stored.length === 0 || stored.length !== doc.pageCount) {
    report('extract', 0, 0);
    const kind = detectType(bytes).kind;
    const extraction = await extractPages(kind, bytes, {
      maxPages: deps.config.limits.maxPagesPerDocument, maxImagePixels: deps.config.limits.maxImagePixels, language: doc.metadata.language,
    });
    const texts = dropRunningHeaders(extraction.pages.map((p) => (p.kind === 'text' ? p.raw : '')));
    const titleIsFileName = doc.metadata.title === titleFromFileName(doc.originalName);
    let suggestedTitle = extraction.suggestedTitle;
    catalogue.db.transaction(() => {
      for (const page of extraction.pages) {
        if (page.kind === 'needs-ocr') {
          catalogue.pages.save(doc.id, page.number, {
            text: '', source: 'ocr', confidence: null, needsOcr: true, headline: null, dek: null, byline: null,
            captions: [], layout: null, imageWidth: null, imageHeight: null, hasImage: false,
          });
          continue;
        }
        const clean = cleanPageText(texts[page.number - 1] ?? page.raw);
        if (page.number === 1 && clean.headline) suggestedTitle ??= clean.headline;
        catalogue.pages.save(doc.id, page.number, {
          text: clean.body, source: 'text-layer', confidence: null, needsOcr: false, headline: clean.headline, dek: clean.dek,
          byline: clean.byline, captions: clean.captions, layout: page.layout,
          imageWidth: page.layout?.width ?? null, imageHeight: page.layout?.height ?? null, hasImage: false,
        });
      }
      catalogue.documents.setStatus(doc.id, 'processing', extraction.pages.length);
      if (titleIsFileName && suggestedTitle) catalogue.documents.updateMetadata(doc.id, { title: suggestedTitle });
    })();
    stored = catalogue.pages.listForDocument(doc.id);
  }

  const total = stored.length;
  report('index', 0, total);
  const current = catalogue.documents.get(doc.id)!;
  const indexable = stored.filter(isIndexable);
  await engine.addPages(indexable.map((p) => buildPageSearchDocument(current, p)));
  catalogue.pages.markIndexed(doc.id, indexable.map((p) => p.number));
  report('index', indexable.length, total);

  if (indexable.length < total && deps.ocr && deps.images) {
    report('ocr', indexable.length, total);
    await recognizePendingPages(current, detectType(bytes).kind, bytes, { ...deps, ocr: deps.ocr, images: deps.images },
      (done) => report('ocr', done, total), signal);
  }

  // Last, so that text pages are searchable before their images are drawn; a resumed job draws only the missing ones.
  // The progress callback runs after each page is stored: throwing there stops the stage between pages.
  if (deps.images) await renderMissingPageImages(current, detectType(bytes).kind, bytes, { catalogue, images: deps.images }, () => signal?.throwIfAborted());
  signal?.throwIfAborted();

  // Staff may publish or edit the document while its job runs; records indexed before that carry the
  // old flags, so they are sent again whenever what the index filters on has changed meanwhile.
  const now = catalogue.documents.get(doc.id)!;
  if (now.deletedAt !== null) {
    await engine.deleteDocumentPages(doc.id);
  } else if (indexFiltersChanged(current, now)) {
    const pages = catalogue.pages.listForDocument(doc.id).filter(isIndexable);
    await engine.addPages(pages.map((p) => buildPageSearchDocument(now, p)));
  }

  catalogue.documents.setStatus(doc.id, 'ready', total);
  return catalogue.documents.get(doc.id)!;
}

/** True when a document's fields that its pages' search records carry differ between two reads. */
export function indexFiltersChanged(before: DocumentRecord, after: DocumentRecord): boolean {
  return before.published !== after.published || before.deletedAt !== after.deletedAt
    || before.collection?.slug !== after.collection?.slug || before.metadata.type !== after.metadata.type
    || before.yearFrom !== after.yearFrom || before.yearTo !== after.yearTo;
}
