import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { restartDelayMs } from './search/embedded-meilisearch.ts';

/**
 * The server's job worker runs in a process of its own, at a lower CPU priority (nice 10). Ingestion
 * does long stretches of synchronous work — pdf.js parsing and rendering pages, pixel passes before OCR —
 * that blocked the HTTP event loop for up to 20 s while a scan was recognised; apart, and yielding the
 * CPU to the server, it delays readers' requests far less. The process is supervised: if it dies it is
 * started again with backoff, and its unfinished job, whose owner is gone, goes back to the queue.
 */
export interface JobProcess {
  /** Wakes the worker after an upload or a retry. */
  poke(): void;
  /** Stops taking jobs, stops the running one between pages, closes the process's archive; after `graceMs` it is killed. */
  stop(graceMs?: number): Promise<void>;
}

/** Niceness of the job process: readers' requests come first. */
const JOB_NICENESS = 10;

export function startJobProcess(
  engine: { meiliUrl: string; meiliKey: string },
  log: (line: string) => void = (line) => console.error(line),
): JobProcess {
  let child: ChildProcess | null = null;
  let stopping = false;
  let restarts = 0;
  let startedAt = 0;
  let restartTimer: NodeJS.Timeout | null = null;

  const launch = () => {
    startedAt = Date.now();
    const proc = fork(fileURLToPath(new URL('./job-process-main.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, MEILI_URL: engine.meiliUrl, MEILI_MASTER_KEY: engine.meiliKey },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    try {
      if (proc.pid) os.setPriority(proc.pid, JOB_NICENESS);
    } catch { /* not permitted here: the job process runs at normal priority */ }
    proc.on('error', (error) => log(`job process failed: ${error.message}`));
    proc.on('exit', (code, signal) => {
      if (child === proc) child = null;
      if (stopping) return;
      if (Date.now() - startedAt > 60_000) restarts = 0;
      restarts++;
      const delay = restartDelayMs(restarts);
      log(`job process exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`);
      restartTimer = setTimeout(() => { if (!stopping) launch(); }, delay);
      restartTimer.unref();
    });
    child = proc;
  };
  launch();

  return {
    poke() {
      if (child?.connected) child.send('poke');
    },
    async stop(graceMs = 5000) {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      if (proc.connected) proc.send('stop');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
