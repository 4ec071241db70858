import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { importDemoIfEmpty } from '../../src/demo.ts';
import { pageSearchText } from '../../src/search/page-text.ts';
import { createApp } from '../../src/web/app.ts';
import { createJobWorker } from '../../ingest/job-runner.ts';
import { createTestArchive, type TestArchive } from '../support/harness.ts';

let t: TestArchive;
before(async () => { t = await createTestArchive({ DEMO: '1' }); });
after(async () => { await t.close(); });

test('first start imports the demo collection, published; a search for 政协 lists highlighted hits', async () => {
  const queued = await importDemoIfEmpty(t.archive);
  assert.equal(queued, 4);
  const worker = createJobWorker(t.archive, { pollMs: 50 });
  worker.start();
  for (let i = 0; i < 600 && t.archive.catalogue.jobs.countActive() > 0; i++) await new Promise((r) => setTimeout(r, 100));
  await worker.stop();
  assert.equal(t.archive.catalogue.jobs.countActive(), 0);
  assert.ok(t.archive.catalogue.jobs.list().every((j) => j.status === 'done'), 'every demo document imported');

  const app = createApp(t.archive, { log: () => {} });
  const home = await request(app).get('/');
  assert.match(home.text, /《石炭井印迹》/);
  const search = await request(app).get('/search').query({ q: '政协' });
  assert.match(search.text, /<mark>政协<\/mark>/);
  const total = Number(/<strong id="total">(\d+)<\/strong>/.exec(search.text)?.[1]);
  let truth = 0;
  for (const batch of t.archive.catalogue.pages.iterateAll()) truth += batch.filter((p) => pageSearchText(p).includes('政协')).length;
  assert.ok(truth >= 2);
  assert.equal(total, truth, 'every demo page that contains 政协 is listed');
  // Traditional query finds simplified text and vice versa across the demo.
  const traditional = await request(app).get('/api/search').query({ q: '礦務局' });
  assert.ok(traditional.body.total >= 1);

  assert.equal(await importDemoIfEmpty(t.archive), 0, 'never imported twice');
});
