import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { processDocument, processOwner, submitFile } from '../../ingest/pipeline.ts';
import { createTestArchive, type TestArchive } from '../support/harness.ts';

let t: TestArchive;
before(async () => { t = await createTestArchive(); });
after(async () => { await t.close(); });

test('publishing a document while its job is indexing leaves the index with the new flag', async () => {
  const outcome = submitFile(Buffer.from('贺兰山下的石炭井矿区，一九六〇年代的职工食堂。', 'utf8'), 'canteen.txt',
    { actor: 'test', publish: false, owner: processOwner() }, t.archive);
  assert.equal(outcome.status, 'queued');
  if (outcome.status !== 'queued') return;
  let published = false;
  // Publish right after the pipeline has sent the page records (made from the unpublished document).
  await processDocument(outcome.job, t.archive, (job) => {
    if (job.stage === 'index' && job.pagesDone > 0 && !published) {
      published = true;
      t.archive.catalogue.documents.setPublished(outcome.documentId, true);
    }
  });
  assert.ok(published);
  const publicHits = await t.archive.search.searchPages({ q: '职工食堂', page: 1, size: 20, sort: 'relevance', includeUnpublished: false });
  assert.equal(publicHits.total, 1, 'the page is public in the index, as in the catalogue');
});
