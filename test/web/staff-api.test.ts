import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createJobWorker } from '../../ingest/job-runner.ts';
import { createApp } from '../../src/web/app.ts';
import { uploadTempDir } from '../../src/web/upload.ts';
import { createTestArchive, FIXTURES, type TestArchive } from '../support/harness.ts';
import { addStaff, basicAuth, waitForJob } from '../support/staff-login.ts';

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let worker: ReturnType<typeof createJobWorker>;
let bearer = '';
const editor = { name: 'api-editor', password: 'api-editor-password' };

const TEXT = '大武口区政协文史资料委员会编。石炭井矿务局一九六五年建成工人俱乐部。';

before(async () => {
  t = await createTestArchive();
  worker = createJobWorker(t.archive, { pollMs: 50 });
  worker.start();
  app = createApp(t.archive, { worker, log: () => {} });
  await addStaff(t.archive, editor.name, 'editor', editor.password);
  bearer = `Bearer ${t.archive.catalogue.apiTokens.create(t.archive.catalogue.users.findByName(editor.name)!.id, 'tests').token}`;
});
after(async () => {
  await worker.stop();
  await t.close();
});

const upload = () => request(app).post('/api/documents').set('Authorization', bearer);

test('POST /api/documents: 202 with one job per file; queued, duplicate and rejected are told apart', async () => {
  const zip = fs.readFileSync(path.join(FIXTURES, 'invalid', 'zip-archive.zip'));
  const res = await request(app).post('/api/documents').set('Authorization', basicAuth(editor))
    .field('collection', 'dawukou-zhengxie').field('lang', 'chi_sim')
    .attach('files', Buffer.from(TEXT, 'utf8'), '俱乐部.txt')
    .attach('files', Buffer.from(TEXT, 'utf8'), 'copy-of-club.txt')
    .attach('files', zip, 'archive.zip');
  assert.equal(res.status, 202);
  const [queued, duplicate, rejected] = res.body.jobs;
  assert.deepEqual(Object.keys(queued).sort(), ['documentId', 'error', 'file', 'id', 'status']);
  assert.equal(queued.status, 'queued');
  assert.equal(queued.file, '俱乐部.txt', 'UTF-8 file names survive the upload');
  assert.equal(duplicate.status, 'duplicate');
  assert.equal(duplicate.documentId, queued.documentId, 'the same bytes point at the first document');
  assert.equal(duplicate.id, null);
  assert.equal(rejected.status, 'rejected');
  assert.match(rejected.error, /ZIP/);
  assert.equal(rejected.documentId, null);
  assert.deepEqual(fs.readdirSync(uploadTempDir(t.dataDir)), [], 'temporary files are removed');

  const job = await waitForJob(app, bearer, queued.id);
  assert.equal(job.status, 'done', job.error ?? '');
  assert.equal(job.stage, 'done');
  assert.equal(job.pagesDone, 1);
  assert.equal(job.pagesTotal, 1);
  assert.equal(job.documentId, queued.documentId);
  const doc = t.archive.catalogue.documents.get(queued.documentId)!;
  assert.equal(doc.published, false, 'uploads stay unpublished unless asked');
  assert.equal(doc.collection?.slug, 'dawukou-zhengxie');
  assert.equal(doc.ocrLanguages, 'chi_sim');
  assert.equal(doc.originalName, '俱乐部.txt');
  const audit = t.archive.catalogue.audit.recent(50).find((e) => e.action === 'upload' && e.target === queued.documentId);
  assert.equal(audit?.actor, editor.name);
});

test('publish=1 makes the upload public as soon as it is indexed', async () => {
  const res = await upload().field('publish', '1').attach('files', Buffer.from('石嘴山市政协志，第一卷。', 'utf8'), 'zhi.txt');
  assert.equal(res.status, 202);
  await waitForJob(app, bearer, res.body.jobs[0].id);
  const search = await request(app).get('/api/search').query({ q: '政协志' });
  assert.equal(search.body.total, 1);
  assert.equal(search.body.hits[0].documentId, res.body.jobs[0].documentId);
});

test('publish and unpublish return the document and change what the public finds at once', async () => {
  const res = await upload().attach('files', Buffer.from('贺兰山下的煤城，石炭井。', 'utf8'), 'meicheng.txt');
  const { documentId, id } = res.body.jobs[0];
  await waitForJob(app, bearer, id);
  assert.equal((await request(app).get('/api/search').query({ q: '煤城' })).body.total, 0);
  const published = await request(app).post(`/api/documents/${documentId}/publish`).set('Authorization', bearer);
  assert.equal(published.status, 200);
  assert.equal(published.body.id, documentId);
  assert.equal(published.body.published, true);
  assert.equal(published.body.title, 'meicheng');
  assert.equal((await request(app).get('/api/search').query({ q: '煤城' })).body.total, 1);
  assert.equal((await request(app).get(`/api/documents/${documentId}`)).status, 200);
  const unpublished = await request(app).post(`/api/documents/${documentId}/unpublish`).set('Authorization', bearer);
  assert.equal(unpublished.body.published, false);
  assert.equal((await request(app).get('/api/search').query({ q: '煤城' })).body.total, 0);
  assert.equal((await request(app).get(`/api/documents/${documentId}`)).status, 404);
  assert.equal((await request(app).post('/api/documents/nosuchdoc/publish').set('Authorization', bearer)).status, 404);
});

test('PATCH /api/documents/:id: Dublin Core fields validated, date kept as written, year facet from it', async () => {
  const res = await upload().field('publish', '1').attach('files', Buffer.from('解放前夕的石嘴山，商号林立。', 'utf8'), 'jiefang.txt');
  const { documentId, id } = res.body.jobs[0];
  await waitForJob(app, bearer, id);
  const patched = await request(app).patch(`/api/documents/${documentId}`).set('Authorization', bearer)
    .send({ title: '解放前夕的石嘴山', date: '民国三十八年', type: '回忆录', creator: '李某' });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.title, '解放前夕的石嘴山');
  assert.equal(patched.body.date, '民国三十八年');
  assert.equal(patched.body.metadata.creator, '李某');
  const doc = t.archive.catalogue.documents.get(documentId)!;
  assert.equal(doc.yearFrom, 1949);
  const search = await request(app).get('/api/search').query({ q: '商号' });
  assert.deepEqual(search.body.facets.year, { 1949: 1 }, 'the page was reindexed with the new year');
  assert.deepEqual(search.body.facets.type, { 回忆录: 1 });
  assert.equal((await request(app).get('/api/search').query({ q: '商号', year: 1949 })).body.total, 1);

  const unknown = await request(app).patch(`/api/documents/${documentId}`).set('Authorization', bearer).send({ title: 'x', published: true });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, 'unknown_field');
  const empty = await request(app).patch(`/api/documents/${documentId}`).set('Authorization', bearer).send({ title: '  ' });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error.code, 'invalid_metadata');
  const badYear = await request(app).patch(`/api/documents/${documentId}`).set('Authorization', bearer).send({ date: '3000年' });
  assert.equal(badYear.status, 400);
  const notString = await request(app).patch(`/api/documents/${documentId}`).set('Authorization', bearer).send({ creator: 5 });
  assert.equal(notString.status, 400);
  const form = await request(app).patch(`/api/documents/${documentId}`).set('Authorization', bearer).type('form').send({ title: 'x' });
  assert.equal(form.status, 415);
  assert.equal(t.archive.catalogue.documents.get(documentId)!.metadata.title, '解放前夕的石嘴山', 'refused changes change nothing');
  assert.equal((await request(app).patch('/api/documents/nosuchdoc').set('Authorization', bearer).send({ title: 'x' })).status, 404);
});

test('upload errors: not multipart 415, no files 400, bad collection or language 400, unknown job 404', async () => {
  const json = await request(app).post('/api/documents').set('Authorization', bearer).send({ files: [] });
  assert.equal(json.status, 415);
  assert.equal(json.body.error.code, 'unsupported_media_type');
  const none = await upload().field('collection', 'x');
  assert.equal(none.status, 400);
  assert.equal(none.body.error.code, 'no_files');
  const badSlug = await upload().field('collection', '../../etc').attach('files', Buffer.from('路径', 'utf8'), 'a.txt');
  assert.equal(badSlug.status, 400);
  const badLang = await upload().field('lang', 'klingon').attach('files', Buffer.from('语言', 'utf8'), 'b.txt');
  assert.equal(badLang.status, 400);
  assert.match(badLang.body.error.message, /klingon/);
  assert.deepEqual(fs.readdirSync(uploadTempDir(t.dataDir)), []);
  const job = await request(app).get('/api/jobs/00000000-0000-0000-0000-000000000000').set('Authorization', bearer);
  assert.equal(job.status, 404);
  assert.equal(job.body.error.code, 'not_found');
});

test('a file name is never used as a path', async () => {
  const res = await upload().attach('files', Buffer.from('目录穿越的文件名。', 'utf8'), '../../../../tmp/evil.txt');
  assert.equal(res.status, 202);
  assert.equal(res.body.jobs[0].file, 'evil.txt');
  await waitForJob(app, bearer, res.body.jobs[0].id);
  assert.equal(t.archive.catalogue.documents.get(res.body.jobs[0].documentId)!.originalName, 'evil.txt');
  assert.deepEqual(fs.readdirSync(uploadTempDir(t.dataDir)), []);
});

test('limits from the configuration: a file over MAX_FILE_MB gets 413, too many files 400', async () => {
  const small = await createTestArchive({ MAX_FILE_MB: '0.01', MAX_FILES_PER_UPLOAD: '2' });
  try {
    const smallApp = createApp(small.archive, { log: () => {} });
    await addStaff(small.archive, editor.name, 'editor', editor.password);
    const big = Buffer.from('石'.repeat(20_000), 'utf8');
    const tooBig = await request(smallApp).post('/api/documents').set('Authorization', basicAuth(editor)).attach('files', big, 'big.txt');
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.body.error.code, 'file_too_large');
    assert.match(tooBig.body.error.message, /0\.01 MB/, 'the message names the limit');
    const tooMany = await request(smallApp).post('/api/documents').set('Authorization', basicAuth(editor))
      .attach('files', Buffer.from('一', 'utf8'), '1.txt').attach('files', Buffer.from('二', 'utf8'), '2.txt').attach('files', Buffer.from('三', 'utf8'), '3.txt');
    assert.equal(tooMany.status, 400);
    assert.deepEqual(fs.readdirSync(uploadTempDir(small.dataDir)), [], 'partial uploads are removed');
    assert.equal(small.archive.catalogue.documents.count(), 0);
  } finally {
    await small.close();
  }
});
