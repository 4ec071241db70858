import fs from 'node:fs';
import path from 'node:path';
import type { Catalogue } from './catalogue/index.ts';
import type { DocumentRecord, DublinCore, JobRecord, PageRecord } from './catalogue/types.ts';
import { pageSearchId } from './search/index-settings.ts';
import type { SearchEngine } from './search/meili-client.ts';
import { buildPageSearchDocument, isIndexable } from './search/page-indexer.ts';
import type { OriginalStore } from './storage/originals.ts';
import type { PageImageStore } from './storage/page-images.ts';

/**
 * What staff do to a document after ingestion — publish, edit, correct, hide, restore, purge, retry —
 * with the search index kept in step. Shared by the staff pages and the staff API.
 *
 * Order matters when the index and the catalogue are updated one after the other: a change that makes
 * something less visible reaches the index first, one that makes it more visible reaches the catalogue
 * first, so a failure half-way never shows the public more than it should see.
 */
export interface CurationDeps {
  catalogue: Catalogue;
  engine: SearchEngine;
  originals: OriginalStore;
  images: PageImageStore;
}

export class CurationError extends Error {
  override readonly name = 'CurationError';
  constructor(readonly code: 'not-hidden' | 'not-failed' | 'hidden', message: string) {
    super(message);
  }
}

/** Whether a document's pages belong in the search index at all: not hidden, not failed. */
function belongsInIndex(doc: DocumentRecord): boolean {
  return !doc.deletedAt && doc.status !== 'failed';
}

function indexablePages(deps: CurationDeps, documentId: string): PageRecord[] {
  return deps.catalogue.pages.listForDocument(documentId).filter(isIndexable);
}

/** Rebuilds the search records of a document's pages from the catalogue (metadata filters changed). */
export async function reindexDocument(deps: CurationDeps, doc: DocumentRecord): Promise<void> {
  if (!belongsInIndex(doc)) return;
  const pages = indexablePages(deps, doc.id);
  await deps.engine.addPages(pages.map((p) => buildPageSearchDocument(doc, p)));
  deps.catalogue.pages.markIndexed(doc.id, pages.map((p) => p.number));
}

export async function setPublished(deps: CurationDeps, doc: DocumentRecord, published: boolean, actor: string): Promise<DocumentRecord> {
  const updateIndex = () => deps.engine.updatePages(
    indexablePages(deps, doc.id).map((p) => ({ id: pageSearchId(doc.id, p.number), published })),
  );
  // A document still processing is indexed by its job with the flag it reads then; publishing only
  // touches pages already indexed, so no partial record is created for a page the job has not added.
  if (!published && belongsInIndex(doc)) await updateIndex();
  const updated = deps.catalogue.documents.setPublished(doc.id, published)!;
  if (published && belongsInIndex(doc) && doc.status === 'ready') await updateIndex();
  deps.catalogue.audit.record(actor, published ? 'publish' : 'unpublish', doc.id, doc.metadata.title);
  return updated;
}

export async function editMetadata(deps: CurationDeps, doc: DocumentRecord, changes: Partial<DublinCore>, actor: string): Promise<DocumentRecord> {
  const changed = (Object.keys(changes) as Array<keyof DublinCore>).filter((f) => changes[f] !== doc.metadata[f]);
  if (changed.length === 0) return doc;
  const updated = deps.catalogue.documents.updateMetadata(doc.id, changes)!;
  await reindexDocument(deps, updated);
  deps.catalogue.audit.record(actor, 'edit', doc.id, changed.join(', '));
  return updated;
}

/** Saves a page correction and makes it searchable at once (the original extraction stays searchable too). */
export async function correctPage(deps: CurationDeps, doc: DocumentRecord, pageNumber: number, text: string, actor: string): Promise<PageRecord | null> {
  const saved = deps.catalogue.corrections.save(doc.id, pageNumber, text, actor);
  if (!saved) return null;
  const page = deps.catalogue.pages.get(doc.id, pageNumber)!;
  if (belongsInIndex(doc) && isIndexable(page)) {
    await deps.engine.addPages([buildPageSearchDocument(doc, page)]);
    deps.catalogue.pages.markIndexed(doc.id, [pageNumber]);
  }
  deps.catalogue.audit.record(actor, 'correction', `${doc.id}/${pageNumber}`, `${saved.text.length} chars`);
  return page;
}

/** Deletion, first step: the document disappears for everyone but admins; nothing is destroyed. */
export async function hideDocument(deps: CurationDeps, doc: DocumentRecord, actor: string): Promise<DocumentRecord> {
  await deps.engine.deleteDocumentPages(doc.id);
  const updated = deps.catalogue.documents.setHidden(doc.id, true)!;
  deps.catalogue.audit.record(actor, 'delete', doc.id, `hidden: ${doc.metadata.title}`);
  return updated;
}

export async function restoreDocument(deps: CurationDeps, doc: DocumentRecord, actor: string): Promise<DocumentRecord> {
  const updated = deps.catalogue.documents.setHidden(doc.id, false)!;
  await reindexDocument(deps, updated);
  deps.catalogue.audit.record(actor, 'restore', doc.id, doc.metadata.title);
  return updated;
}

/**
 * Deletion, last step, for a hidden document only: its index records, catalogue rows (pages, jobs,
 * corrections), derived images and finally its original are removed. The audit entry keeps its hash.
 */
export async function purgeDocument(deps: CurationDeps, doc: DocumentRecord, actor: string): Promise<void> {
  if (!doc.deletedAt) throw new CurationError('not-hidden', '只能彻底删除已隐藏的文献 (hide the document first)');
  await deps.engine.deleteDocumentPages(doc.id);
  const pages = deps.catalogue.pages.listForDocument(doc.id);
  deps.catalogue.documents.delete(doc.id);
  for (const p of pages) {
    for (const kind of ['page', 'thumb'] as const) fs.rmSync(deps.images.pathOf(doc.id, p.number, kind), { force: true });
  }
  // The document's folder of derived files is named by its checked id; whatever else was rendered there goes too.
  if (pages.length > 0) fs.rmSync(path.dirname(deps.images.pathOf(doc.id, 1, 'page')), { recursive: true, force: true });
  fs.rmSync(deps.originals.pathOf(doc.sha256), { force: true });
  deps.catalogue.audit.record(actor, 'purge', doc.id, `${doc.metadata.title} · ${doc.originalName} · sha256 ${doc.sha256}`);
}

/** A failed job goes back to the queue; the worker picks it up again. */
export function retryJob(deps: CurationDeps, job: JobRecord, actor: string): void {
  if (job.status !== 'failed') throw new CurationError('not-failed', '只能重试失败的任务 (only failed jobs can be retried)');
  const doc = deps.catalogue.documents.get(job.documentId);
  if (doc?.deletedAt) throw new CurationError('hidden', '文献已删除 (the document is hidden)');
  deps.catalogue.db.transaction(() => {
    deps.catalogue.documents.setStatus(job.documentId, 'processing');
    deps.catalogue.jobs.requeue(job.id);
  })();
  deps.catalogue.audit.record(actor, 'retry', job.documentId, job.fileName);
}
