import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rebuildPagesIndex } from '../../src/search/reindex.ts';
import { createStory } from '../../src/stories/story-actions.ts';
import { createTestArchive, ingestBytes, REPO_ROOT, type TestArchive } from '../support/harness.ts';

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

test('npm run reindex rebuilds the stories index as well as the pages', async () => {
  await createStory({ catalogue: t.archive.catalogue, engine: t.archive.engine }, {
    slug: 'reindex-story', title: '石炭井的露天电影', summary: '矿区的夜晚', tags: ['石炭井'], era: '1960年代', body: '工人俱乐部门前放电影。', featured: false,
  }, 'editor');
  await t.archive.engine.dropAllIndexes();
  const { config } = t;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/reindex.ts'], {
    cwd: REPO_ROOT, encoding: 'utf8',
    env: { ...process.env, DATA_DIR: config.dataDir, MEILI_URL: config.meiliUrl ?? '', MEILI_MASTER_KEY: config.meiliMasterKey ?? '', MEILI_INDEX_PREFIX: config.meiliIndexPrefix, DEMO: '0' },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^reindexed 30 pages and 1 stories in [\d.]+ s$/m);
  assert.equal(await t.archive.engine.countPages(), 30);
  assert.equal(await t.archive.engine.countStories(), 1);
});
