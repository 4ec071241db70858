/**
 * Ranking beyond the re-rank window: the service re-ranks only the first pages of Meilisearch's order
 * (page-search.ts), so a page whose headline holds the query must come early in that order, not only
 * win once it is in the window. Here it is the last of 241 matching pages indexed. (Meilisearch's
 * `exactness` rule alone already favours a page whose text begins with the query, as this page's
 * text begins with its headline: 澡堂 and 澡堂的热水 came first without the headline fields, 热水,
 * 澡堂 热水 and "的热水" did not.)
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { createApp } from '../../src/web/app.ts';
import { rebuildPagesIndex } from '../../src/search/reindex.ts';
import { createTestArchive, ingestBytes, type TestArchive } from '../support/harness.ts';

const PAGES = 241;
const HEADLINE = '澡堂的热水';

let t: TestArchive;
let app: ReturnType<typeof createApp>;
let documentId = '';

/** Clauses recombined, so that no line repeats from page to page (the cleaner drops running heads). */
const CLAUSES = ['矿工们下井前在灯房领矿灯', '食堂的馒头两分钱一个', '俱乐部每周放两场电影', '学校的孩子们在操场上做早操',
  '运煤的火车从大武口开来', '医院的大夫骑着自行车出诊', '冬天的风从贺兰山上吹下来', '邮电所门口排着寄信的长队'];
function page(i: number): string {
  const [a, b] = [CLAUSES[i % CLAUSES.length], CLAUSES[(i * 3 + 1) % CLAUSES.length]];
  return `${a}，${b}，澡堂的热水从不间断，那是第${i}个年头。`;
}

before(async () => {
  t = await createTestArchive();
  app = createApp(t.archive, { log: () => {} });
  const text = Array.from({ length: PAGES }, (_, i) => page(i + 1)).join('\f');
  const { outcome, job } = await ingestBytes(t.archive, Buffer.from(text, 'utf8'), 'bathhouse.txt', {
    metadata: { title: '矿区生活杂记', date: '1985', type: '回忆录' },
  });
  assert.equal(job?.status, 'done', job?.error ?? '');
  assert.equal(outcome.status, 'queued');
  documentId = outcome.status === 'queued' ? outcome.documentId : '';
  // The last page gets a headline naming the bathhouse: indexed after 240 pages that match as well.
  const last = t.archive.catalogue.pages.get(documentId, PAGES)!;
  t.archive.catalogue.pages.save(documentId, PAGES, { ...last, headline: HEADLINE });
  await rebuildPagesIndex(t.archive.catalogue, t.archive.engine);
});
after(async () => { await t.close(); });

async function search(q: string) {
  const res = await request(app).get('/api/search').query({ q });
  assert.equal(res.status, 200);
  return res.body as { total: number; hits: Array<{ documentId: string; pageNumber: number }> };
}

for (const q of ['澡堂', '热水', '澡堂 热水', '澡堂的热水', '"的热水"']) {
  test(`${q}: the page with it in its headline comes first, though indexed after 240 other matches`, async () => {
    const { total, hits } = await search(q);
    assert.equal(total, PAGES, 'every page matches');
    assert.deepEqual(hits[0], { ...hits[0], documentId, pageNumber: PAGES });
    assert.equal(hits.filter((h) => h.pageNumber === PAGES).length, 1, 'listed once');
  });
}

test('paging on past the re-rank window never lists the headline page twice', async () => {
  const seen = new Map<number, number>();
  for (let p = 1; p <= 13; p++) {
    const res = await request(app).get('/api/search').query({ q: '澡堂', page: p, size: 20 });
    for (const h of res.body.hits as Array<{ pageNumber: number }>) seen.set(h.pageNumber, (seen.get(h.pageNumber) ?? 0) + 1);
  }
  assert.equal(seen.size, PAGES, 'every matching page once');
  assert.ok([...seen.values()].every((n) => n === 1));
});
