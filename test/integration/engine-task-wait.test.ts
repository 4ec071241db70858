import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pageSearchId, type PageSearchDocument } from '../../src/search/index-settings.ts';
import { branchValues, characterField, pairFields } from '../../src/search/index-tokens.ts';
import { normalizeText } from '../../src/search/normalize.ts';
import { createTestArchive, type TestArchive } from '../support/harness.ts';

let t: TestArchive;
before(async () => { t = await createTestArchive(); });
after(async () => { await t.close(); });

/** Pages enough to keep Meilisearch's task queue busy for a second or more. */
function busyPages(count: number): PageSearchDocument[] {
  const sentences = ['石炭井矿务局成立于一九五八年，', '贺兰山下的矿区建起了工人俱乐部。', '大武口的老职工回忆说，', '那时候运煤全靠人力。'];
  return Array.from({ length: count }, (_, i) => {
    const text = normalizeText(Array.from({ length: 60 }, (_, k) => sentences[(i + k) % sentences.length]).join('') + `第${i}页`).text;
    return {
      id: pageSearchId('busy', i + 1), documentId: 'busy', pageNumber: i + 1, collection: 'test', year: 1960, yearTo: 1960,
      type: 'book', published: true, source: 'text-layer', chars: characterField(text), branch: branchValues(text), ...pairFields(text),
    };
  });
}

test('waiting for a story task queued behind a long one: it completes, and Node reports no listener leak', async () => {
  // Every poll of the client's own waitTask added a listener to one shared abort signal: past ten
  // polls (half a second) Node printed MaxListenersExceededWarning at `npm start`.
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    // Three batches ahead of the story: several seconds of work here, still over half a second on a machine
    // several times faster.
    const pages = busyPages(1200);
    const busy = await Promise.all([0, 400, 800].map((at) => t.archive.engine.queuePages(pages.slice(at, at + 400), `${t.config.meiliIndexPrefix}pages`)));
    const started = Date.now();
    await t.archive.engine.addStories([{ id: 'story-1', published: true, tags: [], era: '', title: '矿区的露天电影', text: '石炭井的露天电影' }]);
    const waited = Date.now() - started;
    await Promise.all(busy.map((b) => b.settled));
    await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    assert.ok(waited > 600, `the story task waited ${waited} ms: too short to have polled more than ten times`);
    assert.deepEqual(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message), []);
    assert.deepEqual(await t.archive.engine.searchStories({ q: '露天电影', filter: [], limit: 10 }), ['story-1']);
  } finally {
    process.off('warning', onWarning);
  }
});
