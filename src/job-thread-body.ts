import { parentPort, workerData } from 'node:worker_threads';
import { loadConfig } from './config.ts';
import { openArchive } from './archive.ts';
import { createJobWorker } from '../ingest/job-runner.ts';

/**
 * Inside the job thread: its own connection to the archive and the job worker. The search engine is
 * the server's, given by URL: the thread never starts a Meilisearch of its own, even while the
 * server's supervisor is restarting one. Messages: `poke` (a new upload), `stop` (shutdown:
 * the running job stops between pages and goes back to the queue), answered with `stopped`.
 */
const port = parentPort;
if (!port) throw new Error('job-thread-body.ts runs inside the job thread only');
const engine = workerData as { meiliUrl: string; meiliKey: string };
const archive = await openArchive(loadConfig(process.env, { meiliUrl: engine.meiliUrl, meiliMasterKey: engine.meiliKey }));
const worker = createJobWorker(archive);
worker.start();
port.on('message', (message: unknown) => {
  if (message === 'poke') worker.poke();
  if (message === 'stop') {
    void (async () => {
      await worker.stop();
      await archive.close();
      port.postMessage('stopped');
      process.exit(0); // ends this thread only
    })();
  }
});
port.postMessage('ready');
