import { loadConfig } from './config.ts';
import { openArchive } from './archive.ts';
import { createJobWorker } from '../ingest/job-runner.ts';

/**
 * The job process (src/job-process.ts starts it): its own connection to the archive and the job
 * worker. The search engine is the server's, given as MEILI_URL: this process never starts a
 * Meilisearch of its own. Messages: `poke` (a new upload), `stop` (shutdown: the running job stops
 * between pages and goes back to the queue). When the server goes away without a word (kill -9), the
 * channel closes and this process ends too; its job, whose owner is gone, resumes at the next start.
 */
if (!process.send) throw new Error('job-process-main.ts runs as the server\'s job process only');
const archive = await openArchive(loadConfig());
const worker = createJobWorker(archive);
worker.start();
let stopping = false;
process.on('message', (message: unknown) => {
  if (message === 'poke') worker.poke();
  if (message === 'stop' && !stopping) {
    stopping = true;
    void (async () => {
      await worker.stop();
      await archive.close();
      process.exit(0);
    })();
  }
});
process.on('disconnect', () => { if (!stopping) process.exit(1); });
// Signals go to the server, which stops this process through the channel.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.send('ready');
