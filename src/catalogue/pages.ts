import type { Db } from './database.ts';
import type { PageLayout, PageRecord, PageSource } from './types.ts';

interface PageRow {
  document_id: string; number: number; text: string; corrected_text: string | null; source: PageSource;
  confidence: number | null; needs_ocr: number; headline: string | null; dek: string | null; byline: string | null;
  captions: string; layout: string | null; image_width: number | null; image_height: number | null; has_image: number;
}

function toRecord(row: PageRow): PageRecord {
  return {
    documentId: row.document_id, number: row.number, text: row.text, correctedText: row.corrected_text,
    source: row.source, confidence: row.confidence, needsOcr: row.needs_ocr === 1, headline: row.headline,
    dek: row.dek, byline: row.byline, captions: JSON.parse(row.captions) as string[],
    layout: row.layout ? (JSON.parse(row.layout) as PageLayout) : null,
    imageWidth: row.image_width, imageHeight: row.image_height, hasImage: row.has_image === 1,
  };
}

export type PageContent = Omit<PageRecord, 'documentId' | 'number' | 'correctedText'>;

export function createPageRepository(db: Db) {
  const one = db.prepare<[string, number], PageRow>('SELECT * FROM pages WHERE document_id = ? AND number = ?');
  const ofDocument = db.prepare<[string], PageRow>('SELECT * FROM pages WHERE document_id = ? ORDER BY number');
  const upsert = db.prepare(
    `INSERT INTO pages (document_id, number, text, source, confidence, needs_ocr, headline, dek, byline, captions, layout,
                        image_width, image_height, has_image, indexed)
     VALUES (@documentId, @number, @text, @source, @confidence, @needsOcr, @headline, @dek, @byline, @captions, @layout,
             @imageWidth, @imageHeight, @hasImage, 0)
     ON CONFLICT (document_id, number) DO UPDATE SET
       text = excluded.text, source = excluded.source, confidence = excluded.confidence, needs_ocr = excluded.needs_ocr,
       headline = excluded.headline, dek = excluded.dek, byline = excluded.byline, captions = excluded.captions,
       layout = excluded.layout, image_width = excluded.image_width, image_height = excluded.image_height,
       has_image = excluded.has_image, indexed = 0`,
  );
  return {
    get(documentId: string, number: number): PageRecord | null {
      const row = one.get(documentId, number);
      return row ? toRecord(row) : null;
    },
    listForDocument(documentId: string): PageRecord[] {
      return ofDocument.all(documentId).map(toRecord);
    },
    /** Pages by (documentId, number) keys, in one query; used to build snippets for a page of search hits. */
    getMany(keys: Array<{ documentId: string; number: number }>): Map<string, PageRecord> {
      const result = new Map<string, PageRecord>();
      if (keys.length === 0) return result;
      const rows = db
        .prepare<unknown[], PageRow>(
          `SELECT * FROM pages WHERE (document_id, number) IN (VALUES ${keys.map(() => '(?, ?)').join(', ')})`,
        )
        .all(...keys.flatMap((k) => [k.documentId, k.number]));
      for (const row of rows) result.set(`${row.document_id}:${row.number}`, toRecord(row));
      return result;
    },
    save(documentId: string, number: number, content: PageContent): void {
      upsert.run({
        documentId, number, text: content.text, source: content.source, confidence: content.confidence,
        needsOcr: content.needsOcr ? 1 : 0, headline: content.headline, dek: content.dek, byline: content.byline,
        captions: JSON.stringify(content.captions), layout: content.layout ? JSON.stringify(content.layout) : null,
        imageWidth: content.imageWidth, imageHeight: content.imageHeight, hasImage: content.hasImage ? 1 : 0,
      });
    },
    markIndexed(documentId: string, numbers: number[]): void {
      const stmt = db.prepare('UPDATE pages SET indexed = 1 WHERE document_id = ? AND number = ?');
      db.transaction(() => numbers.forEach((n) => stmt.run(documentId, n)))();
    },
    countNeedingOcr(documentId: string): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM pages WHERE document_id = ? AND needs_ocr = 1').get(documentId) as { n: number }).n;
    },
    /** Streams every page of every non-failed document: the reindex reads the catalogue this way. */
    *iterateAll(batchSize = 500): Generator<PageRecord[]> {
      let after = { id: '', n: -1 };
      const stmt = db.prepare<[string, string, number, number], PageRow>(
        `SELECT p.* FROM pages p JOIN documents d ON d.id = p.document_id
          WHERE d.status != 'failed' AND d.deleted_at IS NULL AND (p.document_id > ? OR (p.document_id = ? AND p.number > ?))
          ORDER BY p.document_id, p.number LIMIT ?`,
      );
      for (;;) {
        const rows = stmt.all(after.id, after.id, after.n, batchSize);
        if (rows.length === 0) return;
        const last = rows[rows.length - 1]!;
        after = { id: last.document_id, n: last.number };
        yield rows.map(toRecord);
      }
    },
    totalCount(): number {
      return (db.prepare('SELECT COUNT(*) AS n FROM pages').get() as { n: number }).n;
    },
  };
}
export type PageRepository = ReturnType<typeof createPageRepository>;
