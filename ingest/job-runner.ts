import type { JobRecord } from '../src/catalogue/types.ts';
import { isProcessAlive } from '../src/search/embedded-meilisearch.ts';
import { SearchUnavailableError } from '../src/search/meili-client.ts';
import { OcrEngineError } from './ocr.ts';
import { processDocument, processOwner, type IngestDeps, type ProgressListener } from './pipeline.ts';

/** Failures worth retrying (the search engine was away); anything else is a property of the file and fails at once. */
export function isTransient(error: unknown): boolean {
  if (error instanceof OcrEngineError) return error.failure !== 'model-missing';
  return error instanceof SearchUnavailableError || (error as NodeJS.ErrnoException | null)?.code === 'SQLITE_BUSY';
}

export const MAX_ATTEMPTS = 5;

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.slice(0, 300);
}

/**
 * Owners are `host:pid:nonce` (`host:pid` before); a job whose owner is gone goes back to the queue. An
 * owner with this process's pid is alive only if it is this very process or thread: the same pid
 * with another nonce was an earlier process (a restarted container) or a job thread that died.
 */
export function ownerIsAlive(owner: string): boolean {
  const parts = owner.split(':');
  const nonce = parts.length >= 3 ? parts.pop() : undefined;
  const pid = Number(parts.pop());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid && nonce !== undefined) return owner === processOwner();
  return isProcessAlive(pid);
}

/**
 * Runs one claimed job to its end: done, back in the queue with a delay (passing failure), or failed
 * (the document is marked failed; its original stays; none of its pages stays searchable).
 *
 * An unreachable search engine says nothing about the file, so it never uses up the job's attempts:
 * the job waits in the queue, however long the outage lasts, and completes when the engine is back.
 */
export async function runJob(job: JobRecord, deps: IngestDeps, onProgress?: ProgressListener, signal?: AbortSignal): Promise<JobRecord> {
  const { catalogue } = deps;
  try {
    await processDocument(job, deps, onProgress, signal);
    catalogue.jobs.finish(job.id);
  } catch (error) {
    if (signal?.aborted) {
      // Stopped on purpose (shutdown): back to the queue as it is, to resume where it stopped.
      catalogue.jobs.requeue(job.id, catalogue.jobs.get(job.id)?.error ?? null);
      return catalogue.jobs.get(job.id)!;
    }
    const message = errorMessage(error);
    const attempts = catalogue.jobs.get(job.id)?.attempts ?? MAX_ATTEMPTS;
    if (error instanceof SearchUnavailableError || (isTransient(error) && attempts < MAX_ATTEMPTS)) {
      catalogue.jobs.requeue(job.id, message);
    } else {
      // Pages indexed before the failure leave the index first (less visible before the catalogue
      // says so); if the engine is away, `npm run check --repair` removes them later.
      await deps.engine.deleteDocumentPages(job.documentId).catch(() => {});
      catalogue.jobs.fail(job.id, message);
      catalogue.documents.setStatus(job.documentId, 'failed');
      catalogue.audit.record('system', 'ingest-failed', job.documentId, message);
    }
  }
  const after = catalogue.jobs.get(job.id)!;
  onProgress?.(after);
  return after;
}

/**
 * The background worker of a server process: takes queued jobs one at a time (OCR inside a job
 * uses the cores), backs off when the search engine is away. `stop` takes no new job and stops the
 * running one between pages; that job goes back to the queue and resumes at the next start.
 */
export function createJobWorker(deps: IngestDeps, opts: { pollMs?: number; onProgress?: ProgressListener } = {}) {
  const owner = processOwner();
  let running = false;
  let wake: (() => void) | null = null;
  let loop: Promise<void> | null = null;
  let backoffMs = 0;
  let stopping = new AbortController();

  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(() => { wake = null; resolve(); }, ms);
    wake = () => { clearTimeout(timer); wake = null; resolve(); };
  });

  async function work(): Promise<void> {
    deps.catalogue.jobs.requeueOrphans(ownerIsAlive);
    while (running) {
      const job = deps.catalogue.jobs.claimNext(owner);
      if (!job) {
        await sleep(opts.pollMs ?? 1000);
        continue;
      }
      const after = await runJob(job, deps, opts.onProgress, stopping.signal);
      if (!running) break;
      if (after.status === 'queued') {
        backoffMs = Math.min(backoffMs ? backoffMs * 2 : 1000, 30_000);
        await sleep(backoffMs);
      } else {
        backoffMs = 0;
      }
    }
  }

  return {
    owner,
    start(): void {
      if (running) return;
      running = true;
      if (stopping.signal.aborted) stopping = new AbortController();
      loop = work();
    },
    /** Nudges the worker after a new upload, instead of waiting for the next poll. */
    poke(): void {
      wake?.();
    },
    async stop(): Promise<void> {
      running = false;
      stopping.abort(new Error('the worker is stopping'));
      wake?.();
      await loop;
    },
  };
}
export type JobWorker = ReturnType<typeof createJobWorker>;
