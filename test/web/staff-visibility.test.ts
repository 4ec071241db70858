import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/web/app.ts';
import { createTestArchive, ingestBytes, type TestArchive } from '../support/harness.ts';
import { addStaff, basicAuth, signIn } from '../support/staff-login.ts';

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let staff: Awaited<ReturnType<typeof signIn>>;
let publicId = '';
let draftId = '';
const editor = { name: 'vis-editor', password: 'vis-editor-pw' };

async function ingest(text: string, name: string, publish: boolean, metadata: Record<string, string>): Promise<string> {
  const { outcome, job } = await ingestBytes(t.archive, Buffer.from(text, 'utf8'), name, {
    publish, collection: 'kuangshan', collectionTitle: '矿山文史', metadata,
  });
  assert.equal(job?.status, 'done');
  return outcome.status === 'queued' ? outcome.documentId : '';
}

before(async () => {
  t = await createTestArchive();
  app = createApp(t.archive, { log: () => {} });
  publicId = await ingest('矿山的往事，已经公开。', 'public.txt', true, { title: '公开的矿山往事', date: '1950年', type: '回忆录' });
  draftId = await ingest('矿山的内部草稿，尚未审核。\f第二页草稿，矿山。', 'draft.txt', false, { title: '内部草稿', date: '1960年', type: '内部资料' });
  await addStaff(t.archive, editor.name, 'editor', editor.password);
  staff = await signIn(app, editor);
});
after(async () => { await t.close(); });

test('the public never meets an unpublished document: search, facet counts, API, pages, home counts', async () => {
  const search = await request(app).get('/search').query({ q: '矿山' });
  assert.match(search.text, /<strong id="total">1<\/strong>/);
  assert.doesNotMatch(search.text, /内部草稿|内部资料|1960/);
  const api = await request(app).get('/api/search').query({ q: '矿山' });
  assert.equal(api.body.total, 1);
  assert.deepEqual(api.body.facets.collection, { kuangshan: 1 });
  assert.deepEqual(api.body.facets.year, { 1950: 1 });
  assert.deepEqual(api.body.facets.type, { 回忆录: 1 });
  assert.equal((await request(app).get('/api/search').query({ q: '矿山', group: 'document' })).body.total, 1);
  assert.equal((await request(app).get('/api/search').query({ q: '矿山', document: draftId })).body.total, 0);
  assert.equal((await request(app).get('/api/search').query({ q: '', type: '回忆录' })).body.total, 1, 'a filter-only search lists pages');
  assert.equal((await request(app).get('/api/search').query({ q: '', type: '内部资料' })).body.total, 0);
  for (const url of [`/documents/${draftId}`, `/documents/${draftId}/pages/1`, `/api/documents/${draftId}`, `/api/documents/${draftId}/pages/2`]) {
    const res = await request(app).get(url);
    assert.equal(res.status, 404, url);
    assert.doesNotMatch(res.text, /内部草稿/, url);
  }
  const home = await request(app).get('/');
  assert.match(home.text, /矿山文史<\/a>\s*<span class="count">1 文献 · 1 页<\/span>/);
});

test('staff see unpublished documents everywhere, marked with a badge', async () => {
  const search = await staff.agent.get('/search').query({ q: '矿山' });
  assert.match(search.text, /<strong id="total">3<\/strong>/);
  const draftHit = new RegExp(`href="/documents/${draftId}/pages/1[^"]*">内部草稿[^<]*</a>\\s*<span class="badge">未发布</span>`);
  assert.match(search.text, draftHit);
  const doc = await staff.agent.get(`/documents/${draftId}`);
  assert.equal(doc.status, 200);
  assert.equal(doc.headers['cache-control'], 'private, no-store', 'no shared cache keeps what staff see');
  assert.match(doc.text, /<h1>内部草稿 <span class="badge">未发布<\/span><\/h1>/);
  assert.equal((await staff.agent.get(`/documents/${draftId}/pages/2`)).status, 200);
  const viaBasic = await request(app).get('/api/search').query({ q: '矿山' }).set('Authorization', basicAuth(editor));
  assert.equal(viaBasic.body.total, 3);
  assert.equal(viaBasic.body.facets.year['1960'], 2);
  const dashboard = await staff.agent.get('/staff?view=unpublished');
  assert.match(dashboard.text, new RegExp(`<a href="/staff/documents/${draftId}">内部草稿</a>\\s*<span class="badge">未发布</span>`));
  assert.doesNotMatch(dashboard.text, new RegExp(`/staff/documents/${publicId}"`));
});

test('publishing opens the document to the public; unpublishing closes it again', async () => {
  await staff.agent.post(`/staff/documents/${draftId}/publish`).type('form').send({ _csrf: staff.csrf }).expect(303);
  assert.equal((await request(app).get('/api/search').query({ q: '矿山' })).body.total, 3);
  assert.equal((await request(app).get(`/documents/${draftId}/pages/2`)).status, 200);
  await staff.agent.post(`/staff/documents/${draftId}/unpublish`).type('form').send({ _csrf: staff.csrf }).expect(303);
  const api = await request(app).get('/api/search').query({ q: '矿山' });
  assert.equal(api.body.total, 1);
  assert.deepEqual(api.body.facets.year, { 1950: 1 });
  assert.equal((await request(app).get(`/documents/${draftId}`)).status, 404);
  const audit = t.archive.catalogue.audit.recent(20).map((e) => `${e.actor}:${e.action}:${e.target}`);
  assert.ok(audit.includes(`${editor.name}:publish:${draftId}`));
  assert.ok(audit.includes(`${editor.name}:unpublish:${draftId}`));
});
