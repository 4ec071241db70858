import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { loadConfig } from '../../src/config.ts';
import { openArchive, type Archive } from '../../src/archive.ts';
import { createApp } from '../../src/web/app.ts';
import { createTestArchive, ingestBytes, type TestArchive } from '../support/harness.ts';

let t: TestArchive;
let offline: Archive;
let docId = '';

before(async () => {
  t = await createTestArchive();
  const r = await ingestBytes(t.archive, Buffer.from('石炭井矿区的老照片，记录了贺兰山下的岁月。', 'utf8'), 'photo-notes.txt');
  docId = r.outcome.status === 'queued' ? r.outcome.documentId : '';
  // The same catalogue, but the search engine is unreachable (nothing listens on port 9).
  offline = await openArchive(loadConfig({ DATA_DIR: t.dataDir, MEILI_URL: 'http://127.0.0.1:9', MEILI_MASTER_KEY: 'x'.repeat(16), DEMO: '0' }));
});
after(async () => {
  await offline.close();
  await t.close();
});

test('with Meilisearch unreachable, search says so clearly with 503, in HTML and JSON', async () => {
  const app = createApp(offline, { log: () => {} });
  const page = await request(app).get('/search').query({ q: '石炭井' });
  assert.equal(page.status, 503);
  assert.match(page.text, /检索服务暂时不可用/);
  assert.doesNotMatch(page.text, /ECONNREFUSED|at .*\.ts:\d+/, 'no engine message or stack trace reaches the reader');
  const api = await request(app).get('/api/search').query({ q: '石炭井' });
  assert.equal(api.status, 503);
  assert.equal(api.body.error.code, 'search_unavailable');
});

test('with Meilisearch unreachable, documents and pages still render from the catalogue; /healthz names the failing part', async () => {
  const app = createApp(offline, { log: () => {} });
  const doc = await request(app).get(`/documents/${docId}/pages/1`);
  assert.equal(doc.status, 200);
  assert.match(doc.text, /贺兰山下的岁月/);
  const health = await request(app).get('/healthz');
  assert.equal(health.status, 503);
  assert.deepEqual(health.body.failing, ['meilisearch']);
});
