import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Catalogue } from '../../src/catalogue/index.ts';
import { catalogueWithOneDocument, pageContent as content } from '../support/catalogue.ts';

let catalogue: Catalogue;
let remove = () => {};
const key = [{ documentId: 'd1', number: 1 }];

before(() => {
  ({ catalogue, remove } = catalogueWithOneDocument('search-texts'));
  catalogue.pages.save('d1', 1, content('石炭井矿区'));
});
after(() => remove());

test('a stored search text is used for verification until the page text changes, whoever changes it', () => {
  catalogue.pages.saveSearchTexts([{ documentId: 'd1', number: 1, searchText: '石炭井矿区' }]);
  assert.equal(catalogue.pages.searchTextsOf(key).get('d1:1')?.searchText?.toString('utf8'), '石炭井矿区');
  assert.deepEqual(catalogue.pages.filterBySearchText(key, ['炭井'], []).map((m) => m.stored), [true]);
  assert.deepEqual(catalogue.pages.filterBySearchText(key, ['大武口'], []), []);
  assert.deepEqual(catalogue.pages.filterBySearchText(key, ['炭井'], ['矿区']), []);
  catalogue.corrections.save('d1', 1, '石炭井矿务局', 'editor');
  assert.equal(catalogue.pages.searchTextsOf(key).get('d1:1')?.searchText, null, 'a correction clears it');
  assert.deepEqual(catalogue.pages.filterBySearchText(key, ['大武口'], []).map((m) => m.stored), [false], 'unknown texts come back for checking');
  catalogue.pages.saveSearchTexts([{ documentId: 'd1', number: 1, searchText: '石炭井矿务局' }]);
  catalogue.pages.save('d1', 1, content('重新提取的文字'));
  assert.equal(catalogue.pages.searchTextsOf(key).get('d1:1')?.searchText, null, 'a new extraction clears it');
});

test('documents are read many at a time, unknown ids left out', () => {
  const docs = catalogue.documents.getMany(['d1', 'nope', 'd1']);
  assert.deepEqual([...docs.keys()], ['d1']);
  assert.equal(docs.get('d1')?.metadata.title, '石炭井');
  assert.deepEqual(docs.get('d1'), catalogue.documents.get('d1'));
  assert.equal(catalogue.documents.getMany([]).size, 0);
});

test('facet values come with each match; a deleted document takes its search texts with it', () => {
  catalogue.pages.saveSearchTexts([{ documentId: 'd1', number: 1, searchText: '重新提取的文字' }]);
  const [match] = catalogue.pages.filterBySearchText(key, ['提取'], []);
  assert.deepEqual(match, { index: 0, stored: true, collection: null, year: null, type: '' });
  catalogue.documents.delete('d1');
  const left = catalogue.db.prepare('SELECT COUNT(*) AS n FROM page_search_texts').get() as { n: number };
  assert.equal(left.n, 0);
});

test('display titles of many documents at once: the title, else the file name', () => {
  catalogue.documents.insert({
    id: 'd2', sha256: 'b'.repeat(64), originalName: '无题.txt', mediaType: 'text/plain', bytes: 1, collectionId: null,
    metadata: { title: '' }, published: true, ocrLanguages: 'auto',
  });
  assert.deepEqual(Object.fromEntries(catalogue.documents.titlesOf(['d2', 'missing'])), { d2: '无题.txt' });
});
