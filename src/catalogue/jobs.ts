import { randomUUID } from 'node:crypto';
import type { Db } from './database.ts';
import type { JobRecord, JobStage, JobStatus } from './types.ts';

interface JobRow {
  id: string; document_id: string; file_name: string; status: JobStatus; stage: JobStage; pages_done: number;
  pages_total: number; attempts: number; error: string | null; owner: string | null; created_at: string; updated_at: string;
}

function toRecord(r: JobRow): JobRecord {
  return {
    id: r.id, documentId: r.document_id, fileName: r.file_name, status: r.status, stage: r.stage,
    pagesDone: r.pages_done, pagesTotal: r.pages_total, attempts: r.attempts, error: r.error, owner: r.owner,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

/**
 * The job queue, persisted in the catalogue so that a crash loses no job: a job claimed by a process
 * that no longer runs goes back to the queue (see `requeueOrphans`).
 */
export function createJobRepository(db: Db) {
  const byId = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?');
  const now = () => new Date().toISOString();
  return {
    get(id: string): JobRecord | null {
      const row = byId.get(id);
      return row ? toRecord(row) : null;
    },
    create(documentId: string, fileName: string, owner: string | null = null): JobRecord {
      const id = randomUUID();
      const t = now();
      db.prepare(
        `INSERT INTO jobs (id, document_id, file_name, status, stage, owner, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)`,
      ).run(id, documentId, fileName, owner ? 'running' : 'queued', owner, t, t);
      return this.get(id)!;
    },
    /** Atomically takes the oldest queued job for this owner; null when the queue is empty. */
    claimNext(owner: string): JobRecord | null {
      return db.transaction(() => {
        const row = db.prepare<[], JobRow>("SELECT * FROM jobs WHERE status = 'queued' ORDER BY created_at LIMIT 1").get();
        if (!row) return null;
        const changed = db
          .prepare("UPDATE jobs SET status = 'running', owner = ?, attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'queued'")
          .run(owner, now(), row.id).changes;
        return changed === 1 ? this.get(row.id) : null;
      }).immediate();
    },
    /** Takes one particular queued job (a CLI resuming the unfinished import of a file it was given again). */
    claim(id: string, owner: string): JobRecord | null {
      const changed = db
        .prepare("UPDATE jobs SET status = 'running', owner = ?, attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'queued'")
        .run(owner, now(), id).changes;
      return changed === 1 ? this.get(id) : null;
    },
    /** The newest job of a document. */
    latestForDocument(documentId: string): JobRecord | null {
      const row = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE document_id = ? ORDER BY created_at DESC LIMIT 1').get(documentId);
      return row ? toRecord(row) : null;
    },
    progress(id: string, stage: JobStage, pagesDone: number, pagesTotal: number): void {
      db.prepare('UPDATE jobs SET stage = ?, pages_done = ?, pages_total = ?, updated_at = ? WHERE id = ?')
        .run(stage, pagesDone, pagesTotal, now(), id);
    },
    finish(id: string): void {
      db.prepare("UPDATE jobs SET status = 'done', stage = 'done', error = NULL, owner = NULL, updated_at = ? WHERE id = ?").run(now(), id);
    },
    fail(id: string, error: string): void {
      db.prepare("UPDATE jobs SET status = 'failed', error = ?, owner = NULL, updated_at = ? WHERE id = ?").run(error, now(), id);
    },
    /** Back to the queue (a retry after a passing failure, or a job whose owner died). */
    requeue(id: string, error: string | null = null): void {
      db.prepare("UPDATE jobs SET status = 'queued', owner = NULL, error = ?, updated_at = ? WHERE id = ?").run(error, now(), id);
    },
    /** Running jobs whose owner is not alive any more: they go back to the queue and resume. */
    requeueOrphans(isAlive: (owner: string) => boolean): number {
      const running = db.prepare<[], JobRow>("SELECT * FROM jobs WHERE status = 'running'").all();
      let n = 0;
      for (const job of running) {
        if (job.owner && isAlive(job.owner)) continue;
        this.requeue(job.id, job.error);
        n++;
      }
      return n;
    },
    list(limit = 100): JobRecord[] {
      return db.prepare<[number], JobRow>('SELECT * FROM jobs ORDER BY created_at DESC LIMIT ?').all(limit).map(toRecord);
    },
    countActive(): number {
      return (db.prepare("SELECT COUNT(*) AS n FROM jobs WHERE status IN ('queued', 'running')").get() as { n: number }).n;
    },
  };
}
export type JobRepository = ReturnType<typeof createJobRepository>;
