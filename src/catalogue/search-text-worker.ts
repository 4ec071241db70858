/**
 * A worker thread that checks candidate pages against their stored search texts on its own
 * read-only connection to the catalogue (search-text-workers.ts sends it the work).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { createSearchTextFilter } from './search-text-filter.ts';

export interface SearchTextTask { id: number; candidatesJson: string; include: string[]; exclude: string[] }

const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
db.pragma('mmap_size = 2147418112');
const filter = createSearchTextFilter(db);

parentPort?.on('message', (task: SearchTextTask) => {
  try {
    const hits = filter(task.candidatesJson, task.include, task.exclude);
    parentPort?.postMessage({ id: task.id, hits }, [hits.indices.buffer as ArrayBuffer, hits.stored.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort?.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) });
  }
});
