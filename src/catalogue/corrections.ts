import type { Db } from './database.ts';

/**
 * Staff corrections of page text, the Trove way: `pages.text` (the extraction) is never overwritten;
 * `pages.corrected_text` holds the current correction and every version is kept here with who and when.
 */
export interface Correction { id: number; documentId: string; pageNumber: number; text: string; actor: string; at: string }

export interface ProofreadingItem {
  documentId: string;
  documentTitle: string;
  pageNumber: number;
  confidence: number | null;
  published: boolean;
}

interface CorrectionRow { id: number; document_id: string; page_number: number; text: string; actor: string; at: string }

/** Browsers submit textarea lines with CRLF; the catalogue keeps LF like the extraction does. */
export function normalizeCorrection(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
}

export function createCorrectionRepository(db: Db) {
  return {
    /**
     * Records a correction and makes it the page's current text. A correction identical to the
     * extraction clears `corrected_text` (the page reads as extracted again) but stays in the history.
     */
    save(documentId: string, pageNumber: number, text: string, actor: string): Correction | null {
      const clean = normalizeCorrection(text);
      return db.transaction(() => {
        const page = db.prepare<[string, number], { text: string }>('SELECT text FROM pages WHERE document_id = ? AND number = ?')
          .get(documentId, pageNumber);
        if (!page) return null;
        const at = new Date().toISOString();
        const id = Number(db.prepare('INSERT INTO corrections (document_id, page_number, text, actor, at) VALUES (?, ?, ?, ?, ?)')
          .run(documentId, pageNumber, clean, actor, at).lastInsertRowid);
        db.prepare('UPDATE pages SET corrected_text = ?, indexed = 0 WHERE document_id = ? AND number = ?')
          .run(clean === page.text ? null : clean, documentId, pageNumber);
        return { id, documentId, pageNumber, text: clean, actor, at };
      })();
    },
    history(documentId: string, pageNumber: number): Correction[] {
      return db.prepare<[string, number], CorrectionRow>(
        'SELECT * FROM corrections WHERE document_id = ? AND page_number = ? ORDER BY id DESC',
      ).all(documentId, pageNumber).map((r) => ({
        id: r.id, documentId: r.document_id, pageNumber: r.page_number, text: r.text, actor: r.actor, at: r.at,
      }));
    },
    /** OCR pages not yet corrected, least confident first: where proofreading helps most. */
    proofreadingQueue(limit = 100): ProofreadingItem[] {
      return db.prepare<[number], { document_id: string; title: string; original_name: string; number: number; confidence: number | null; published: number }>(
        `SELECT p.document_id, d.title, d.original_name, p.number, p.confidence, d.published
           FROM pages p JOIN documents d ON d.id = p.document_id
          WHERE p.source = 'ocr' AND p.needs_ocr = 0 AND p.corrected_text IS NULL
            AND d.deleted_at IS NULL AND d.status = 'ready'
          ORDER BY p.confidence IS NULL, p.confidence, p.document_id, p.number LIMIT ?`,
      ).all(limit).map((r) => ({
        documentId: r.document_id, documentTitle: r.title || r.original_name, pageNumber: r.number,
        confidence: r.confidence, published: r.published === 1,
      }));
    },
  };
}
export type CorrectionRepository = ReturnType<typeof createCorrectionRepository>;
