import type { Db } from './database.ts';
import { normalizeYear } from './dates.ts';
import {
  DUBLIN_CORE_FIELDS, type Collection, type DocumentRecord, type DocumentStatus, type DublinCore,
} from './types.ts';

interface DocumentRow {
  id: string; sha256: string; original_name: string; media_type: string; bytes: number;
  collection_id: number | null; c_slug: string | null; c_title: string | null; c_description: string | null;
  title: string; creator: string; contributor: string; publisher: string; date: string; type: string;
  source: string; language: string; rights: string; description: string; subject: string; coverage: string;
  year_from: number | null; year_to: number | null; published: number; status: DocumentStatus;
  page_count: number; ocr_languages: string; created_at: string; updated_at: string; deleted_at: string | null;
}

const SELECT = `SELECT d.*, c.slug AS c_slug, c.title AS c_title, c.description AS c_description
                  FROM documents d LEFT JOIN collections c ON c.id = d.collection_id`;

function toRecord(row: DocumentRow): DocumentRecord {
  const collection: Collection | null =
    row.collection_id === null
      ? null
      : { id: row.collection_id, slug: row.c_slug ?? '', title: row.c_title ?? '', description: row.c_description ?? '' };
  const metadata = Object.fromEntries(DUBLIN_CORE_FIELDS.map((f) => [f, row[f]])) as DublinCore;
  return {
    id: row.id, sha256: row.sha256, originalName: row.original_name, mediaType: row.media_type, bytes: row.bytes,
    collection, metadata, yearFrom: row.year_from, yearTo: row.year_to, published: row.published === 1,
    status: row.status, pageCount: row.page_count, ocrLanguages: row.ocr_languages,
    createdAt: row.created_at, updatedAt: row.updated_at, deletedAt: row.deleted_at,
  };
}

export interface NewDocument {
  id: string;
  sha256: string;
  originalName: string;
  mediaType: string;
  bytes: number;
  collectionId: number | null;
  metadata: Partial<DublinCore> & { title: string };
  published: boolean;
  ocrLanguages: string;
}

export function createDocumentRepository(db: Db) {
  const byId = db.prepare<[string], DocumentRow>(`${SELECT} WHERE d.id = ?`);
  const bySha = db.prepare<[string], DocumentRow>(`${SELECT} WHERE d.sha256 = ?`);
  const byIds = db.prepare<[string], DocumentRow>(`${SELECT} WHERE d.id IN (SELECT value FROM json_each(?))`);
  const titlesByIds = db.prepare<[string], { id: string; title: string; original_name: string }>(
    'SELECT id, title, original_name FROM documents WHERE id IN (SELECT value FROM json_each(?))',
  );
  return {
    get(id: string): DocumentRecord | null {
      const row = byId.get(id);
      return row ? toRecord(row) : null;
    },
    /**
     * Display titles (the title, else the file name) of documents, by id: what ranking needs of a
     * hundred documents, without building their records.
     */
    titlesOf(ids: string[]): Map<string, string> {
      const result = new Map<string, string>();
      if (ids.length === 0) return result;
      for (const row of titlesByIds.all(JSON.stringify([...new Set(ids)]))) result.set(row.id, row.title || row.original_name);
      return result;
    },
    /** Several documents in one statement (search results name a hundred at a time), by id; unknown ids are left out. */
    getMany(ids: string[]): Map<string, DocumentRecord> {
      const result = new Map<string, DocumentRecord>();
      if (ids.length === 0) return result;
      for (const row of byIds.all(JSON.stringify([...new Set(ids)]))) result.set(row.id, toRecord(row));
      return result;
    },
    findBySha256(sha256: string): DocumentRecord | null {
      const row = bySha.get(sha256);
      return row ? toRecord(row) : null;
    },
    insert(doc: NewDocument): DocumentRecord {
      const now = new Date().toISOString();
      const meta: DublinCore = Object.fromEntries(
        DUBLIN_CORE_FIELDS.map((f) => [f, (doc.metadata[f] ?? '').trim()]),
      ) as DublinCore;
      const years = normalizeYear(meta.date);
      db.prepare(
        `INSERT INTO documents (id, sha256, original_name, media_type, bytes, collection_id, ${DUBLIN_CORE_FIELDS.join(', ')},
           year_from, year_to, published, status, ocr_languages, created_at, updated_at)
         VALUES (@id, @sha256, @originalName, @mediaType, @bytes, @collectionId, ${DUBLIN_CORE_FIELDS.map((f) => '@' + f).join(', ')},
           @yearFrom, @yearTo, @published, 'processing', @ocrLanguages, @now, @now)`,
      ).run({
        ...meta, id: doc.id, sha256: doc.sha256, originalName: doc.originalName, mediaType: doc.mediaType,
        bytes: doc.bytes, collectionId: doc.collectionId, yearFrom: years?.from ?? null, yearTo: years?.to ?? null,
        published: doc.published ? 1 : 0, ocrLanguages: doc.ocrLanguages, now,
      });
      return this.get(doc.id)!;
    },
    updateMetadata(id: string, changes: Partial<DublinCore>): DocumentRecord | null {
      const fields = DUBLIN_CORE_FIELDS.filter((f) => changes[f] !== undefined);
      if (fields.length > 0) {
        const sets = fields.map((f) => `${f} = @${f}`);
        const params: Record<string, string | number | null> = { id, now: new Date().toISOString() };
        for (const f of fields) params[f] = (changes[f] ?? '').trim();
        if (changes.date !== undefined) {
          const years = normalizeYear(changes.date);
          sets.push('year_from = @yearFrom', 'year_to = @yearTo');
          params.yearFrom = years?.from ?? null;
          params.yearTo = years?.to ?? null;
        }
        db.prepare(`UPDATE documents SET ${sets.join(', ')}, updated_at = @now WHERE id = @id`).run(params);
      }
      return this.get(id);
    },
    setPublished(id: string, published: boolean): DocumentRecord | null {
      db.prepare('UPDATE documents SET published = ?, updated_at = ? WHERE id = ?')
        .run(published ? 1 : 0, new Date().toISOString(), id);
      return this.get(id);
    },
    setStatus(id: string, status: DocumentStatus, pageCount?: number): void {
      db.prepare('UPDATE documents SET status = ?, page_count = COALESCE(?, page_count), updated_at = ? WHERE id = ?')
        .run(status, pageCount ?? null, new Date().toISOString(), id);
    },
    setCollection(id: string, collectionId: number | null): void {
      db.prepare('UPDATE documents SET collection_id = ?, updated_at = ? WHERE id = ?').run(collectionId, new Date().toISOString(), id);
    },
    list(opts: { includeUnpublished: boolean; includeHidden?: boolean; collectionId?: number; limit?: number; offset?: number }): DocumentRecord[] {
      const where = ["d.status != 'failed'"];
      if (!opts.includeUnpublished) where.push('d.published = 1');
      if (!opts.includeHidden) where.push('d.deleted_at IS NULL');
      if (opts.collectionId !== undefined) where.push(`d.collection_id = ${Number(opts.collectionId)}`);
      return db
        .prepare<[number, number], DocumentRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY d.year_from, d.title LIMIT ? OFFSET ?`)
        .all(opts.limit ?? 500, opts.offset ?? 0)
        .map(toRecord);
    },
    count(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n;
    },
    /** Hides a document (admin deletion, first step) or restores it; its original and pages stay until the purge. */
    setHidden(id: string, hidden: boolean): DocumentRecord | null {
      const now = new Date().toISOString();
      db.prepare('UPDATE documents SET deleted_at = ?, updated_at = ? WHERE id = ?').run(hidden ? now : null, now, id);
      return this.get(id);
    },
    /** Documents for the staff list, newest first: the active ones, only the unpublished, or the hidden (admins). */
    listForStaff(view: 'all' | 'unpublished' | 'hidden', limit = 200, offset = 0): DocumentRecord[] {
      const where = view === 'hidden' ? 'd.deleted_at IS NOT NULL'
        : view === 'unpublished' ? 'd.deleted_at IS NULL AND d.published = 0' : 'd.deleted_at IS NULL';
      return db
        .prepare<[number, number], DocumentRow>(`${SELECT} WHERE ${where} ORDER BY d.created_at DESC, d.id LIMIT ? OFFSET ?`)
        .all(limit, offset)
        .map(toRecord);
    },
    delete(id: string): void {
      db.prepare('DELETE FROM documents WHERE id = ?').run(id);
    },
  };
}
export type DocumentRepository = ReturnType<typeof createDocumentRepository>;
