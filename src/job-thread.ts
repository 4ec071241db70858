import { Worker } from 'node:worker_threads';
import { restartDelayMs } from './search/embedded-meilisearch.ts';

/**
 * The server's job worker runs in a thread of its own. Ingestion does long stretches of synchronous
 * work — pdf.js parsing and rendering pages, pixel passes before OCR — that blocked the HTTP event
 * loop for seconds at a time while a scan was recognised; in its own thread it no longer holds up a
 * single request. The thread is supervised: if it dies it is started again with backoff, and its
 * unfinished job, whose owner is gone, goes back to the queue.
 */
export interface JobThread {
  /** Wakes the worker after an upload or a retry. */
  poke(): void;
  /** Stops taking jobs, stops the running one between pages, closes the thread's archive; at most `graceMs`, then the thread is terminated. */
  stop(graceMs?: number): Promise<void>;
}

export function startJobThread(
  engine: { meiliUrl: string; meiliKey: string },
  log: (line: string) => void = (line) => console.error(line),
): JobThread {
  let thread: Worker | null = null;
  let stopping = false;
  let restarts = 0;
  let startedAt = 0;
  let restartTimer: NodeJS.Timeout | null = null;

  const launch = () => {
    startedAt = Date.now();
    const worker = new Worker(new URL('./job-thread-entry.mjs', import.meta.url), {
      workerData: { body: new URL('./job-thread-body.ts', import.meta.url).href, ...engine },
    });
    worker.on('error', (error) => log(`job thread failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (thread === worker) thread = null;
      if (stopping) return;
      if (Date.now() - startedAt > 60_000) restarts = 0;
      restarts++;
      const delay = restartDelayMs(restarts);
      log(`job thread exited (code ${code}); restarting in ${delay / 1000} s`);
      restartTimer = setTimeout(() => { if (!stopping) launch(); }, delay);
      restartTimer.unref();
    });
    thread = worker;
  };
  launch();

  return {
    poke() {
      thread?.postMessage('poke');
    },
    async stop(graceMs = 5000) {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const worker = thread;
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('stop');
      const timer = setTimeout(() => { void worker.terminate(); }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
