import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/web/app.ts';
import { createTestArchive, ingestBytes, type TestArchive } from '../support/harness.ts';

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let docId = '';
let hiddenId = '';

const PAGE_ONE = [
  '石炭井矿区的工人俱乐部',
  '',
  '一九六五年，石炭井矿务局在贺兰山下建起工人俱乐部。大武口区政协的文史资料记载了它的兴衰。',
  '',
  '俱乐部的舞台上演过《白毛女》，也放映过露天电影。<script>alert("x")</script>这段文字来自一份手抄本。',
].join('\n');
const PAGE_TWO = '政协委员们走访了老矿工，整理口述史料。石炭井的故事由此流传。';

before(async () => {
  t = await createTestArchive();
  app = createApp(t.archive, { log: () => {} });
  const published = await ingestBytes(t.archive, Buffer.from(`${PAGE_ONE}\f${PAGE_TWO}`, 'utf8'), '石炭井俱乐部.txt', {
    collection: 'shitanjing', collectionTitle: '石炭井印迹', metadata: { title: '石炭井工人俱乐部', date: '1965年', type: '回忆录' },
  });
  assert.equal(published.job?.status, 'done', published.job?.error ?? '');
  docId = published.outcome.status === 'queued' ? published.outcome.documentId : '';
  const hidden = await ingestBytes(t.archive, Buffer.from('未发布的石炭井草稿，政协内部资料。', 'utf8'), 'draft.txt', { publish: false });
  hiddenId = hidden.outcome.status === 'queued' ? hidden.outcome.documentId : '';
});
after(async () => { await t.close(); });

test('search page lists hits with the match marked, an exact count and facet links', async () => {
  const res = await request(app).get('/search').query({ q: '政协' });
  assert.equal(res.status, 200);
  assert.match(res.text, /<strong id="total">2<\/strong>/, 'both published pages contain 政协; the unpublished draft is not counted');
  assert.match(res.text, /<mark>政协<\/mark>/);
  assert.match(res.text, /石炭井印迹/, 'collection facet shows the collection title');
  assert.match(res.text, /href="\/search\?q=%E6%94%BF%E5%8D%8F&amp;collection=shitanjing"/);
  assert.doesNotMatch(res.text, /草稿/);
});

test('a two-character fragment of a longer word finds the page (炭井 inside 石炭井)', async () => {
  const res = await request(app).get('/api/search').query({ q: '炭井' });
  assert.equal(res.status, 200);
  assert.equal(res.body.total, 2);
  assert.ok(res.body.hits.every((h: { snippet: string }) => h.snippet.includes('<mark>炭井</mark>')));
});

test('a <script> inside document text is rendered inert, in snippets and on the page', async () => {
  const search = await request(app).get('/search').query({ q: '手抄本' });
  assert.doesNotMatch(search.text, /<script>alert/);
  assert.match(search.text, /&lt;script&gt;alert/);
  const page = await request(app).get(`/documents/${docId}/pages/1`).query({ q: '俱乐部' });
  assert.equal(page.status, 200);
  assert.doesNotMatch(page.text, /<script>alert/);
  assert.match(page.text, /&lt;script&gt;/);
  assert.match(page.text, /<mark>俱乐部<\/mark>/);
  assert.match(page.text, new RegExp(`<link rel="canonical" href="/documents/${docId}/pages/1">`));
});

test('/api/search follows the contract shape', async () => {
  const res = await request(app).get('/api/search').query({ q: '石炭井', size: 1 });
  assert.equal(res.status, 200);
  assert.equal(res.body.query, '石炭井');
  assert.equal(res.body.total, 2);
  assert.equal(res.body.size, 1);
  assert.equal(res.body.hits.length, 1);
  const hit = res.body.hits[0];
  for (const k of ['documentId', 'documentTitle', 'collection', 'pageNumber', 'snippet', 'occurrences', 'url']) assert.ok(k in hit, k);
  assert.equal(hit.documentTitle, '石炭井工人俱乐部');
  assert.deepEqual(Object.keys(res.body.facets).sort(), ['collection', 'type', 'year']);
  assert.equal(res.body.facets.year['1965'], 2);
  const bad = await request(app).get('/api/search').query({ q: 'x', size: 1000 });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'bad_request');
});

test('group=document counts matching pages and occurrences per document', async () => {
  const res = await request(app).get('/api/search').query({ q: '石炭井', group: 'document' });
  assert.equal(res.body.total, 1);
  assert.equal(res.body.hits[0].documentId, docId);
  assert.equal(res.body.hits[0].pages, 2);
  assert.equal(res.body.hits[0].occurrences, 3);
});

test('document and page views render metadata, text and navigation; unpublished ones are 404 for the public', async () => {
  const doc = await request(app).get(`/documents/${docId}`);
  assert.equal(doc.status, 200);
  assert.match(doc.text, /题名/);
  assert.match(doc.text, /石炭井工人俱乐部/);
  const page2 = await request(app).get(`/documents/${docId}/pages/2`);
  assert.match(page2.text, /rel="prev" href="\/documents\/[0-9a-f]+\/pages\/1"/);
  const api = await request(app).get(`/api/documents/${docId}/pages/2`);
  assert.equal(api.body.text, PAGE_TWO);
  assert.equal(api.body.source, 'text-layer');
  assert.equal((await request(app).get(`/documents/${hiddenId}`)).status, 404);
  const apiHidden = await request(app).get(`/api/documents/${hiddenId}`);
  assert.equal(apiHidden.status, 404);
  assert.equal(apiHidden.body.error.code, 'not_found');
});

test('home page shows the collection with counts; English is available', async () => {
  const zh = await request(app).get('/');
  assert.match(zh.text, /<html lang="zh-CN">/);
  assert.match(zh.text, /石炭井印迹/);
  assert.match(zh.text, /1 文献 · 2 页/);
  const en = await request(app).get('/?lang=en');
  assert.match(en.text, /<html lang="en">/);
  assert.match(en.text, /Collections/);
});

test('/healthz is ok with a working engine', async () => {
  const res = await request(app).get('/healthz');
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { status: 'ok' });
});

test('page text is marked with its script: zh-Hant for a page printed in traditional characters', async () => {
  const traditional = await ingestBytes(t.archive, Buffer.from('石炭井礦務局的職工們在礦區俱樂部看電影，這是當年最熱鬧的時候。', 'utf8'), '礦區.txt', {});
  assert.equal(traditional.job?.status, 'done', traditional.job?.error ?? '');
  const traditionalId = traditional.outcome.status === 'queued' ? traditional.outcome.documentId : '';
  const res = await request(app).get(`/documents/${traditionalId}/pages/1`);
  assert.match(res.text, /<div class="page-text" lang="zh-Hant">/);
  const simplified = await request(app).get(`/documents/${docId}/pages/1`);
  assert.match(simplified.text, /<div class="page-text" lang="zh-CN">/);
});
