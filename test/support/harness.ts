import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config.ts';
import { openArchive, prepareSearchIndex, type Archive } from '../../src/archive.ts';
import { startEmbeddedMeilisearch, type MeilisearchEndpoint } from '../../src/search/embedded-meilisearch.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const FIXTURES = path.join(REPO_ROOT, 'fixtures');

let shared: Promise<{ url: string; apiKey: string; stop?: () => Promise<void> }> | null = null;

/**
 * The run's Meilisearch: the one test/run.sh started (TEST_MEILI_URL), or — when a single test file is
 * run by hand — an embedded one started for this process.
 */
export function testMeilisearch(): Promise<{ url: string; apiKey: string; stop?: () => Promise<void> }> {
  shared ??= (async () => {
    if (process.env.TEST_MEILI_URL) return { url: process.env.TEST_MEILI_URL, apiKey: process.env.TEST_MEILI_KEY ?? '' };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-meili-'));
    const endpoint: MeilisearchEndpoint = await startEmbeddedMeilisearch(dir);
    return { url: endpoint.url, apiKey: endpoint.apiKey, stop: async () => { await endpoint.stop(); fs.rmSync(dir, { recursive: true, force: true }); } };
  })();
  return shared;
}

export interface TestArchive {
  archive: Archive;
  config: Config;
  dataDir: string;
  close(): Promise<void>;
}

/** A real archive on a temp data dir, with its own index prefix on the run's Meilisearch. */
export async function createTestArchive(env: Record<string, string> = {}): Promise<TestArchive> {
  const meili = await testMeilisearch();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-test-'));
  const config = loadConfig({
    DATA_DIR: dataDir, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey, DEMO: '0',
    MEILI_INDEX_PREFIX: `t${randomBytes(4).toString('hex')}_`, ...env,
  });
  const archive = await openArchive(config);
  await prepareSearchIndex(archive);
  return {
    archive, config, dataDir,
    async close() {
      await archive.engine.dropAllIndexes().catch(() => {});
      await archive.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (!process.env.TEST_MEILI_URL) await meili.stop?.();
    },
  };
}

/** Submits bytes and runs the job to its end in this process, as the CLI does. */
export async function ingestBytes(
  archive: Archive,
  bytes: Buffer,
  fileName: string,
  options: Partial<import('../../ingest/pipeline.ts').SubmitOptions> = {},
) {
  const { submitFile, processOwner } = await import('../../ingest/pipeline.ts');
  const { runJob } = await import('../../ingest/job-runner.ts');
  const outcome = submitFile(bytes, fileName, { actor: 'test', publish: true, owner: processOwner(), ...options }, archive);
  if (outcome.status !== 'queued') return { outcome, job: null };
  const job = await runJob(outcome.job, archive);
  return { outcome, job };
}
