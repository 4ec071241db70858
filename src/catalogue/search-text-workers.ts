/**
 * Long candidate lists are checked in worker threads, each with its own read-only connection to the
 * catalogue, the list split between them. One statement over 21,834 candidates held the event loop
 * for 230–270 ms at 100,000 pages; split between two threads it took 96–116 ms, and the server
 * answers other requests meanwhile. Short lists stay on the caller's connection: handing them over
 * would cost more than it saves.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SearchTextMatch } from './pages.ts';
import { candidatesJson, type SearchTextHits } from './search-text-filter.ts';
import type { SearchTextTask } from './search-text-worker.ts';

type Key = { documentId: string; number: number };

/** What the workers need of the catalogue on the caller's thread (the page repository). */
export interface SearchTextSource {
  /** The whole check on the caller's connection: short lists, and lists a worker failed on. */
  filterBySearchText(candidates: Key[], include: string[], exclude: string[]): SearchTextMatch[];
  /** The workers' hits with their documents' facet values. */
  searchTextMatches(candidates: Key[], hits: SearchTextHits): SearchTextMatch[];
}

export interface SearchTextWorkerOptions {
  /** The catalogue's database file; the workers open it read-only. */
  path: string;
  /** Threads at most (default: the number of cores, at most 2). 0 checks every list on the caller's thread. */
  threads?: number;
  /** Lists shorter than this are checked on the caller's thread. */
  minCandidates?: number;
  /** Told when a worker failed and its list was checked on the caller's thread instead. */
  onFailure?: (error: Error) => void;
}

/**
 * Measured at 100,000 pages (a term checked on scattered pages, median of 9): 200 candidates took
 * 3.6 ms on the caller's thread and 4.0 ms in two workers, 400 took 6.9 against 5.0, 1,000 took 16.0
 * against 11.0 ms. From about 500 on the hand-over pays.
 */
const MIN_CANDIDATES = 500;

interface Pending { resolve(hits: SearchTextHits): void; reject(error: Error): void }

export function createSearchTextWorkers(source: SearchTextSource, opts: SearchTextWorkerOptions) {
  const threads = Math.max(0, opts.threads ?? Math.min(2, os.availableParallelism()));
  const minCandidates = opts.minCandidates ?? MIN_CANDIDATES;
  const workers: Array<Worker | null> = new Array(threads).fill(null);
  const pending = new Map<number, Pending>();
  /** Which worker holds each pending task, so that a worker's death fails only its own. */
  const owner = new Map<number, Worker>();
  let nextId = 0;

  function worker(slot: number): Worker {
    const existing = workers[slot];
    if (existing) return existing;
    const created = new Worker(new URL('./search-text-worker.mjs', import.meta.url), { workerData: { path: opts.path } });
    // An idle worker must not keep the process alive; one with a task out holds it, as any pending
    // I/O does (`run` refs it for the task's duration).
    created.unref();
    created.on('message', (m: { id: number; hits?: SearchTextHits; error?: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.hits) p.resolve(m.hits);
      else p.reject(new Error(`search-text worker: ${m.error ?? 'no answer'}`));
    });
    const fail = (error: Error) => {
      if (workers[slot] === created) workers[slot] = null;
      for (const [id, p] of pending) if (owner.get(id) === created) { pending.delete(id); p.reject(error); }
    };
    created.on('error', (error) => fail(new Error(`search-text worker: ${error.message}`)));
    created.on('exit', (code) => fail(new Error(`search-text worker exited (${code})`)));
    workers[slot] = created;
    return created;
  }

  function run(slot: number, task: Omit<SearchTextTask, 'id'>): Promise<SearchTextHits> {
    const w = worker(slot);
    const id = nextId++;
    owner.set(id, w);
    w.ref();
    return new Promise<SearchTextHits>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ id, ...task } satisfies SearchTextTask);
    }).finally(() => {
      owner.delete(id);
      if (![...owner.values()].includes(w)) w.unref();
    });
  }

  return {
    /** As the page repository's `filterBySearchText`, with long lists split between the worker threads. */
    async filterBySearchText(candidates: Key[], include: string[], exclude: string[]): Promise<SearchTextMatch[]> {
      if (candidates.length === 0) return [];
      const onCallerThread = () => source.filterBySearchText(candidates, include, exclude);
      if (threads === 0 || candidates.length < minCandidates) return onCallerThread();
      const share = Math.ceil(candidates.length / threads);
      const parts = Array.from({ length: threads }, (_, slot) => candidates.slice(slot * share, (slot + 1) * share)).filter((p) => p.length > 0);
      let results: SearchTextHits[];
      try {
        results = await Promise.all(parts.map((part, slot) => run(slot, { candidatesJson: candidatesJson(part), include, exclude })));
      } catch (error) {
        // A worker that failed (its thread died, the file moved) is replaced at the next call; this
        // list is checked here so the search still answers.
        opts.onFailure?.(error instanceof Error ? error : new Error(String(error)));
        return onCallerThread();
      }
      const count = results.reduce((n, r) => n + r.indices.length, 0);
      const merged: SearchTextHits = { indices: new Int32Array(count), stored: new Uint8Array(count) };
      let at = 0;
      for (const [slot, r] of results.entries()) {
        for (let k = 0; k < r.indices.length; k++) merged.indices[at + k] = r.indices[k]! + slot * share;
        merged.stored.set(r.stored, at);
        at += r.indices.length;
      }
      return source.searchTextMatches(candidates, merged);
    },
    async close(): Promise<void> {
      const running = workers.filter((w): w is Worker => w !== null);
      workers.fill(null);
      await Promise.all(running.map((w) => w.terminate()));
    },
  };
}
export type SearchTextWorkers = ReturnType<typeof createSearchTextWorkers>;
