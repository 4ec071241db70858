import type { Server } from 'node:http';
import { loadConfig } from './config.ts';
import { openArchive, prepareSearchIndex } from './archive.ts';
import { importDemoIfEmpty } from './demo.ts';
import { createApp } from './web/app.ts';
import { startJobProcess, type JobProcess } from './job-process.ts';
import { ensureBootstrapAdmin } from './catalogue/users.ts';
import { dropAbandonedBuilds } from './consistency/index-check.ts';

/** `npm start`: the archive on http://localhost:$PORT, with an embedded Meilisearch unless MEILI_URL is set. */
async function main(): Promise<void> {
  const config = loadConfig();
  const archive = await openArchive(config);
  let server: Server | null = null;
  let worker: JobProcess | null = null;
  let shuttingDown = false;

  /**
   * SIGTERM/SIGINT: no new connections (idle keep-alive ones close at once) while requests in flight
   * finish; no new job, and the running one stops between pages and goes back to the queue; then
   * Meilisearch and the catalogue are closed. All within 10 s, else the process exits with status 1.
   */
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    console.error(`${signal}: shutting down`);
    const began = Date.now();
    const force = setTimeout(() => {
      console.error('shutdown did not finish within 10 s');
      process.exit(1);
    }, 10_000);
    force.unref();
    const within = (ms: number, work: Promise<unknown>) => Promise.race([work, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
    const requestsDone = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    // A stage that cannot stop between pages (a long extraction) is cut after 6 s by ending the job
    // process: its job stays claimed by an owner that is gone at the next start, so it is queued again then.
    await worker?.stop(6000);
    await within(Math.max(0, 8000 - (Date.now() - began)), requestsDone);
    server?.closeAllConnections();
    await archive.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    // A rebuild killed half-way (kill -9, power cut) leaves its temporary index behind; the live one is intact.
    const abandoned = await dropAbandonedBuilds(archive.engine, config.meiliIndexPrefix);
    if (abandoned.length > 0) console.error(`dropped ${abandoned.length} temporary index(es) of an interrupted rebuild: ${abandoned.join(', ')}`);
    await prepareSearchIndex(archive);
    const admin = await ensureBootstrapAdmin(archive.catalogue.users, config);
    if (admin !== 'skipped') console.error(`staff account ${config.adminUser}: ${admin} (admin)`);
    const demo = await importDemoIfEmpty(archive);
    if (demo > 0) console.error(`demo collection: ${demo} documents queued`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await archive.close();
    process.exit(1);
  }
  worker = startJobProcess({ meiliUrl: archive.meili.url, meiliKey: archive.meili.apiKey });
  const app = createApp(archive, { worker });
  server = app.listen(config.port, () => {
    console.error(`Wenshi: http://localhost:${config.port}  (Meilisearch ${archive.meili.url}${archive.meili.owned ? ', embedded' : ''})`);
  });
  server.on('error', async (error) => {
    console.error(`cannot listen on port ${config.port}: ${error.message}`);
    await worker?.stop();
    await archive.close();
    process.exit(1);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
