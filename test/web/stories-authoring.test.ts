import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../src/web/app.ts';
import { storyRoutes } from '../../src/web/routes/staff-stories.ts';
import { createTestArchive, FIXTURES, ingestBytes, type TestArchive } from '../support/harness.ts';
import { addStaff, csrfFrom, signIn } from '../support/staff-login.ts';

/** The id of a document the ingest accepted. */
function queuedId(result: Awaited<ReturnType<typeof ingestBytes>>): string {
  assert.equal(result.job?.status, 'done', result.job?.error ?? result.outcome.status);
  return result.outcome.status === 'queued' ? result.outcome.documentId : '';
}

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let docId = '';
let draftDocId = '';
let editor: Awaited<ReturnType<typeof signIn>>;
let admin: Awaited<ReturnType<typeof signIn>>;

before(async () => {
  t = await createTestArchive();
  app = createApp(t.archive, { log: () => {} });
  const published = await ingestBytes(t.archive, Buffer.from('一九六五年，石炭井矿务局建起工人俱乐部。\f露天电影放映的夜晚，矿工们扶老携幼。', 'utf8'), 'club.txt', {
    metadata: { title: '石炭井工人俱乐部', creator: '大武口区政协', publisher: '宁夏人民出版社', date: '2019年' },
  });
  docId = queuedId(published);
  const draft = await ingestBytes(t.archive, Buffer.from('内部草稿，尚未公开。', 'utf8'), 'draft.txt', { publish: false });
  draftDocId = queuedId(draft);
  editor = await signIn(app, await addStaff(t.archive, '编辑甲', 'editor'));
  admin = await signIn(app, await addStaff(t.archive, '管理员', 'admin'));
});
after(async () => { await t.close(); });

const body = () => [
  '# 俱乐部的来历',
  '',
  `一九六五年，俱乐部落成{{page ${docId} 2}}。`,
  '',
  `{{page ${docId} 1 quote="矿务局建起工人俱乐部"}}`,
  '',
  `{{page ${draftDocId} 1 quote="内部草稿"}}`,
].join('\n');

async function createStory(slug: string, extra: Record<string, string> = {}) {
  const form = await editor.agent.get('/staff/stories/new');
  const res = await editor.agent.post('/staff/stories').type('form').send({
    _csrf: csrfFrom(form.text), title: '工人俱乐部的露天电影', slug, summary: '矿区的夜晚', tags: '石炭井、俱乐部', era: '1960年代', body: body(), ...extra,
  });
  assert.equal(res.status, 303, res.text.slice(0, 300));
  const id = Number(/\/staff\/stories\/(\d+)\?done=created/.exec(res.headers.location ?? '')?.[1]);
  assert.ok(id > 0);
  return id;
}

test('the authoring pages need a staff session, and every form its CSRF token', async () => {
  const anonymous = await request(app).get('/staff/stories');
  assert.equal(anonymous.status, 303);
  assert.match(anonymous.headers.location ?? '', /^\/login\?next=%2Fstaff%2Fstories/);
  const post = await request(app).post('/staff/stories').type('form').send({ title: 'x', body: 'y' });
  assert.equal(post.status, 303, 'an anonymous post is sent to the login page, not saved');
  const forged = await editor.agent.post('/staff/stories').type('form').send({ title: '伪造', body: 'y' });
  assert.equal(forged.status, 403);
  assert.equal(t.archive.catalogue.stories.count('all'), 0, 'nothing was saved by either request');
  const page = await editor.agent.get('/staff/stories/new');
  assert.match(page.text, /<form action="\/staff\/stories" method="post"/);
  assert.match(page.text, /name="_csrf" value="[^"]+"/);
});

test('create, preview, publish: a draft is not public; the preview shows the figure and reports the unpublished reference', async () => {
  const id = await createStory('club-cinema');
  const stored = t.archive.catalogue.stories.get(id)!;
  assert.equal(stored.status, 'draft');
  assert.deepEqual(stored.tags, ['石炭井', '俱乐部']);
  assert.equal(stored.author, '编辑甲');
  assert.equal((await request(app).get('/stories/club-cinema')).status, 404, 'a draft is not public');

  const edit = await editor.agent.get(`/staff/stories/${id}`);
  assert.match(edit.text, /所引文献未发布/, 'the edit page names the problem');
  assert.match(edit.text, new RegExp(`\\{\\{page ${draftDocId} 1 quote=&#34;内部草稿&#34;\\}\\}|\\{\\{page ${draftDocId} 1 quote=&quot;内部草稿&quot;\\}\\}`));

  const preview = await editor.agent.get(`/staff/stories/${id}/preview`);
  assert.equal(preview.status, 200);
  assert.match(preview.text, /<figure class="archive-embed">/);
  assert.match(preview.text, /<p>矿务局建起工人俱乐部<\/p>/);
  assert.match(preview.text, /所引文献未发布/);
  assert.doesNotMatch(preview.text.slice(preview.text.indexOf('<article')), /内部草稿<\/p>/, 'the story itself shows nothing of the unpublished page');

  const publish = await editor.agent.post(`/staff/stories/${id}/publish`).type('form').send({ _csrf: editor.csrf });
  assert.equal(publish.status, 303);
  const pub = await request(app).get('/stories/club-cinema');
  assert.equal(pub.status, 200);
  assert.match(pub.text, /<h1>工人俱乐部的露天电影/);
  assert.doesNotMatch(pub.text, /内部草稿|embed-problem|所引文献未发布/, 'the public sees no trace of the unpublished reference');
  const staffView = await editor.agent.get('/stories/club-cinema');
  assert.match(staffView.text, /<span class="embed-problem" role="note"><strong>所引文献未发布<\/strong>/, 'staff reading the public page see the notice');
  const actions = t.archive.catalogue.audit.recent(20).filter((e) => e.target === 'club-cinema').map((e) => e.action);
  assert.deepEqual(actions.sort(), ['story-create', 'story-publish']);
});

test('preview of unsaved changes renders them without saving', async () => {
  const id = await createStory('unsaved-preview');
  const res = await editor.agent.post(`/staff/stories/${id}/preview`).type('form').send({ _csrf: editor.csrf, title: '改过的标题', body: '新的一段。' });
  assert.equal(res.status, 200);
  assert.match(res.text, /尚未保存/);
  assert.match(res.text, /<h1>改过的标题<\/h1>/);
  assert.equal(t.archive.catalogue.stories.get(id)!.title, '工人俱乐部的露天电影');
});

test('every save keeps a revision; a taken slug is refused with the form kept', async () => {
  const id = await createStory('revised');
  const save = await editor.agent.post(`/staff/stories/${id}`).type('form').send({ _csrf: editor.csrf, title: '第二稿', slug: 'revised', body: '第二稿正文' });
  assert.equal(save.status, 303);
  assert.match(t.archive.catalogue.stories.searchTexts([id]).get(id) ?? '', /第二稿正文/, 'search checks against the saved text');
  const revisions = t.archive.catalogue.stories.revisions(id);
  assert.deepEqual(revisions.map((r) => r.content.title), ['第二稿', '工人俱乐部的露天电影']);
  const page = await editor.agent.get(`/staff/stories/${id}/revisions/${revisions[1]!.id}`);
  assert.match(page.text, /工人俱乐部的露天电影/);
  const clash = await editor.agent.post(`/staff/stories/${id}`).type('form').send({ _csrf: editor.csrf, title: '第三稿', slug: 'club-cinema', body: 'x' });
  assert.equal(clash.status, 400);
  assert.match(clash.text, /该网址名已被其他故事使用/);
  assert.match(clash.text, /value="第三稿"/);
  assert.equal(t.archive.catalogue.stories.get(id)!.title, '第二稿');
});

test('covers: a region of an archive page, or an uploaded picture kept among the originals', async () => {
  const id = await createStory('with-cover');
  const bad = await editor.agent.post(`/staff/stories/${id}/cover`).type('form').send({ _csrf: editor.csrf, coverPage: 'not a page' });
  assert.match(bad.headers.location ?? '', /coverError=bad-cover/);
  const scan = fs.readFileSync(path.join(FIXTURES, 'scans', 'scan-simplified.jpg'));
  const upload = await editor.agent.post(`/staff/stories/${id}/cover-upload`).field('_csrf', editor.csrf).field('coverAlt', '矿区旧照').attach('files', scan, 'cover.jpg');
  assert.equal(upload.status, 303, upload.text.slice(0, 200));
  const story = t.archive.catalogue.stories.get(id)!;
  assert.equal(story.cover?.kind, 'upload');
  assert.ok(story.cover?.kind === 'upload' && t.archive.originals.exists(story.cover.sha256));
  const notAnImage = await editor.agent.post(`/staff/stories/${id}/cover-upload`).field('_csrf', editor.csrf).attach('files', Buffer.from('not a picture'), 'x.jpg');
  assert.match(notAnImage.headers.location ?? '', /coverError=cover-image/);
  assert.equal((await request(app).get('/stories/with-cover/cover')).status, 404, 'the cover of a draft is not public');
  const staffCover = await editor.agent.get('/stories/with-cover/cover');
  assert.equal(staffCover.status, 200);
  assert.equal(staffCover.headers['content-type'], 'image/webp');
  const noToken = await editor.agent.post(`/staff/stories/${id}/cover-upload`).attach('files', scan, 'cover.jpg');
  assert.equal(noToken.status, 403);
});

test('deleting a story needs an admin; it is then gone from the site and from search', async () => {
  const id = await createStory('to-delete', { title: '将被删除的矿区故事' });
  await editor.agent.post(`/staff/stories/${id}/publish`).type('form').send({ _csrf: editor.csrf });
  assert.equal((await request(app).get('/search').query({ q: '将被删除' })).text.includes('/stories/to-delete'), true);
  const refused = await editor.agent.post(`/staff/stories/${id}/delete`).type('form').send({ _csrf: editor.csrf });
  assert.equal(refused.status, 403);
  const done = await admin.agent.post(`/staff/stories/${id}/delete`).type('form').send({ _csrf: admin.csrf });
  assert.equal(done.status, 303);
  assert.equal((await request(app).get('/stories/to-delete')).status, 404);
  assert.equal((await request(app).get('/search').query({ q: '将被删除' })).text.includes('/stories/to-delete'), false);
  assert.equal(t.archive.catalogue.stories.revisions(id).length, 0);
  assert.ok(t.archive.catalogue.audit.recent(5).some((e) => e.action === 'story-delete' && e.target === 'to-delete'));
});

test('every authoring route refuses the public, checks the role, and refuses a state change without the CSRF token', async () => {
  const id = await createStory('access-table');
  const rev = t.archive.catalogue.stories.revisions(id)[0]!.id;
  const routes = storyRoutes({ archive: t.archive, secret: Buffer.alloc(32), worker: null });
  assert.ok(routes.length >= 12);
  for (const route of routes) {
    const url = route.path.replace(':id', String(id)).replace(':rev', String(rev));
    const anonymous = await request(app)[route.method](url);
    assert.equal(anonymous.status, 303, `${route.method} ${url} anonymous`);
    assert.match(anonymous.headers.location ?? '', /^\/login/);
    if (route.method === 'post') {
      const forged = await admin.agent.post(url).type('form').send({ title: '伪造' });
      assert.equal(forged.status, route.body === 'multipart' ? 415 : 403, `${url} without a CSRF token`);
    }
    if (route.role === 'admin') {
      const refused = await editor.agent.post(url).type('form').send({ _csrf: editor.csrf });
      assert.equal(refused.status, 403, `${url} needs an admin`);
    }
  }
  assert.ok(t.archive.catalogue.stories.get(id), 'none of the refused requests deleted the story');
});
