import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { acceptAttribute } from '../../ingest/detect-type.ts';
import { createJobWorker } from '../../ingest/job-runner.ts';
import { rebuildPagesIndex } from '../../src/search/reindex.ts';
import { createApp } from '../../src/web/app.ts';
import { uploadTempDir } from '../../src/web/upload.ts';
import { createTestArchive, FIXTURES, ingestBytes, type TestArchive } from '../support/harness.ts';
import { addStaff, csrfFrom, signIn, waitForJob } from '../support/staff-login.ts';

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let worker: ReturnType<typeof createJobWorker>;
let editorSession: Awaited<ReturnType<typeof signIn>>;
let adminSession: Awaited<ReturnType<typeof signIn>>;
let bearer = '';
const editor = { name: 'editor-zhao', password: 'zhao-password' };
const admin = { name: 'admin-qian', password: 'qian-password' };

async function ingest(text: string, name: string, publish = true): Promise<string> {
  const { outcome, job } = await ingestBytes(t.archive, Buffer.from(text, 'utf8'), name, { publish });
  assert.equal(job?.status, 'done');
  return outcome.status === 'queued' ? outcome.documentId : '';
}

before(async () => {
  t = await createTestArchive();
  worker = createJobWorker(t.archive, { pollMs: 50 });
  worker.start();
  app = createApp(t.archive, { worker, log: () => {} });
  await addStaff(t.archive, editor.name, 'editor', editor.password);
  await addStaff(t.archive, admin.name, 'admin', admin.password);
  editorSession = await signIn(app, editor);
  adminSession = await signIn(app, admin);
  bearer = `Bearer ${t.archive.catalogue.apiTokens.create(t.archive.catalogue.users.findByName(editor.name)!.id, 'tests').token}`;
});
after(async () => {
  await worker.stop();
  await t.close();
});

test('upload page: several files, accept= from the accepted-types table, collection created, duplicates linked', async () => {
  const { agent, csrf } = editorSession;
  const form = await agent.get('/staff/upload');
  assert.equal(form.status, 200);
  assert.match(form.text, /<input type="file" name="files" multiple required accept="([^"]+)">/);
  assert.equal(/accept="([^"]+)"/.exec(form.text)![1], acceptAttribute());
  assert.match(form.text, /<option value="chi_tra">繁体中文<\/option>/);
  assert.match(form.text, /enctype="multipart\/form-data"/);

  const first = await ingest('石炭井工人俱乐部的旧照片说明。', 'existing.txt');
  const res = await agent.post('/staff/upload')
    .field('_csrf', csrf).field('collection', '__new__').field('collectionTitle', '石炭井印迹').field('date', '1965年')
    .attach('files', Buffer.from('大武口老街的回忆。', 'utf8'), '老街.txt')
    .attach('files', Buffer.from('石炭井工人俱乐部的旧照片说明。', 'utf8'), 'again.txt');
  assert.equal(res.status, 200);
  assert.match(res.text, /老街\.txt<\/td>\s*<td>已加入处理队列/);
  assert.match(res.text, new RegExp(`again\\.txt</td>\\s*<td>重复文件（已存在）</td>[\\s\\S]*?<a href="/staff/documents/${first}">existing</a>`));
  assert.deepEqual(fs.readdirSync(uploadTempDir(t.dataDir)), []);
  const created = t.archive.catalogue.collections.listWithCounts(true).find((c) => c.title === '石炭井印迹');
  assert.ok(created, 'the new collection exists');
  const doc = t.archive.catalogue.documents.listForStaff('all').find((d) => d.originalName === '老街.txt')!;
  assert.equal(doc.collection?.id, created.id);
  assert.equal(doc.metadata.date, '1965年');
  assert.equal(doc.published, false);
  const empty = await agent.post('/staff/upload').field('_csrf', csrf).field('collection', '');
  assert.equal(empty.status, 400);
  assert.match(empty.text, /请选择至少一个文件/);
});

test('jobs page: progress per document, the reason of a failure and a retry button that requeues it', async () => {
  const { agent, csrf } = editorSession;
  const res = await request(app).post('/api/documents').set('Authorization', bearer)
    .attach('files', fs.readFileSync(path.join(FIXTURES, 'invalid', 'truncated.pdf')), 'truncated.pdf')
    .attach('files', Buffer.from('政协委员走访老矿工。', 'utf8'), 'fangtan.txt');
  const [bad, good] = res.body.jobs;
  assert.equal((await waitForJob(app, bearer, bad.id)).status, 'failed');
  assert.equal((await waitForJob(app, bearer, good.id)).status, 'done');
  const page = await agent.get('/staff/jobs');
  assert.equal(page.status, 200);
  const failedRow = new RegExp(`<tr id="job-${bad.id}"[^>]*data-status="failed"[\\s\\S]*?</tr>`).exec(page.text)?.[0] ?? '';
  assert.match(failedRow, /<td class="job-error">[^<]+<\/td>/, 'the reason is shown');
  assert.match(failedRow, new RegExp(`action="/staff/jobs/${bad.id}/retry"`));
  const doneRow = new RegExp(`<tr id="job-${good.id}"[\\s\\S]*?</tr>`).exec(page.text)?.[0] ?? '';
  assert.match(doneRow, /<progress max="1" value="1"><\/progress> <span class="job-pages">1\/1<\/span>/);
  assert.match(doneRow, new RegExp(`href="/staff/documents/${good.documentId}">审核`));
  assert.match(page.text, /<script src="\/static\/staff.js" defer><\/script>/);

  const retry = await agent.post(`/staff/jobs/${bad.id}/retry`).type('form').send({ _csrf: csrf });
  assert.equal(retry.status, 303);
  const again = await waitForJob(app, bearer, bad.id);
  assert.equal(again.status, 'failed');
  assert.equal(t.archive.catalogue.jobs.get(bad.id)!.attempts, 2, 'the job ran a second time');
  assert.ok(t.archive.catalogue.audit.recent(100).some((e) => e.action === 'retry' && e.actor === editor.name));
  const notFailed = await agent.post(`/staff/jobs/${good.id}/retry`).type('form').send({ _csrf: csrf });
  assert.equal(notFailed.status, 409);
});

test('metadata form: Chinese labels, dates kept as written with the normalised year, validation', async () => {
  const { agent, csrf } = editorSession;
  const id = await ingest('一九五八年秋，石炭井矿区开始建设。', 'jianshe.txt');
  const form = await agent.get(`/staff/documents/${id}`);
  for (const label of ['题名', '责任者', '日期', '时空范围']) assert.match(form.text, new RegExp(`<label for="dc-[a-z]+">${label}</label>`));
  const saved = await agent.post(`/staff/documents/${id}/metadata`).type('form').send({ _csrf: csrf, title: '矿区建设', date: '1958年秋', coverage: '石炭井' });
  assert.equal(saved.status, 303);
  const doc = t.archive.catalogue.documents.get(id)!;
  assert.equal(doc.metadata.date, '1958年秋');
  assert.equal(doc.yearFrom, 1958);
  const page = await agent.get(`/staff/documents/${id}`);
  assert.match(page.text, /规范年份: <strong class="years">1958<\/strong>/);
  assert.match(page.text, /value="1958年秋"/);

  const decade = await agent.post(`/staff/documents/${id}/metadata`).type('form').send({ _csrf: csrf, date: '1950年代' });
  assert.equal(decade.status, 303);
  assert.deepEqual([t.archive.catalogue.documents.get(id)!.yearFrom, t.archive.catalogue.documents.get(id)!.yearTo], [1950, 1959]);
  const decadeSearch = await request(app).get('/api/search').query({ q: '矿区', year: 1955 });
  assert.equal(decadeSearch.body.total, 1, 'a page dated 1950年代 is found for 1955');

  const invalid = await agent.post(`/staff/documents/${id}/metadata`).type('form').send({ _csrf: csrf, title: '', date: '民国三十八年' });
  assert.equal(invalid.status, 400);
  assert.match(invalid.text, /题名不能为空/);
  assert.match(invalid.text, /value="民国三十八年"/, 'the form keeps what was typed');
  assert.match(invalid.text, /<strong class="years">1949<\/strong>/);
  assert.equal(t.archive.catalogue.documents.get(id)!.metadata.title, '矿区建设', 'nothing saved');
});

test('OCR correction: the original is kept, the correction is shown and indexed at once, both are searchable', async () => {
  const { agent, csrf } = editorSession;
  const id = await ingest('贺兰山下的工入俱乐部放映过露天电影，观众很多。\n\n矿工们下班后常来这里。', 'ocr-error.txt');
  const original = '贺兰山下的工入俱乐部放映过露天电影，观众很多。\n矿工们下班后常来这里。';
  assert.equal(t.archive.catalogue.pages.get(id, 1)!.text, original);
  const form = await agent.get(`/staff/documents/${id}/pages/1`);
  assert.equal(form.status, 200);
  assert.match(form.text, /<ol class="original-lines" lang="zh"><li>贺兰山下的工入俱乐部放映过露天电影，观众很多。<\/li><li>矿工们下班后常来这里。<\/li><\/ol>/);
  assert.match(form.text, new RegExp(`<textarea name="text"[^>]*>${original}</textarea>`));
  const snippet = async () => (await request(app).get('/api/search').query({ q: '俱乐部', document: id })).body.hits[0]?.snippet as string;
  assert.doesNotMatch(await snippet(), /工人<mark>/, 'searched once before the correction (the rows are now in memory)');
  const saved = await agent.post(`/staff/documents/${id}/pages/1`).type('form')
    .send({ _csrf: csrf, text: '贺兰山下的工人俱乐部放映过露天电影，观众很多。\r\n矿工们下班后常来这里。\r\n' });
  assert.equal(saved.status, 303);
  const page = t.archive.catalogue.pages.get(id, 1)!;
  assert.equal(page.text, original, 'pages.text is never overwritten');
  assert.equal(page.correctedText, '贺兰山下的工人俱乐部放映过露天电影，观众很多。\n矿工们下班后常来这里。');
  const history = t.archive.catalogue.corrections.history(id, 1);
  assert.equal(history.length, 1);
  assert.equal(history[0]!.actor, editor.name);
  const publicPage = await request(app).get(`/documents/${id}/pages/1`);
  assert.match(publicPage.text, /工人俱乐部/);
  assert.doesNotMatch(publicPage.text, /工入俱乐部/);
  assert.equal((await request(app).get('/api/search').query({ q: '工人俱乐部', document: id })).body.total, 1, 'the correction is searchable at once');
  assert.equal((await request(app).get('/api/search').query({ q: '工入俱乐部', document: id })).body.total, 1, 'the original reading stays searchable');
  assert.match(await snippet(), /工人<mark>俱乐部<\/mark>/, 'the hit shows the corrected text');
  const after = await agent.get(`/staff/documents/${id}/pages/1?done=saved`);
  assert.match(after.text, /校对已保存/);
  assert.match(after.text, new RegExp(`<ol class="history">\\s*<li><time[^>]*>[^<]+</time> · ${editor.name}`));
  assert.ok(t.archive.catalogue.audit.recent(100).some((e) => e.action === 'correction' && e.target === `${id}/1`));
});

test('proofreading queue: OCR pages not yet corrected, lowest confidence first', async () => {
  const id = await ingest('第一页\f第二页\f第三页', 'scan-like.txt');
  for (const [n, confidence] of [[1, 0.91], [2, 0.42], [3, 0.65]] as const) {
    const p = t.archive.catalogue.pages.get(id, n)!;
    t.archive.catalogue.pages.save(id, n, { ...p, source: 'ocr', confidence });
  }
  const queue = await editorSession.agent.get('/staff/proofreading');
  const rows = [...queue.text.matchAll(new RegExp(`href="/staff/documents/${id}/pages/(\\d)"[\\s\\S]*?class="confidence">(\\d+)%`, 'g'))].map((m) => [Number(m[1]), Number(m[2])]);
  assert.deepEqual(rows, [[2, 42], [3, 65], [1, 91]]);
  await editorSession.agent.post(`/staff/documents/${id}/pages/2`).type('form').send({ _csrf: editorSession.csrf, text: '第二页（已校对）' });
  const afterCorrection = await editorSession.agent.get('/staff/proofreading');
  assert.doesNotMatch(afterCorrection.text, new RegExp(`/staff/documents/${id}/pages/2"`), 'a corrected page leaves the queue');
});

test('deletion: admins only; hidden first (restorable, original kept), then purged', async () => {
  const id = await ingest('将被删除的石炭井文稿，独一无二的词语甲乙丙。', 'to-delete.txt');
  const doc = t.archive.catalogue.documents.get(id)!;
  const originalPath = t.archive.originals.pathOf(doc.sha256);
  const editorTry = await editorSession.agent.post(`/staff/documents/${id}/hide`).type('form').send({ _csrf: editorSession.csrf });
  assert.equal(editorTry.status, 403);
  assert.doesNotMatch((await editorSession.agent.get(`/staff/documents/${id}`)).text, /action="\/staff\/documents\/[^/]+\/hide"/, 'editors are not offered deletion');

  const { agent, csrf } = adminSession;
  assert.equal((await agent.post(`/staff/documents/${id}/purge`).type('form').send({ _csrf: csrf })).status, 409, 'purge needs hiding first');
  assert.equal((await agent.post(`/staff/documents/${id}/hide`).type('form').send({ _csrf: csrf })).status, 303);
  assert.equal((await request(app).get(`/documents/${id}`)).status, 404);
  assert.equal((await request(app).get('/api/search').query({ q: '甲乙丙' })).body.total, 0);
  assert.equal((await editorSession.agent.get(`/staff/documents/${id}`)).status, 404, 'hidden from editors too');
  assert.equal((await editorSession.agent.get('/api/search?q=甲乙丙')).body.total, 0);
  assert.doesNotMatch((await editorSession.agent.get('/staff')).text, new RegExp(id));
  assert.match((await agent.get('/staff?view=hidden')).text, new RegExp(`href="/staff/documents/${id}"`));
  assert.equal((await agent.get(`/staff/documents/${id}`)).status, 200);
  assert.ok(fs.existsSync(originalPath), 'the original is kept until the purge');
  await rebuildPagesIndex(t.archive.catalogue, t.archive.engine);
  assert.equal((await adminSession.agent.get('/api/search?q=甲乙丙')).body.total, 0, 'a full reindex leaves hidden documents out');

  assert.equal((await agent.post(`/staff/documents/${id}/restore`).type('form').send({ _csrf: csrf })).status, 303);
  assert.equal((await request(app).get('/api/search').query({ q: '甲乙丙' })).body.total, 1, 'restored and searchable again');

  await agent.post(`/staff/documents/${id}/hide`).type('form').send({ _csrf: csrf }).expect(303);
  const purge = await agent.post(`/staff/documents/${id}/purge`).type('form').send({ _csrf: csrf });
  assert.equal(purge.status, 303);
  assert.equal(t.archive.catalogue.documents.get(id), null);
  assert.deepEqual(t.archive.catalogue.pages.listForDocument(id), []);
  assert.equal(fs.existsSync(originalPath), false, 'the purge removes the original');
  const actions = t.archive.catalogue.audit.recent(200).filter((e) => e.target === id).map((e) => e.action);
  assert.deepEqual(actions.slice(0, 4), ['purge', 'delete', 'restore', 'delete']);
});

test('audit log page shows who did what: uploads, edits, corrections, publishing, deletion, failed logins', async () => {
  const form = await request.agent(app).get('/login');
  await request(app).post('/login').set('Cookie', form.headers['set-cookie'] as unknown as string[]).type('form')
    .send({ _csrf: csrfFrom(form.text), name: 'intruder', password: 'not-the-password' }).expect(401);
  const id = await ingest('待发布的文稿。', 'publish-me.txt', false);
  await editorSession.agent.post(`/staff/documents/${id}/publish`).type('form').send({ _csrf: editorSession.csrf }).expect(303);
  const page = await adminSession.agent.get('/staff/audit');
  assert.equal(page.status, 200);
  for (const action of ['upload', 'edit', 'correction', 'publish', 'delete', 'purge', 'login-failed']) {
    assert.match(page.text, new RegExp(`<tr class="action-${action}">`), action);
  }
  assert.match(page.text, new RegExp(`<td>${editor.name}</td><td>publish</td><td>${id}</td>`));
  assert.match(page.text, /<td>intruder<\/td><td>login-failed<\/td>/);
});

test('user management: admins create accounts and disable them (their sessions end); the last admin stays', async () => {
  const { agent, csrf } = adminSession;
  const created = await agent.post('/staff/users').type('form').send({ _csrf: csrf, name: '孙编辑', password: 'sun-password-1', role: 'editor' });
  assert.equal(created.status, 303);
  const sun = await signIn(app, { name: '孙编辑', password: 'sun-password-1' });
  assert.match((await agent.get('/staff/users')).text, /<td>孙编辑<\/td>/);
  const userId = t.archive.catalogue.users.findByName('孙编辑')!.id;
  await agent.post(`/staff/users/${userId}`).type('form').send({ _csrf: csrf, action: 'disable' }).expect(303);
  assert.equal((await sun.agent.get('/staff')).status, 303, 'the disabled user is signed out');
  const weak = await agent.post('/staff/users').type('form').send({ _csrf: csrf, name: 'weak', password: 'short', role: 'editor' });
  assert.equal(weak.status, 400);
  assert.match(weak.text, /密码至少 8 个字符/);
  const adminId = t.archive.catalogue.users.findByName(admin.name)!.id;
  const demote = await agent.post(`/staff/users/${adminId}`).type('form').send({ _csrf: csrf, action: 'role', role: 'editor' });
  assert.equal(demote.status, 400);
  assert.match(demote.text, /至少需要保留一名管理员/);
});

test('the staff area speaks English on request', async () => {
  const { agent } = adminSession;
  const en = await agent.get('/staff/upload?lang=en');
  assert.match(en.text, /<h1>Upload documents<\/h1>/);
  assert.match(en.text, /<a href="\/staff\/proofreading">Proofreading<\/a>/);
  const zh = await agent.get('/staff/upload?lang=zh-CN');
  assert.match(zh.text, /<h1>上传文献<\/h1>/);
});
