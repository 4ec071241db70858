import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createJobWorker } from '../../ingest/job-runner.ts';
import { createApp } from '../../src/web/app.ts';
import { createTestArchive, type TestArchive } from '../support/harness.ts';
import { addStaff, signIn, waitForJob } from '../support/staff-login.ts';

/** Payloads that would run or inject markup if any of them reached a page unescaped. */
const PAYLOADS = {
  fileName: '<img src=x onerror=alert(1)>.txt',
  title: '<script>alert("title")</script>',
  creator: '"><svg onload=alert(2)>',
  description: '<iframe src=javascript:alert(3)></iframe>',
  correction: '矿工</textarea><script>alert(4)</script>',
  collectionTitle: '<b onmouseover=alert(5)>文集</b>',
};
const RAW = [/<img src=x/i, /<script>alert/i, /<svg onload/i, /<iframe src=javascript/i, /<b onmouseover/i, /<\/textarea><script>/i];

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let worker: ReturnType<typeof createJobWorker>;
let admin: Awaited<ReturnType<typeof signIn>>;
let docId = '';
let uploadResultHtml = '';

before(async () => {
  t = await createTestArchive();
  worker = createJobWorker(t.archive, { pollMs: 50 });
  worker.start();
  app = createApp(t.archive, { worker, log: () => {} });
  admin = await signIn(app, await addStaff(t.archive, 'xss-admin', 'admin'));
  const { agent, csrf } = admin;
  const upload = await agent.post('/staff/upload')
    .field('_csrf', csrf).field('collection', '__new__').field('collectionTitle', PAYLOADS.collectionTitle).field('collectionSlug', 'xss-c')
    .attach('files', Buffer.from('石炭井矿工的回忆，文字里有尖括号 <b>加粗</b>。', 'utf8'), PAYLOADS.fileName);
  assert.equal(upload.status, 200);
  uploadResultHtml = upload.text;
  const job = /href="\/staff\/jobs#job-([0-9a-f-]+)"/.exec(upload.text)![1]!;
  const token = t.archive.catalogue.apiTokens.create(t.archive.catalogue.users.findByName('xss-admin')!.id, 'x').token;
  const done = await waitForJob(app, `Bearer ${token}`, job);
  assert.equal(done.status, 'done');
  docId = done.documentId;
  await agent.post(`/staff/documents/${docId}/metadata`).type('form')
    .send({ _csrf: csrf, title: PAYLOADS.title, creator: PAYLOADS.creator, description: PAYLOADS.description }).expect(303);
  await agent.post(`/staff/documents/${docId}/pages/1`).type('form').send({ _csrf: csrf, text: PAYLOADS.correction }).expect(303);
  await agent.post(`/staff/documents/${docId}/publish`).type('form').send({ _csrf: csrf }).expect(303);
});
after(async () => {
  await worker.stop();
  await t.close();
});

function assertInert(html: string, where: string) {
  for (const raw of RAW) assert.doesNotMatch(html, raw, `${where}: ${raw} must not appear unescaped`);
}

test('the file name is escaped on the upload result page', () => {
  assertInert(uploadResultHtml, 'upload result');
  assert.match(uploadResultHtml, /&lt;img src=x onerror=alert\(1\)&gt;\.txt/);
});

test('staff pages render titles, file names, metadata and corrected text inert', async () => {
  const pages: Array<[string, RegExp]> = [
    ['/staff', /&lt;script&gt;alert\(&#34;title&#34;\)&lt;\/script&gt;/],
    [`/staff/documents/${docId}`, /value="&#34;&gt;&lt;svg onload=alert\(2\)&gt;"/],
    [`/staff/documents/${docId}/pages/1`, /&lt;\/textarea&gt;&lt;script&gt;alert\(4\)&lt;\/script&gt;<\/textarea>/],
    ['/staff/jobs', /&lt;img src=x onerror=alert\(1\)&gt;\.txt/],
    ['/staff/audit', /&lt;img src=x onerror=alert\(1\)&gt;\.txt/],
    ['/staff/upload', /&lt;b onmouseover=alert\(5\)&gt;文集&lt;\/b&gt;/],
  ];
  for (const [url, escaped] of pages) {
    const res = await admin.agent.get(url);
    assert.equal(res.status, 200, url);
    assertInert(res.text, url);
    assert.match(res.text, escaped, `${url} shows the payload as text`);
  }
  const review = await admin.agent.get(`/staff/documents/${docId}`);
  assert.match(review.text, /&lt;iframe src=javascript:alert\(3\)&gt;&lt;\/iframe&gt;<\/textarea>/);
});

test('public pages and search render the same payloads inert', async () => {
  for (const url of [`/documents/${docId}`, `/documents/${docId}/pages/1`, `/search?q=${encodeURIComponent('矿工')}`, '/']) {
    const res = await request(app).get(url);
    assert.equal(res.status, 200, url);
    assertInert(res.text, url);
  }
  const api = await request(app).get(`/api/documents/${docId}/pages/1`);
  assert.equal(api.body.text, PAYLOADS.correction, 'JSON carries the text as data, unchanged');
  const search = await request(app).get('/api/search').query({ q: '矿工' });
  assert.match(search.body.hits[0].snippet, /&lt;script&gt;/, 'snippets are escaped HTML');
});
