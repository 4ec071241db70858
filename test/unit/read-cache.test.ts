import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Catalogue } from '../../src/catalogue/index.ts';
import { createReadCache } from '../../src/catalogue/read-cache.ts';
import { catalogueWithOneDocument, pageContent as content } from '../support/catalogue.ts';

let dir = '';
let catalogue: Catalogue;
let remove = () => {};

before(() => {
  ({ dir, catalogue, remove } = catalogueWithOneDocument('read-cache'));
  catalogue.pages.save('d1', 1, content('石炭井矿区'));
  catalogue.pages.save('d1', 2, content('大武口'));
});
after(() => remove());

/** A store over page texts that counts the keys it had to read from the catalogue. */
function pageTexts(cache = createReadCache(catalogue.db), budget = 1_000_000) {
  const read: string[][] = [];
  const store = cache.store<string>({ size: (v) => v.length, budget });
  const keys = (s: string[]) => s.map((k) => ({ documentId: k.split(':')[0]!, number: Number(k.split(':')[1]) }));
  return {
    read,
    texts(wanted: string[]) {
      const found = store.many(wanted, (missing) => {
        read.push(missing);
        return new Map([...catalogue.pages.getMany(keys(missing))].map(([k, p]) => [k, p.correctedText ?? p.text]));
      });
      return wanted.map((k) => found.get(k) ?? null);
    },
  };
}

test('rows read once are served from memory while the catalogue is unchanged', () => {
  const reads = pageTexts();
  assert.deepEqual(reads.texts(['d1:1', 'd1:2', 'd9:1']), ['石炭井矿区', '大武口', null]);
  assert.deepEqual(reads.texts(['d1:2', 'd1:1']), ['大武口', '石炭井矿区']);
  assert.deepEqual(reads.read, [['d1:1', 'd1:2', 'd9:1']], 'the second read needed the catalogue for nothing');
  assert.deepEqual(reads.texts(['d9:1']), [null]);
  assert.deepEqual(reads.read.at(-1), ['d9:1'], 'a key the catalogue lacks is asked for again');
});

test('a write through the same connection empties the cache', () => {
  const reads = pageTexts();
  reads.texts(['d1:1']);
  catalogue.corrections.save('d1', 1, '石炭井矿务局', 'editor');
  assert.deepEqual(reads.texts(['d1:1']), ['石炭井矿务局']);
});

test('a commit by another connection (the job process, the ingest CLI) empties the cache', () => {
  const reads = pageTexts();
  assert.deepEqual(reads.texts(['d1:2']), ['大武口']);
  const other = new Database(path.join(dir, 'wenshi.db'));
  other.prepare("UPDATE pages SET text = '大武口区' WHERE document_id = 'd1' AND number = 2").run();
  other.close();
  assert.deepEqual(reads.texts(['d1:2']), ['大武口区']);
});

test('beyond its budget a store drops the least recently used values first', () => {
  catalogue.pages.save('d1', 11, content('五个字的页'));
  catalogue.pages.save('d1', 12, content('四个字页'));
  catalogue.pages.save('d1', 13, content('三个字'));
  // Texts of 5 and 4 characters fill a budget of 9 exactly: both stay.
  const reads = pageTexts(createReadCache(catalogue.db), 9);
  reads.texts(['d1:11']);
  reads.texts(['d1:12']);
  reads.texts(['d1:11']);
  assert.deepEqual(reads.read, [['d1:11'], ['d1:12']]);
  reads.read.length = 0;
  reads.texts(['d1:13']); // 3 more characters: over budget, so the least recent (d1:12) goes
  reads.texts(['d1:11']);
  assert.deepEqual(reads.read, [['d1:13']], 'd1:11 was kept');
  reads.texts(['d1:12']);
  assert.deepEqual(reads.read, [['d1:13'], ['d1:12']], 'd1:12 was dropped');
});
