import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import { openArchive, type Archive } from '../../src/archive.ts';
import { createCatalogue } from '../../src/catalogue/index.ts';
import { sha256Of } from '../../src/storage/originals.ts';
import { createJobWorker } from '../../ingest/job-runner.ts';
import { FIXTURES, REPO_ROOT, testMeilisearch } from '../support/harness.ts';

let dataDir = '';
let env: NodeJS.ProcessEnv = {};
const VOLUME = path.join(FIXTURES, 'scans', 'pdf-scan-20-pages.pdf');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  const meili = await testMeilisearch();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-crash-'));
  env = { ...process.env, DATA_DIR: dataDir, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey, DEMO: '0', MEILI_INDEX_PREFIX: `crash${randomBytes(3).toString('hex')}_` };
});
after(async () => {
  const archive = await openArchive(loadConfig(env));
  await archive.engine.dropAllIndexes().catch(() => {});
  await archive.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.TEST_MEILI_URL) await (await testMeilisearch()).stop?.();
});

test('kill -9 in the middle of OCR of a 20-page scan loses nothing; the job resumes and every page is recognised once', async () => {
  const cli = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', '--json', '--publish', '--lang', 'chi_sim', VOLUME], {
    cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => cli.on('exit', () => resolve()));
  // Wait until a few pages are recognised, then kill the process without warning.
  const watcher = createCatalogue(dataDir);
  let pagesDoneAtKill = 0;
  try {
    for (let i = 0; i < 1200; i++) {
      const job = watcher.jobs.list(1)[0];
      if (job && job.stage === 'ocr' && job.pagesDone >= 3) {
        pagesDoneAtKill = job.pagesDone;
        break;
      }
      await sleep(100);
    }
  } finally {
    cli.kill('SIGKILL');
    await exited;
  }
  assert.ok(pagesDoneAtKill >= 3 && pagesDoneAtKill < 20, `killed after ${pagesDoneAtKill} pages`);
  const [job] = watcher.jobs.list(1);
  assert.equal(job!.status, 'running', 'the job was left behind by the dead process');
  watcher.close();

  // Restart: a server's worker finds the orphaned job and finishes it.
  const archive: Archive = await openArchive(loadConfig(env));
  try {
    const worker = createJobWorker(archive, { pollMs: 100 });
    worker.start();
    let finished = archive.catalogue.jobs.get(job!.id)!;
    for (let i = 0; i < 1800 && finished.status !== 'done' && finished.status !== 'failed'; i++) {
      await sleep(100);
      finished = archive.catalogue.jobs.get(job!.id)!;
    }
    await worker.stop();
    assert.equal(finished.status, 'done', finished.error ?? '');
    assert.equal(finished.pagesDone, 20);

    const doc = archive.catalogue.documents.get(finished.documentId)!;
    assert.equal(doc.status, 'ready');
    assert.equal(sha256Of(archive.originals.read(doc.sha256)), doc.sha256, 'the original is intact');
    assert.deepEqual(fs.readFileSync(archive.originals.pathOf(doc.sha256)), fs.readFileSync(VOLUME));
    const pages = archive.catalogue.pages.listForDocument(doc.id);
    assert.equal(pages.length, 20);
    assert.ok(pages.every((p) => p.source === 'ocr' && !p.needsOcr && p.text.length > 20));

    const recognitions = archive.catalogue.audit.recent(1000).filter((e) => e.action === 'ocr-page' && e.target.startsWith(`${doc.id}/`));
    const perPage = new Map<string, number>();
    for (const e of recognitions) perPage.set(e.target, (perPage.get(e.target) ?? 0) + 1);
    assert.equal(perPage.size, 20, 'every page recognised');
    assert.ok([...perPage.values()].every((n) => n === 1), 'no page recognised twice');

    const indexed = await archive.search.searchPages({ q: '', documentId: doc.id, page: 1, size: 100, sort: 'date', includeUnpublished: true });
    assert.equal(indexed.total, 20, 'the index agrees with the catalogue: 20 pages, each once');
  } finally {
    await archive.close();
  }
});
