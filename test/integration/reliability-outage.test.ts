/**
 * Meilisearch outages with the real embedded server: killed while a document is ingested, the job
 * waits and retries and completes once the engine is back; killed under a running archive server,
 * the supervisor starts it again on the same port and data directory.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openArchive, prepareSearchIndex, type Archive } from '../../src/archive.ts';
import { loadConfig } from '../../src/config.ts';
import { isHealthy, isProcessAlive, startEmbeddedMeilisearch, type MeilisearchEndpoint } from '../../src/search/embedded-meilisearch.ts';
import { createJobWorker } from '../../ingest/job-runner.ts';
import { processOwner, submitFile } from '../../ingest/pipeline.ts';
import { sleep, startServer } from '../support/server-process.ts';

const dirs: string[] = [];
const tempDir = (label: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wenshi-${label}-`));
  dirs.push(dir);
  return dir;
};
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 120_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

test('Meilisearch killed during ingestion: the job waits and retries, and completes when the engine returns', async () => {
  const meiliDir = tempDir('outage-meili');
  let meili: MeilisearchEndpoint = await startEmbeddedMeilisearch(meiliDir, { supervise: false });
  const port = Number(new URL(meili.url).port);
  const archive: Archive = await openArchive(loadConfig({ DATA_DIR: tempDir('outage-data'), MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey, DEMO: '0' }));
  const worker = createJobWorker(archive, { pollMs: 50 });
  try {
    await prepareSearchIndex(archive);
    worker.start();
    process.kill(meili.pid!, 'SIGKILL');
    await until('the engine to go down', async () => !(await isHealthy(meili.url, 300)));

    const pages = ['一九六五年，石炭井矿务局建成工人俱乐部。', '俱乐部每周放映两场电影，矿工们从汝箕沟赶来。', '一九八〇年代，俱乐部改建为文化宫。'];
    const outcome = submitFile(Buffer.from(pages.join('\f'), 'utf8'), 'club.txt', { actor: 'test', publish: true }, archive);
    assert.equal(outcome.status, 'queued');
    if (outcome.status !== 'queued') return;
    worker.poke();
    const waiting = await until('a retry', () => {
      const job = archive.catalogue.jobs.get(outcome.job.id)!;
      return job.status === 'queued' && job.attempts >= 2 ? job : null;
    });
    assert.match(waiting.error ?? '', /search engine unreachable/);
    assert.equal(archive.catalogue.documents.get(outcome.documentId)!.status, 'processing', 'the document waits; it has not failed');
    assert.equal(archive.catalogue.pages.listForDocument(outcome.documentId).length, 3, 'the pages are in the catalogue already');

    meili = await startEmbeddedMeilisearch(meiliDir, { port, supervise: false });
    const done = await until('the job to finish', () => {
      const job = archive.catalogue.jobs.get(outcome.job.id)!;
      return job.status === 'done' || job.status === 'failed' ? job : null;
    });
    assert.equal(done.status, 'done', done.error ?? '');
    assert.ok(done.attempts > waiting.attempts, 'it ran again after the engine returned');
    assert.equal(archive.catalogue.documents.get(outcome.documentId)!.status, 'ready');
    const found = await archive.search.searchPages({ q: '俱乐部', page: 1, size: 10, sort: 'relevance', includeUnpublished: false });
    assert.equal(found.total, 3, 'every page is searchable');
  } finally {
    await worker.stop();
    await archive.close();
    await meili.stop();
  }
});

test('the embedded Meilisearch of a running server is restarted by its supervisor after kill -9, on the same port', async () => {
  const dataDir = tempDir('supervised');
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, DEMO: '0' };
  delete env.MEILI_URL;
  delete env.MEILI_MASTER_KEY;
  const server = await startServer(env);
  let lastPid = 0;
  try {
    const instanceFile = path.join(dataDir, 'meili', 'instance.json');
    const first = JSON.parse(fs.readFileSync(instanceFile, 'utf8')) as { pid: number; url: string; owner: number };
    assert.equal(first.owner, server.child.pid);
    process.kill(first.pid, 'SIGKILL');
    await until('the engine to die', () => !isProcessAlive(first.pid));

    // Until it is back, anything the server says about search is a clear 503; the catalogue still answers.
    const restarted = await until('a restarted engine', async () => {
      const now = JSON.parse(fs.readFileSync(instanceFile, 'utf8')) as { pid: number; url: string };
      const health = await fetch(`${server.url}/healthz`);
      const body = (await health.json()) as { failing?: string[] };
      if (health.status !== 200) {
        assert.equal(health.status, 503);
        assert.deepEqual(body.failing, ['meilisearch']);
      }
      return now.pid !== first.pid && isProcessAlive(now.pid) && health.status === 200 ? now : null;
    });
    lastPid = restarted.pid;
    assert.equal(restarted.url, first.url, 'the same port: clients reconnect to the same URL');
    assert.match(server.stderr(), /Meilisearch exited \(code 137\); restarting in 1 s/);
    assert.match(server.stderr(), /Meilisearch restarted \(pid \d+, restart 1 in a row\)/);
    const search = await fetch(`${server.url}/search?q=石炭井`);
    assert.equal(search.status, 200, 'search works again');
  } finally {
    await server.stop();
  }
  assert.ok(lastPid > 0);
  assert.equal(isProcessAlive(lastPid), false, 'the restarted Meilisearch stopped with the server: none is left behind');
});
