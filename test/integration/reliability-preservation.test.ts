/**
 * Preservation tools on a real archive: `npm run export` writes a valid BagIt bag, `npm run import`
 * restores it into an empty archive that answers the same queries with the same totals and hits, and
 * `npm run verify` finds damaged and missing originals.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { openArchive, type Archive } from '../../src/archive.ts';
import { loadConfig } from '../../src/config.ts';
import { correctPage, editMetadata, hideDocument } from '../../src/curation.ts';
import { validateBag } from '../../src/preservation/bagit.ts';
import { createStory, setStoryStatus } from '../../src/stories/story-actions.ts';
import { searchStories } from '../../src/stories/story-search.ts';
import { createApp } from '../../src/web/app.ts';
import { createTestArchive, FIXTURES, ingestBytes, REPO_ROOT, testMeilisearch, type TestArchive } from '../support/harness.ts';

let source: TestArchive;
let work = '';
let baseEnv: NodeJS.ProcessEnv = {};
const ids: Record<string, string> = {};
const targets: Archive[] = [];

const fixture = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel));

function cli(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO_ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** Env for a fresh data dir with its own index prefix on the run's Meilisearch. */
function freshEnv(label: string): NodeJS.ProcessEnv {
  return { ...baseEnv, DATA_DIR: fs.mkdtempSync(path.join(work, `${label}-`)), MEILI_INDEX_PREFIX: `p${randomBytes(3).toString('hex')}_` };
}

before(async () => {
  const meili = await testMeilisearch();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'wenshi-preserve-'));
  source = await createTestArchive();
  baseEnv = { ...process.env, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.apiKey, DEMO: '0' };
  const a = source.archive;
  const ingest = async (key: string, rel: string, opts: { publish?: boolean; collection?: string } = {}) => {
    const r = await ingestBytes(a, fixture(rel), path.basename(rel), { collection: 'shitanjing-yinji', collectionTitle: '《石炭井印迹》', ...opts });
    assert.notEqual(r.outcome.status, 'rejected');
    ids[key] = r.outcome.status === 'rejected' ? '' : r.outcome.documentId;
  };
  await ingest('volume', 'demo/shitanjing-yinji-excerpt.pdf');
  await ingest('letters', 'text/transcription-gb18030.txt', { collection: 'dawukou' });
  await ingest('draft', 'pdf/gbk-euc-h-nonembedded.pdf', { publish: false });
  await ingest('hidden', 'pdf/fake-bold-lines.pdf');
  await ingest('failed', 'invalid/truncated.pdf');
  assert.equal(a.catalogue.documents.get(ids.failed!)!.status, 'failed');
  await correctPage(a, a.catalogue.documents.get(ids.volume!)!, 2, '校勘记：此页文字经编辑核对，石炭井矿区一九六五年建矿。', '王编辑');
  await editMetadata(a, a.catalogue.documents.get(ids.letters!)!, { date: '民国三十八年', creator: '石炭井矿工' }, '王编辑');
  await hideDocument(a, a.catalogue.documents.get(ids.hidden!)!, 'admin');
  const story = await createStory(a, {
    slug: 'kuangqu-jiyi', title: '矿区记忆', summary: '石炭井的第一代矿工', tags: ['矿区'], era: '1960年代',
    body: `石炭井矿区的故事。\n\n{{page ${ids.volume} 2}}\n`, featured: false,
  }, '王编辑');
  await setStoryStatus(a, story, 'published', '王编辑');
});

after(async () => {
  for (const t of targets) {
    await t.engine.dropAllIndexes().catch(() => {});
    await t.close();
  }
  await source.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const QUERIES = ['石炭井', '礦', '校勘记', '政协', '矿工 -电影', '"第一批"'];

async function answers(archive: Archive) {
  const app = createApp(archive, { log: () => {} });
  const out: unknown[] = [];
  for (const q of QUERIES) {
    const api = await request(app).get('/api/search').query({ q, size: 100 });
    assert.equal(api.status, 200);
    out.push(api.body);
    const staff = await archive.search.searchPages({ q, page: 1, size: 100, sort: 'relevance', includeUnpublished: true });
    out.push({ total: staff.total, hits: staff.hits.map((h) => [h.documentId, h.pageNumber]) });
    const stories = await searchStories(archive, q, { includeDrafts: true, limit: 10 });
    out.push({ total: stories.total, slugs: stories.hits.map((h) => h.story.slug) });
  }
  return out;
}

test('export, then import into an empty archive: a valid bag, and the same queries give the same totals and hits', async () => {
  const bagDir = path.join(work, 'bag');
  const exported = await cli('src/cli/export.ts', [bagDir], { ...baseEnv, DATA_DIR: source.dataDir, MEILI_INDEX_PREFIX: source.config.meiliIndexPrefix });
  assert.equal(exported.status, 0, exported.stderr);
  assert.match(exported.stdout, /: 5 documents, \d+ pages, 1 stories; \d+ files/);

  const bag = await validateBag(bagDir);
  assert.deepEqual(bag.errors, []);
  for (const name of ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'tagmanifest-sha256.txt']) assert.ok(fs.existsSync(path.join(bagDir, name)), name);
  const data = (rel: string) => fs.readFileSync(path.join(bagDir, 'data', rel));
  assert.ok(data(`documents/${ids.volume}/original.pdf`).equals(fixture('demo/shitanjing-yinji-excerpt.pdf')), 'the original, byte for byte');
  assert.ok(data(`documents/${ids.failed}/original.pdf`).equals(fixture('invalid/truncated.pdf')), 'failed documents keep their original');
  assert.match(data(`documents/${ids.volume}/pages/0002.corrected.txt`).toString('utf8'), /^校勘记：此页文字经编辑核对/);
  assert.ok(data(`documents/${ids.volume}/pages/0002.txt`).toString('utf8').length > 20, 'the extraction is kept beside the correction');
  const letters = JSON.parse(data(`documents/${ids.letters}/document.json`).toString('utf8')) as { metadata: { date: string; creator: string }; collection: { slug: string } };
  assert.equal(letters.metadata.date, '民国三十八年');
  assert.equal(letters.metadata.creator, '石炭井矿工');
  assert.equal(letters.collection.slug, 'dawukou');
  const corrections = JSON.parse(data(`documents/${ids.volume}/corrections.json`).toString('utf8')) as Array<{ actor: string; pageNumber: number }>;
  assert.deepEqual(corrections.map((c) => [c.pageNumber, c.actor]), [[2, '王编辑']]);
  assert.match(data('stories/kuangqu-jiyi/story.md').toString('utf8'), /石炭井矿区的故事/);
  assert.ok(data('audit-log.jsonl').toString('utf8').includes('"action":"correction"'));

  const env = freshEnv('restored');
  const imported = await cli('src/cli/import.ts', [bagDir], env);
  assert.equal(imported.status, 0, imported.stderr);
  assert.match(imported.stdout, /^imported 5 documents, \d+ pages, 1 stories; [1-9]\d* page images drawn/);
  const target = await openArchive(loadConfig(env));
  targets.push(target);

  assert.deepEqual(await answers(target), await answers(source.archive), 'the restored archive answers exactly as the original');
  const total = (await target.search.searchPages({ q: '石炭井', page: 1, size: 1, sort: 'relevance', includeUnpublished: false })).total;
  assert.ok(total > 3, `a query with real hits (${total})`);
  for (const key of ['volume', 'letters', 'draft', 'hidden', 'failed']) {
    const [was, now] = [source.archive.catalogue.documents.get(ids[key]!)!, target.catalogue.documents.get(ids[key]!)!];
    assert.deepEqual(now, was, `${key}: the document record, timestamps and state included`);
    assert.deepEqual(target.catalogue.pages.listForDocument(now.id), source.archive.catalogue.pages.listForDocument(was.id), `${key}: its pages`);
    assert.ok(fs.readFileSync(target.originals.pathOf(now.sha256)).equals(fs.readFileSync(source.archive.originals.pathOf(was.sha256))));
  }
  for (const page of target.catalogue.pages.listForDocument(ids.volume!)) {
    if (page.hasImage) assert.ok(target.images.exists(ids.volume!, page.number, 'page'), `page image ${page.number} drawn again`);
  }
  assert.deepEqual(target.catalogue.corrections.history(ids.volume!, 2).map((c) => [c.text, c.actor, c.at]),
    source.archive.catalogue.corrections.history(ids.volume!, 2).map((c) => [c.text, c.actor, c.at]));

  const again = await cli('src/cli/import.ts', [bagDir], env);
  assert.equal(again.status, 1);
  assert.match(again.stderr, /the archive is not empty: import into a new DATA_DIR/);

  fs.appendFileSync(path.join(bagDir, 'data', 'documents', ids.letters!, 'pages', '0001.txt'), '篡改');
  const tampered = await cli('src/cli/import.ts', [bagDir], freshEnv('tampered'));
  assert.equal(tampered.status, 1);
  assert.match(tampered.stderr, /is not a valid bag \(2 problems\)/);
  assert.match(tampered.stderr, new RegExp(`^  checksum mismatch: data/documents/${ids.letters}/pages/0001.txt$`, 'm'));
  assert.match(tampered.stderr, /^  Payload-Oxum \d+\.\d+ does not match the payload \(\d+\.\d+\)$/m);
});

test('npm run verify: every original intact → exit 0; a damaged and a missing original are named → exit 1', async () => {
  const env = { ...baseEnv, DATA_DIR: source.dataDir, MEILI_INDEX_PREFIX: source.config.meiliIndexPrefix };
  const clean = await cli('src/cli/verify.ts', [], env);
  assert.equal(clean.status, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /^5 originals, [\d.]+ MB read in [\d.]+ s: 0 damaged, 0 missing$/m);

  const { catalogue, originals } = source.archive;
  const damaged = catalogue.documents.get(ids.letters!)!;
  const lost = catalogue.documents.get(ids.draft!)!;
  const file = originals.pathOf(damaged.sha256);
  fs.chmodSync(file, 0o644);
  const bytes = fs.readFileSync(file);
  bytes[10] = bytes[10]! ^ 0xff; // one flipped byte
  fs.writeFileSync(file, bytes);
  fs.rmSync(originals.pathOf(lost.sha256));
  const found = await cli('src/cli/verify.ts', [], env);
  assert.equal(found.status, 1);
  assert.match(found.stdout, new RegExp(`^mismatch  document ${damaged.id}  sha256 ${damaged.sha256}, file now [0-9a-f]{64}  `, 'm'));
  assert.match(found.stdout, new RegExp(`^missing   document ${lost.id}  sha256 ${lost.sha256}  `, 'm'));
  assert.match(found.stdout, /: 1 damaged, 1 missing$/m);
  assert.ok(catalogue.audit.recent(20).some((e) => e.action === 'fixity-check' && e.detail.endsWith('1 damaged, 1 missing')), 'the check is in the audit log');
});
