import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { rebuildPagesIndex } from '../../src/search/reindex.ts';
import { createTestArchive, ingestBytes, type TestArchive } from '../support/harness.ts';

let t: TestArchive;
const search = (q: string) => t.archive.search.searchPages({ q, page: 1, size: 20, sort: 'relevance', includeUnpublished: true });

before(async () => {
  t = await createTestArchive();
  for (let i = 1; i <= 30; i++) {
    await ingestBytes(t.archive, Buffer.from(`第${i}份材料：大武口区政协文史委员会收集的石炭井回忆，编号${1000 + i}。`, 'utf8'), `m${i}.txt`);
  }
});
after(async () => { await t.close(); });

test('reindex rebuilds the index from the catalogue and swaps it in; readers keep getting full results during the rebuild', async () => {
  assert.equal((await search('石炭井')).total, 30);
  let minDuring = Infinity;
  let polls = 0;
  let building = true;
  const poller = (async () => {
    while (building) {
      minDuring = Math.min(minDuring, (await search('政协')).total);
      polls++;
    }
  })();
  const result = await rebuildPagesIndex(t.archive.catalogue, t.archive.engine);
  building = false;
  await poller;
  assert.equal(result.pages, 30);
  assert.ok(polls > 0);
  assert.equal(minDuring, 30, 'no search during the rebuild saw an empty or partial index');
  assert.equal((await search('编号1017')).total, 1);
  assert.equal(await t.archive.engine.countPages(), 30);
});

test('a lost index loses nothing: after dropping every index, reindex restores all pages', async () => {
  await t.archive.engine.dropAllIndexes();
  await rebuildPagesIndex(t.archive.catalogue, t.archive.engine);
  assert.equal((await search('回忆')).total, 30);
});
