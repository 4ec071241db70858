import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createJobWorker } from '../../ingest/job-runner.ts';
import { importDemoIfEmpty } from '../../src/demo.ts';
import { createApp } from '../../src/web/app.ts';
import { createTestArchive, type TestArchive } from '../support/harness.ts';
import { addStaff, signIn } from '../support/staff-login.ts';

let t: TestArchive;
let app: ReturnType<typeof createApp>;

before(async () => {
  t = await createTestArchive({ DEMO: '1' });
  await importDemoIfEmpty(t.archive);
  const worker = createJobWorker(t.archive, { pollMs: 50 });
  worker.start();
  for (let i = 0; i < 3000 && t.archive.catalogue.jobs.countActive() > 0; i++) await new Promise((r) => setTimeout(r, 100));
  await worker.stop();
  app = createApp(t.archive, { log: () => {} });
});
after(async () => { await t.close(); });

test('first start imports the sample stories, published and featured, citing the demo pages', async () => {
  const stories = t.archive.catalogue.stories.list({ visibility: 'published' });
  assert.deepEqual(stories.map((s) => s.slug).sort(), ['sanxian-generation', 'shitanjing-rise', 'workers-club-cinema']);
  assert.ok(stories.every((s) => s.featured && !s.body.includes('file:')), 'file names were replaced by document ids');
  const home = await request(app).get('/');
  for (const s of stories) assert.match(home.text, new RegExp(`href="/stories/${s.slug}"`));
});

test('once the demo documents are processed, every citation of every sample story resolves: no problem reported to staff', async () => {
  const staff = await signIn(app, await addStaff(t.archive, '审稿人', 'editor'));
  for (const story of t.archive.catalogue.stories.list({ visibility: 'published' })) {
    const preview = await staff.agent.get(`/staff/stories/${story.id}/preview`);
    assert.equal(preview.status, 200);
    assert.match(preview.text, /所有引用均可公开显示/, `${story.slug}: ${/<section class="story-problems"[\s\S]*?<\/section>/.exec(preview.text)?.[0] ?? ''}`);
  }
  const letter = await request(app).get('/stories/sanxian-generation');
  assert.match(letter.text, /<blockquote class="embed-quote" lang="zh-Hant"[^>]*><p>兒自去歲來到寧夏石炭井礦區，轉眼已一年有餘。<\/p>/);
  assert.match(letter.text, /<ol class="references">/);
  const club = await request(app).get('/stories/workers-club-cinema');
  const crops = [...club.text.matchAll(/<img src="(\/documents\/[0-9a-f]+\/pages\/\d+\/crop[^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  assert.ok(crops.length >= 3 && crops.every((u) => /\?region=\d+,\d+,\d+,\d+$/.test(u)), `each quoting figure shows its passage: ${crops.join(' ')}`);
  const picture = await request(app).get(crops[0]!);
  assert.equal(picture.status, 200);
  assert.equal(picture.headers['content-type'], 'image/webp');
  const search = await request(app).get('/search').query({ q: '電影票' });
  assert.match(search.text, /href="\/stories\/workers-club-cinema"/, 'a traditional query finds the simplified story');
});
