/**
 * Crash safety of the search index: kill -9 of the server while it rebuilds the index leaves the live
 * index intact and a temporary one behind, which the next start drops before rebuilding; `npm run check`
 * finds every kind of difference between catalogue and index and `--repair` fixes them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeCorpus } from '../../bench/corpus.ts';
import { openArchive, type Archive } from '../../src/archive.ts';
import type { Catalogue } from '../../src/catalogue/index.ts';
import { loadConfig } from '../../src/config.ts';
import { pageSearchId } from '../../src/search/index-settings.ts';
import type { SearchEngine } from '../../src/search/meili-client.ts';
import { buildPageSearchDocument } from '../../src/search/page-indexer.ts';
import { rebuildPagesIndex } from '../../src/search/reindex.ts';
import { REPO_ROOT, testMeilisearch } from '../support/harness.ts';
import { sleep, startServer } from '../support/server-process.ts';

let dataDir = '';
let prefix = '';
let env: NodeJS.ProcessEnv = {};
let archive: Archive;
let catalogue: Catalogue;
let engine: SearchEngine;

before(async () => {
  const meili = await testMeilisearch();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-crash-index-'));
  prefix = `ci${randomBytes(3).toString('hex')}_`;
  env = { ...process.env, DATA_DIR: dataDir, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey, MEILI_INDEX_PREFIX: prefix, DEMO: '0' };
  archive = await openArchive(loadConfig(env));
  ({ catalogue, engine } = archive);
  writeCorpus(catalogue, { pages: 400, seed: 9 });
  await rebuildPagesIndex(catalogue, engine);
});

after(async () => {
  await engine.dropAllIndexes().catch(() => {});
  await archive.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.TEST_MEILI_URL) await (await testMeilisearch()).stop?.();
});

function check(...args: string[]): Promise<{ status: number | null; lines: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/check.ts', ...args], { cwd: REPO_ROOT, env });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', () => {});
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, lines: stdout.trim().split('\n') })));
}

const buildIndexes = async () => (await engine.listIndexUids()).filter((uid) => uid.startsWith(`${prefix}pages_build_`));
const countOf = async (q: string) => (await archive.search.searchPages({ q, page: 1, size: 1, sort: 'relevance', includeUnpublished: true })).total;

test('kill -9 during a rebuild: the live index stays whole; the next start drops the half-built one and the index agrees with the catalogue', async () => {
  const liveCount = await engine.countPages();
  assert.equal(liveCount, catalogue.pages.totalCount());
  const before = await countOf('石炭井');
  // A change the live index does not have yet, and settings marked outdated: the server rebuilds at start.
  const doc = catalogue.documents.list({ includeUnpublished: true, limit: 1 })[0]!;
  catalogue.documents.updateMetadata(doc.id, { type: '重建测试' });
  catalogue.db.prepare("DELETE FROM settings WHERE key = 'pages_index_version'").run();

  const server = await startServer(env, { waitHealthy: false });
  let building: string[] = [];
  for (let i = 0; i < 1200 && building.length === 0 && server.alive(); i++) {
    building = await buildIndexes();
    if (building.length === 0) await sleep(25);
  }
  server.child.kill('SIGKILL');
  await server.exited;
  assert.equal(building.length, 1, `the rebuild had started: ${server.stderr()}`);
  assert.equal(await engine.countPages(), liveCount, 'the live index is untouched');
  assert.equal(await countOf('石炭井'), before, 'and answers as before');

  const broken = await check();
  assert.equal(broken.status, 1);
  assert.ok(broken.lines.some((l) => l.startsWith('leftover-index') && l.includes(building[0]!)), broken.lines.join('\n'));
  assert.ok(broken.lines.some((l) => l.startsWith('metadata') && l.includes(`${doc.id}-1`) && l.includes('重建测试')), 'the change the rebuild did not finish is reported');

  const restarted = await startServer(env, { healthyWithinMs: 300_000 });
  try {
    assert.match(restarted.stderr(), /dropped 1 temporary index/);
    assert.deepEqual(await buildIndexes(), [], 'no temporary index is left');
    const clean = await check();
    assert.equal(clean.status, 0, clean.lines.join('\n'));
    assert.match(clean.lines.at(-1)!, /^catalogue: \d{3} pages to index; index: \d{3} page records; 0 differences$/);
  } finally {
    await restarted.stop();
  }
});

test('npm run check reports every kind of difference; --repair makes the index agree with the catalogue', async () => {
  const docs = catalogue.documents.list({ includeUnpublished: true, limit: 5 });
  const [a, b, c, d] = docs.map((x) => x.id) as [string, string, string, string];
  // missing: a record deleted behind the catalogue's back
  await engine.deletePages([pageSearchId(a, 1)]);
  // orphan: a record for a page the catalogue does not have
  const ghost = buildPageSearchDocument(catalogue.documents.get(a)!, { ...catalogue.pages.get(a, 1)!, number: 999 });
  await engine.addPages([ghost]);
  // visibility: the index says published where the catalogue says not
  catalogue.documents.setPublished(b, false);
  await engine.updatePages([{ id: pageSearchId(b, 1), published: true }]);
  // stale text: a correction saved in the catalogue but never indexed
  catalogue.corrections.save(c, 1, '贺兰山下的校勘记：这一页的文字已由编辑更正。', 'test');
  // orphan: a document hidden in the catalogue whose pages are still in the index
  catalogue.documents.setHidden(d, true);
  // leftover: a temporary index of a rebuild whose process is gone
  await engine.preparePagesIndex(`${prefix}pages_build_999999_1`);

  const found = await check();
  assert.equal(found.status, 1);
  const has = (kind: string, id: string, detail: RegExp) =>
    assert.ok(found.lines.some((l) => l.startsWith(kind) && l.includes(id) && detail.test(l)), `${kind} ${id}\n${found.lines.join('\n')}`);
  has('missing', `${a}-1 `, /not in the index/);
  has('orphan', `${a}-999`, /no such page/);
  has('visibility', `${b}-1 `, /index has published=true, the catalogue false/);
  has('stale-text', `${c}-1 `, /not the current text/);
  has('orphan', `${d}-1 `, /hidden/);
  has('leftover-index', `${prefix}pages_build_999999_1`, /interrupted rebuild/);

  const repaired = await check('--repair');
  assert.equal(repaired.status, 0, repaired.lines.join('\n'));
  assert.match(repaired.lines.at(-1)!, /0 differences$/);
  assert.equal(await countOf('校勘记'), 1, 'the correction is searchable');
  const hidden = await engine.searchPages({ q: '', filter: [`documentId = ${JSON.stringify(d)}`], facets: [], offset: 0, limit: 1 });
  assert.equal(hidden.total, 0, 'the hidden document left the index');
  assert.deepEqual(await buildIndexes(), []);
});
