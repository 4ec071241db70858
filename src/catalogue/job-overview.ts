import type { Db } from './database.ts';
import type { JobStage, JobStatus } from './types.ts';

/** Read-only views of the job queue for the staff pages: what is running, what failed, for which document. */
export interface JobOverviewRow {
  id: string;
  documentId: string;
  documentTitle: string;
  fileName: string;
  status: JobStatus;
  stage: JobStage;
  pagesDone: number;
  pagesTotal: number;
  error: string | null;
  attempts: number;
  updatedAt: string;
  hidden: boolean;
}

interface Row {
  id: string; document_id: string; title: string | null; file_name: string; status: JobStatus; stage: JobStage;
  pages_done: number; pages_total: number; error: string | null; attempts: number; updated_at: string; deleted_at: string | null;
}

const toRow = (r: Row): JobOverviewRow => ({
  id: r.id, documentId: r.document_id, documentTitle: r.title || r.file_name, fileName: r.file_name, status: r.status,
  stage: r.stage, pagesDone: r.pages_done, pagesTotal: r.pages_total, error: r.error, attempts: r.attempts,
  updatedAt: r.updated_at, hidden: r.deleted_at !== null,
});

const SELECT = `SELECT j.*, d.title, d.deleted_at FROM jobs j LEFT JOIN documents d ON d.id = j.document_id`;

export function createJobOverview(db: Db) {
  return {
    /** Newest first; failed and active jobs before finished ones so nothing needing attention scrolls away. */
    recent(limit = 200, includeHidden = false): JobOverviewRow[] {
      return db.prepare<[number], Row>(
        `${SELECT} ${includeHidden ? '' : 'WHERE d.deleted_at IS NULL'}
          ORDER BY CASE j.status WHEN 'running' THEN 0 WHEN 'queued' THEN 1 WHEN 'failed' THEN 2 ELSE 3 END, j.created_at DESC LIMIT ?`,
      ).all(limit).map(toRow);
    },
    latestForDocument(documentId: string): JobOverviewRow | null {
      const row = db.prepare<[string], Row>(`${SELECT} WHERE j.document_id = ? ORDER BY j.created_at DESC LIMIT 1`).get(documentId);
      return row ? toRow(row) : null;
    },
    countsByStatus(): Record<JobStatus, number> {
      const counts: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
      for (const r of db.prepare<[], { status: JobStatus; n: number }>(
        'SELECT j.status, COUNT(*) AS n FROM jobs j JOIN documents d ON d.id = j.document_id WHERE d.deleted_at IS NULL GROUP BY j.status',
      ).all()) counts[r.status] = r.n;
      return counts;
    },
  };
}
export type JobOverview = ReturnType<typeof createJobOverview>;
