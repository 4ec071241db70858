import type { Db } from './database.ts';
import type { AuditEntry } from './audit.ts';
import type { Correction } from './corrections.ts';
import type { StoryContent, StoryRecord } from './stories.ts';
import { DUBLIN_CORE_FIELDS, type DocumentRecord, type PageRecord } from './types.ts';

/**
 * The whole catalogue at once, for preservation (src/preservation: fixity check, BagIt export and import):
 * every document whatever its state, every correction and revision in order, the audit log — and the
 * restore of exported records with their own ids and timestamps, into an empty catalogue.
 */
export interface CollectionExport { slug: string; title: string; description: string; createdAt: string }
export interface StoryRevisionExport { content: StoryContent; actor: string; at: string }

export function createArchiveRows(db: Db) {
  return {
    /** Ids of every document: failed, hidden and unpublished ones included. */
    documentIds(): string[] {
      return db.prepare<[], { id: string }>('SELECT id FROM documents ORDER BY id').all().map((r) => r.id);
    },
    collections(): CollectionExport[] {
      return db.prepare<[], CollectionExport>('SELECT slug, title, description, created_at AS createdAt FROM collections ORDER BY id').all();
    },
    /** Every correction of a document, oldest first. */
    corrections(documentId: string): Correction[] {
      return db.prepare<[string], Correction>(
        'SELECT id, document_id AS documentId, page_number AS pageNumber, text, actor, at FROM corrections WHERE document_id = ? ORDER BY id',
      ).all(documentId);
    },
    storyRevisions(storyId: number): StoryRevisionExport[] {
      return db.prepare<[number], { content: string; actor: string; at: string }>('SELECT content, actor, at FROM story_revisions WHERE story_id = ? ORDER BY id')
        .all(storyId).map((r) => ({ content: JSON.parse(r.content) as StoryContent, actor: r.actor, at: r.at }));
    },
    /** The audit log, oldest first. */
    *auditEntries(batch = 5000): Generator<AuditEntry> {
      const stmt = db.prepare<[number, number], AuditEntry & { id: number }>('SELECT id, at, actor, action, target, detail FROM audit WHERE id > ? ORDER BY id LIMIT ?');
      for (let after = 0; ;) {
        const rows = stmt.all(after, batch);
        if (rows.length === 0) return;
        for (const { id: _id, ...entry } of rows) yield entry;
        after = rows[rows.length - 1]!.id;
      }
    },
    /** True when the catalogue holds no document, collection, story or correction (users and settings aside). */
    isEmpty(): boolean {
      const n = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      return ['documents', 'collections', 'stories', 'corrections'].every((t) => n(t) === 0);
    },

    restoreCollection(c: CollectionExport): void {
      db.prepare('INSERT INTO collections (slug, title, description, created_at) VALUES (?, ?, ?, ?)').run(c.slug, c.title, c.description, c.createdAt);
    },
    restoreDocument(d: DocumentRecord): void {
      const collectionId = d.collection
        ? (db.prepare<[string], { id: number }>('SELECT id FROM collections WHERE slug = ?').get(d.collection.slug)?.id ?? null)
        : null;
      db.prepare(
        `INSERT INTO documents (id, sha256, original_name, media_type, bytes, collection_id, ${DUBLIN_CORE_FIELDS.join(', ')},
           year_from, year_to, published, status, page_count, ocr_languages, created_at, updated_at, deleted_at)
         VALUES (@id, @sha256, @originalName, @mediaType, @bytes, @collectionId, ${DUBLIN_CORE_FIELDS.map((f) => '@' + f).join(', ')},
           @yearFrom, @yearTo, @published, @status, @pageCount, @ocrLanguages, @createdAt, @updatedAt, @deletedAt)`,
      ).run({
        ...d.metadata, id: d.id, sha256: d.sha256, originalName: d.originalName, mediaType: d.mediaType, bytes: d.bytes, collectionId,
        yearFrom: d.yearFrom, yearTo: d.yearTo, published: d.published ? 1 : 0, status: d.status, pageCount: d.pageCount,
        ocrLanguages: d.ocrLanguages, createdAt: d.createdAt, updatedAt: d.updatedAt, deletedAt: d.deletedAt,
      });
    },
    /** A page as exported; it is marked not indexed, since the index is rebuilt after an import. */
    restorePage(p: PageRecord): void {
      db.prepare(
        `INSERT INTO pages (document_id, number, text, corrected_text, source, confidence, needs_ocr, headline, dek, byline, captions,
                            layout, image_width, image_height, has_image, indexed)
         VALUES (@documentId, @number, @text, @correctedText, @source, @confidence, @needsOcr, @headline, @dek, @byline, @captions,
                 @layout, @imageWidth, @imageHeight, @hasImage, 0)`,
      ).run({
        documentId: p.documentId, number: p.number, text: p.text, correctedText: p.correctedText, source: p.source, confidence: p.confidence,
        needsOcr: p.needsOcr ? 1 : 0, headline: p.headline, dek: p.dek, byline: p.byline, captions: JSON.stringify(p.captions),
        layout: p.layout ? JSON.stringify(p.layout) : null, imageWidth: p.imageWidth, imageHeight: p.imageHeight, hasImage: p.hasImage ? 1 : 0,
      });
    },
    restoreCorrection(c: Omit<Correction, 'id'>): void {
      db.prepare('INSERT INTO corrections (document_id, page_number, text, actor, at) VALUES (?, ?, ?, ?, ?)')
        .run(c.documentId, c.pageNumber, c.text, c.actor, c.at);
    },
    /** A story with its id, so that embeds and links that name it keep working; then its revisions, oldest first. */
    restoreStory(s: StoryRecord, revisions: StoryRevisionExport[]): void {
      const cover = s.cover;
      db.prepare(
        `INSERT INTO stories (id, slug, title, summary, cover_document_id, cover_page, cover_region, cover_sha256, cover_alt, tags, era, body,
                              status, featured, author, created_at, updated_at, published_at)
         VALUES (@id, @slug, @title, @summary, @coverDocumentId, @coverPage, @coverRegion, @coverSha256, @coverAlt, @tags, @era, @body,
                 @status, @featured, @author, @createdAt, @updatedAt, @publishedAt)`,
      ).run({
        id: s.id, slug: s.slug, title: s.title, summary: s.summary,
        coverDocumentId: cover?.kind === 'page' ? cover.documentId : null, coverPage: cover?.kind === 'page' ? cover.pageNumber : null,
        coverRegion: cover?.kind === 'page' && cover.region ? `${cover.region.x},${cover.region.y},${cover.region.w},${cover.region.h}` : null,
        coverSha256: cover?.kind === 'upload' ? cover.sha256 : null, coverAlt: cover?.alt ?? '',
        tags: JSON.stringify(s.tags), era: s.era, body: s.body, status: s.status, featured: s.featured ? 1 : 0, author: s.author,
        createdAt: s.createdAt, updatedAt: s.updatedAt, publishedAt: s.publishedAt,
      });
      const add = db.prepare('INSERT INTO story_revisions (story_id, content, actor, at) VALUES (?, ?, ?, ?)');
      for (const r of revisions) add.run(s.id, JSON.stringify(r.content), r.actor, r.at);
    },
    restoreAudit(e: AuditEntry): void {
      db.prepare('INSERT INTO audit (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)').run(e.at, e.actor, e.action, e.target, e.detail);
    },
  };
}
export type ArchiveRows = ReturnType<typeof createArchiveRows>;
